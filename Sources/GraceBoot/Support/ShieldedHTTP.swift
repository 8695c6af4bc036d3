import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// URLSession requests that a task's cancellation never reaches.
///
/// On Linux, cancelling a URLSession data task while it completes can crash the process
/// (swift-corelibs-foundation: "Trying to access a behaviour for a task that in not in the
/// registry", `URLSession.behaviour(for:)`, seen here when a service's trial run was cancelled
/// during a health probe). The request runs in a detached task, so cancelling the caller does not
/// cancel it; it still ends by its own `timeoutInterval`.
public enum ShieldedHTTP {
    public static func data(for request: URLRequest) async throws -> (Data, URLResponse) {
        try await Task.detached { try await URLSession.shared.data(for: request) }.value
    }
}
