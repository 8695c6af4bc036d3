import Foundation
import GraceCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Asks the service's health URL whether it is up.
struct TargetHealthProbe: Sendable {
    var url: String?

    struct Result: Sendable {
        var healthy: Bool
        var detail: String
    }

    /// A 2xx within `timeout` is healthy. Without a URL there is nothing to ask: the caller
    /// treats a service that keeps running as healthy.
    func probe(timeout: TimeInterval = 2) async -> Result {
        guard let url, let address = URL(string: url) else { return Result(healthy: true, detail: "no health URL; the process is running") }
        var request = URLRequest(url: address)
        request.timeoutInterval = timeout
        do {
            let (_, response) = try await ShieldedHTTP.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return Result(healthy: (200..<300).contains(status), detail: "GET \(url) returned \(status)")
        } catch {
            return Result(healthy: false, detail: "GET \(url) failed: \(error.localizedDescription)")
        }
    }
}
