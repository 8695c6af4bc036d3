import CompressNIO
import Foundation
import GraceCore
import GraceStore
import GraceTelemetry
import Hummingbird
import Logging
import NIOCore

/// OTLP/HTTP trace ingestion (`POST /v1/traces`): what an OpenTelemetry-instrumented agent sends
/// when `OTEL_EXPORTER_OTLP_ENDPOINT` points at Grace. Protobuf or JSON, plain or gzip; a trace is
/// a run, its spans are steps nested by parent (``GraceCore/TraceSpan``). A request is stored in
/// one transaction: every accepted span or none; spans it refuses are named in the partial success.
struct OTLPRoutes {
    let dependencies: ServerDependencies
    let logger: Logger

    /// The largest OTLP body, on the wire and again after gunzip (a small gzip body may inflate to
    /// gigabytes): 4 MiB, above the API's 1 MiB, because an SDK's batch of 512 spans with prompts and
    /// completions in their attributes is that big.
    static let maxBytes = 4 << 20

    func register(on api: APIRouter) {
        api.post("/v1/traces") { request, _ in try await export(request) }
    }

    func export(_ request: Request) async throws -> Response {
        let encoding = try Self.encoding(of: request)
        let body = try await Self.body(of: request)
        let batch: OTLPTraceBatch
        do {
            batch = try OTLPTraceIngest.decode(body, as: encoding)
        } catch {
            throw APIError(status: .badRequest, code: "invalid_otlp", message: error.description)
        }
        let runs = try await dependencies.repositories.runs.ingest(batch.spans)
        logger.info("trace spans ingested", metadata: [
            "subsystem": "otlp", "event_type": "spans_ingested", "spans": "\(batch.spans.count)", "runs": "\(runs.count)",
            "rejected_spans": "\(batch.rejections.count)"])
        if !batch.rejections.isEmpty {
            logger.warning("trace spans rejected", metadata: ["subsystem": "otlp", "event_type": "spans_rejected",
                                                              "rejected_spans": "\(batch.rejections.count)", "reason": "\(batch.rejectionMessage)"])
        }
        let answer = OTLPTraceIngest.response(for: batch, as: encoding)
        return Response(status: .ok, headers: [.contentType: encoding.contentType, .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: answer)))
    }

    /// OTLP/HTTP's two content types; anything else is a 415 naming them.
    static func encoding(of request: Request) throws -> OTLPEncoding {
        let declared = request.headers[.contentType]
        let mediaType = declared?.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        switch mediaType {
        case "application/x-protobuf", "application/protobuf": return .protobuf
        case "application/json": return .json
        default:
            let sent = declared.map { "Content-Type \($0.prefix(100))" } ?? "no Content-Type"
            throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type",
                           message: "OTLP traces are sent as Content-Type: application/x-protobuf or application/json (got \(sent))")
        }
    }

    /// The body, gunzipped when `Content-Encoding: gzip`; either form larger than ``maxBytes`` is a 413.
    static func body(of request: Request) async throws -> Data {
        guard var buffer = try await BodyReader.bytes(of: request, limit: maxBytes) else { return Data() }
        switch request.headers[.contentEncoding]?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "", "identity":
            return Data(buffer.readableBytesView)
        case "gzip":
            do {
                // maxSize stops inflating at the limit: a zip bomb costs at most maxBytes of memory.
                let inflated = try buffer.decompress(with: .gzip(), maxSize: maxBytes)
                return Data(inflated.readableBytesView)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                throw APIError.payloadTooLarge(limit: maxBytes, what: "the gunzipped request body")
            } catch {
                throw APIError(status: .badRequest, code: "invalid_gzip",
                               message: "Content-Encoding: gzip, but the body is not gzip data (\(error))")
            }
        case let other?:
            throw APIError(status: .unsupportedMediaType, code: "unsupported_content_encoding",
                           message: "Content-Encoding \(other.prefix(50)) is not supported: send gzip or none")
        }
    }
}
