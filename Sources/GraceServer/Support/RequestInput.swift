import Foundation
import GraceCore
import Hummingbird

/// Typed, validated access to a request's query parameters; a bad value is a 422 naming it.
struct QueryParameters {
    let values: [String: String]

    init(_ request: Request) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
        self.values = values
    }

    /// The value, nil when absent or empty (`?status=` means no filter).
    func string(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        // Unicode scalars, as JSON Schema's maxLength counts them.
        guard value.unicodeScalars.count <= maxLength else { throw APIError.invalidParameter(name, "longer than \(maxLength) characters") }
        return value
    }

    /// The value of a typed parameter: nil when absent; present but empty is no value of any type.
    private func typed(_ name: String) throws -> String? {
        guard let value = values[name] else { return nil }
        guard !value.isEmpty else { throw APIError.invalidParameter(name, "empty value") }
        return try string(name)
    }

    func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = try typed(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.invalidParameter(name, "expected an integer from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }

    func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let text = try typed(name) else { return fallback }
        switch text {
        case "true": return true
        case "false": return false
        default: throw APIError.invalidParameter(name, "expected true or false, got '\(text)'")
        }
    }

    /// A timestamp (`2026-12-03T16:30:00Z`, fractions and `+00:00` allowed), in the stored text form.
    func timestamp(_ name: String) throws -> String? {
        guard let text = try typed(name) else { return nil }
        guard let date = Timestamp.date(from: text) else {
            throw APIError.invalidParameter(name, "expected a UTC timestamp such as 2026-12-03T16:30:00Z, got '\(text)'")
        }
        return Timestamp.string(from: date)
    }

    /// One of `T`'s cases, by raw value; anything else is a 422 listing them.
    func enumeration<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, allowed: [T]? = nil) throws -> T?
    where T.RawValue == String {
        guard let text = try typed(name) else { return nil }
        let cases = allowed ?? Array(T.allCases)
        guard let value = T(rawValue: text), cases.contains(where: { $0.rawValue == value.rawValue }) else {
            throw APIError.invalidParameter(name, "expected one of \(cases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
        }
        return value
    }
}

/// Path parameters: ids only, checked before use so they never reach anything but a lookup.
enum PathID {
    /// Letters, digits and `_ - . :`, at most 128 characters: every id Grace hands out, and then some.
    static func isValid(_ id: some StringProtocol) -> Bool {
        !id.isEmpty && id.utf8.count <= 128 && id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D || byte == 0x2E || byte == 0x3A
        }
    }

    /// The named parameter; an id that cannot exist is answered like an unknown one (404).
    static func require(_ name: String, kind: String, in context: some RequestContext) throws -> String {
        guard let id = context.parameters.get(name), isValid(id) else {
            throw APIError(status: .notFound, code: "not_found", message: "\(kind) not found (malformed id)")
        }
        return id
    }
}

/// Any key: lets a body list the fields it was sent, to refuse unknown ones.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Decoding helpers for request bodies: enum values named in the error, optional fields kept apart from null.
extension KeyedDecodingContainer {
    /// A string that must be one of `allowed`.
    func decodeChoice<T: RawRepresentable>(_ type: T.Type, forKey key: Key, allowed: [T]) throws -> T where T.RawValue == String {
        let text = try decode(String.self, forKey: key)
        guard let value = T(rawValue: text), allowed.contains(where: { $0.rawValue == text }) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "expected one of \(allowed.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
        }
        return value
    }

    func decodeChoiceIfPresent<T: RawRepresentable>(_ type: T.Type, forKey key: Key, allowed: [T]) throws -> T? where T.RawValue == String {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeChoice(type, forKey: key, allowed: allowed)
    }

    /// A non-empty string of at most `maxLength` characters.
    func decodeText(forKey key: Key, maxLength: Int = 10_000) throws -> String {
        let text = try decode(String.self, forKey: key)
        guard !text.isEmpty, text.unicodeScalars.count <= maxLength else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self,
                                                   debugDescription: "expected a non-empty string of at most \(maxLength) characters")
        }
        return text
    }

    func decodeTextIfPresent(forKey key: Key, maxLength: Int = 10_000) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeText(forKey: key, maxLength: maxLength)
    }

    /// A JSON object (`details`, `metadata`); other JSON values are refused.
    func decodeObjectIfPresent(forKey key: Key) throws -> JSONValue? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        let value = try decode(JSONValue.self, forKey: key)
        guard case .object = value else {
            throw DecodingError.typeMismatch([String: JSONValue].self, .init(codingPath: codingPath + [key], debugDescription: "expected an object"))
        }
        return value
    }

    /// A finite, non-negative number of milliseconds.
    func decodeDurationIfPresent(forKey key: Key) throws -> Double? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        let value = try decode(Double.self, forKey: key)
        guard value.isFinite, value >= 0, value < 1e12 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a non-negative number of milliseconds")
        }
        return value
    }

    /// A timestamp Grace can read (ISO 8601 in UTC), normalised to the stored form.
    func decodeTimestampIfPresent(forKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        let text = try decode(String.self, forKey: key)
        // A four-digit year first: Timestamp's day arithmetic is only meant for real dates.
        let yearShaped = text.utf8.count <= 40 && text.utf8.prefix(4).allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            && text.utf8.dropFirst(4).first == UInt8(ascii: "-")
        guard yearShaped, let date = Timestamp.date(from: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self,
                                                   debugDescription: "expected an ISO 8601 UTC timestamp such as 2025-11-09T18:30:00.123456Z, got '\(text)'")
        }
        return Timestamp.string(from: date)
    }

    /// An id-shaped string (see ``PathID``).
    func decodeIDIfPresent(forKey key: Key) throws -> String? {
        guard let text = try decodeTextIfPresent(forKey: key, maxLength: 128) else { return nil }
        guard PathID.isValid(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self,
                                                   debugDescription: "expected letters, digits, '_', '-', '.' or ':' (at most 128)")
        }
        return text
    }
}
