import Foundation
import GraceCore
import GraceLog

/// Writes compact JSON by hand for the one large, hot response: a timeline of thousands of steps.
/// Foundation's `JSONEncoder` spent over half of such a request in generic `Codable` machinery.
/// The output is what `JSONEncoder.graceCompact` writes: sorted keys, unescaped slashes.
struct JSONTextWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ data: Data) { bytes.append(contentsOf: data) }

    /// `"key":` — keys are written by the caller in sorted order.
    mutating func key(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        raw("\":")
    }

    /// Escaped by GraceLog's ``JSONEscaping``, which writes what `JSONEncoder` does.
    mutating func string(_ value: String) {
        JSONEscaping.appendQuoted(value, to: &bytes)
    }

    mutating func string(_ value: String?) {
        if let value { string(value) } else { raw("null") }
    }

    mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    /// Whole numbers as integers (as ``JSONValue`` encodes them), others in Swift's shortest form.
    mutating func number(_ value: Double?) {
        guard let value, value.isFinite else { return raw("null") }
        if value.rounded() == value, abs(value) < 1e15 { int(Int(value)) } else { bytes.append(contentsOf: "\(value)".utf8) }
    }

    mutating func value(_ value: JSONValue?) {
        switch value ?? .null {
        case .null: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            // The order JSONEncoder's .sortedKeys gives: by UTF-8 bytes.
            for (index, entry) in object.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(entry.key)
                bytes.append(UInt8(ascii: ":"))
                self.value(entry.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

extension StepPayload {
    /// The same object as `encode(to:)`, keys in sorted order.
    func write(to writer: inout JSONTextWriter) {
        writer.raw("{")
        writer.key("description"); writer.string(step.description)
        writer.raw(","); writer.key("details"); writer.value(step.details)
        writer.raw(","); writer.key("duration_ms"); writer.number(step.durationMS)
        writer.raw(","); writer.key("ended_at"); writer.string(step.endedAt)
        if let logEntries { writer.raw(","); writer.key("log_entries"); writer.int(logEntries) }
        if let logsURL { writer.raw(","); writer.key("logs_url"); writer.string(logsURL) }
        writer.raw(","); writer.key("parent_span_id"); writer.string(step.parentSpanID)
        writer.raw(","); writer.key("playbook_id"); writer.string(step.playbookID)
        writer.raw(","); writer.key("run_id"); writer.string(step.runID)
        writer.raw(","); writer.key("span_id"); writer.string(step.spanID)
        writer.raw(","); writer.key("started_at"); writer.string(step.startedAt)
        writer.raw(","); writer.key("status"); writer.string(step.status.rawValue)
        writer.raw(","); writer.key("step_id"); writer.string(step.stepID)
        writer.raw(","); writer.key("step_type"); writer.string(step.stepType)
        writer.raw(","); writer.key("subsystem"); writer.string(step.subsystem)
        writer.raw(","); writer.key("timestamp"); writer.string(step.timestamp)
        writer.raw(","); writer.key("verification_id"); writer.string(step.verificationID)
        writer.raw("}")
    }
}

extension RunRoutes.Timeline {
    /// The JSON `JSONEncoder.graceCompact` would write for this timeline, written by hand: the
    /// encoder took most of a 1,000-step timeline request's time.
    func json() throws -> [UInt8] {
        var writer = JSONTextWriter(capacity: 512 * (steps.count + 1))
        writer.raw("{"); writer.key("log_entries"); writer.int(logEntries)
        writer.raw(","); writer.key("logs_url"); writer.string(logsURL)
        writer.raw(","); writer.key("run"); writer.raw(try JSONEncoder.graceCompact.encode(run))
        writer.raw(","); writer.key("steps"); writer.raw("[")
        for (index, step) in steps.enumerated() {
            if index > 0 { writer.raw(",") }
            step.write(to: &writer)
        }
        writer.raw("]}")
        return writer.bytes
    }
}
