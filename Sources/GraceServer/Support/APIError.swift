import Foundation
import GraceStore
import Hummingbird
import NIOCore

/// An error answered as `{"error": {"code": "...", "message": "..."}}` with its status.
///
/// Everything a handler throws is turned into one of these by ``ErrorMiddleware``; the codes are
/// stable strings clients can branch on, the messages are for people.
struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var headers: HTTPFields = [:]

    var description: String { "\(status.code) \(code): \(message)" }

    static func invalidJSON(_ message: String) -> APIError { .init(status: .badRequest, code: "invalid_json", message: message) }
    static func validation(_ message: String) -> APIError { .init(status: .unprocessableContent, code: "validation_error", message: message) }
    static func invalidParameter(_ name: String, _ message: String) -> APIError {
        .init(status: .unprocessableContent, code: "invalid_parameter", message: "\(name): \(message)")
    }
    static func notFound(_ kind: String, _ id: String) -> APIError {
        .init(status: .notFound, code: "not_found", message: "\(kind) \(id) not found")
    }
    static func conflict(_ message: String) -> APIError { .init(status: .conflict, code: "conflict", message: message) }
    static let payloadTooLarge = payloadTooLarge(limit: BodyReader.maxBytes)
    static func payloadTooLarge(limit: Int, what: String = "the request body") -> APIError {
        APIError(status: .contentTooLarge, code: "payload_too_large", message: "\(what) is larger than \(limit) bytes")
    }
    static func unauthorized(_ code: String, _ message: String) -> APIError {
        .init(status: .unauthorized, code: code, message: message, headers: [.wwwAuthenticate: "Bearer"])
    }

    /// The JSON error body.
    struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
        }
        var error: Detail
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(Body(error: .init(code: code, message: message)), status: status)
        for field in headers { response.headers.append(field) }
        return response
    }

    /// Maps anything thrown while serving to what the client is told.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as StoreError:
            switch error {
            case .notFound(let kind, let id): return .notFound(kind, id)
            case .conflict(let message): return .conflict(message)
            case .invalid(let message): return .validation(message)
            case .damaged, .newerSchema, .cannotOpen, .locked, .diskFull, .unavailable:
                return APIError(status: .serviceUnavailable, code: "store_unavailable", message: error.description)
            }
        case is NIOTooManyBytesError:
            return .payloadTooLarge
        case let error as DecodingError:
            return from(decoding: error)
        case let error as HTTPError:
            return APIError(status: error.status, code: code(for: error.status), message: error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            return APIError(status: error.status, code: code(for: error.status), message: error.status.reasonPhrase)
        default:
            return APIError(status: .internalServerError, code: "internal_error", message: "internal error: \(error)")
        }
    }

    /// JSON of the wrong shape (types, missing fields, unknown values) is a 422; ``BodyReader``
    /// has already answered malformed JSON with a 400 before decoding.
    static func from(decoding error: DecodingError) -> APIError {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .validation(context.debugDescription)
        case .dataCorrupted(let context):
            return .validation("\(path(context.codingPath)): \(context.debugDescription)")
        case .keyNotFound(let key, let context):
            return .validation("\(path(context.codingPath + [key])): required field missing")
        case .typeMismatch(let type, let context):
            return .validation("\(path(context.codingPath)): expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .validation("\(path(context.codingPath)): expected \(typeName(type)), got null")
        @unknown default:
            return .validation("the body does not have the expected shape")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Double.Type, is Int.Type, is Int64.Type: "a number"
        case is Bool.Type: "a boolean"
        default: String(describing: type).contains("Dictionary") ? "an object" : "a value of type \(type)"
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 403: "forbidden"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 422: "validation_error"
        default: status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
        }
    }
}
