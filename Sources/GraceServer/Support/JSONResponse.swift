import Foundation
import GraceCore
import Hummingbird
import NIOCore

/// Builds JSON, HTML and text responses the same way everywhere.
enum JSONResponse {
    /// `value` as JSON (sorted keys, unescaped slashes), never cached: every answer is live state.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data: Data
        do {
            data = try JSONEncoder.graceCompact.encode(value)
        } catch {
            // Only non-finite doubles can fail here; answering with the reason beats a dropped connection.
            data = Data(#"{"error":{"code":"internal_error","message":"the response could not be encoded"}}"#.utf8)
            return Response(status: .internalServerError, headers: headers("application/json"), body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return Response(status: status, headers: headers("application/json"), body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Already-encoded JSON in a buffer (shared, not copied), with any extra headers.
    static func buffer(_ json: ByteBuffer, headers extra: HTTPFields = [:], status: HTTPResponse.Status = .ok) -> Response {
        var fields = headers("application/json")
        fields.append(contentsOf: extra)
        return Response(status: status, headers: fields, body: .init(byteBuffer: json))
    }

    /// Already-encoded text with its content type.
    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: headers(contentType), body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func headers(_ contentType: String) -> HTTPFields {
        [.contentType: contentType, .cacheControl: "no-store"]
    }
}


/// Reads and decodes request bodies with a size cap.
enum BodyReader {
    /// The largest body any endpoint accepts (1 MiB).
    static let maxBytes = 1 << 20

    /// The body's bytes, or nil when it is empty; larger than `limit` is a 413.
    static func bytes(of request: Request, limit: Int = maxBytes) async throws -> ByteBuffer? {
        // Refuse early on a declared length, before reading anything.
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw APIError.payloadTooLarge(limit: limit) }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(limit: limit)
        }
        return buffer.readableBytes == 0 ? nil : buffer
    }

    /// A body must be declared `application/json` or `application/*+json` (parameters such as
    /// `charset` allowed); anything else, or none, is a 415 naming what was sent.
    static func requireJSONContentType(_ request: Request) throws {
        let declared = request.headers[.contentType]
        guard let declared, isJSON(contentType: declared) else {
            let sent = declared.map { "Content-Type \($0.prefix(100))" } ?? "no Content-Type"
            throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type",
                           message: "a request body must be JSON sent as Content-Type: application/json (got \(sent))")
        }
    }

    static func isJSON(contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard mediaType.hasPrefix("application/") else { return false }
        let subtype = mediaType.dropFirst("application/".count)
        return subtype == "json" || (subtype.hasSuffix("+json") && subtype.count > "+json".count)
    }

    /// Decodes a required JSON object body.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        guard let value = try await decodeIfPresent(type, from: request) else {
            throw APIError.validation("a JSON body is required")
        }
        return value
    }

    /// Decodes an optional JSON object body: nil when the request has none.
    static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T? {
        guard let buffer = try await bytes(of: request) else { return nil }
        // Before anything of the body is looked at: a form or a `text/plain` fetch from a web page
        // needs no CORS preflight, so only a JSON content type proves a client meant JSON.
        try requireJSONContentType(request)
        let data = Data(buffer.readableBytesView)
        // Decode the raw JSON first, so syntax errors (400) are told apart from shape errors (422).
        let json: JSONValue
        do {
            json = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw APIError.invalidJSON("the body is not valid JSON")
        }
        guard case .object = json else { throw APIError.validation("body: expected a JSON object") }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw APIError.from(decoding: error)
        }
    }
}
