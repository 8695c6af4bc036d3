import Hummingbird

/// The per-request context of Grace's router: Hummingbird's core plus the request id.
struct GraceRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``RequestIDMiddleware`` before anything else runs.
    var requestID = ""
    /// Set by ``AuthMiddleware``: who the caller authenticated as.
    var identity = CallerIdentity.anonymous

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Hummingbird's own decoding cap, kept equal to ours so both refuse the same bodies.
    var maxUploadSize: Int { BodyReader.maxBytes }
}
