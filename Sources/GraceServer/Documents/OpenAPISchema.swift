import GraceCore

/// Small builders for OpenAPI 3.0 schema objects, so the document reads like the API it describes.
enum Schema {
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    /// A reference that may also be `null` (OpenAPI 3.0 ignores siblings of `$ref`, hence `allOf`).
    static func nullableRef(_ name: String) -> JSONValue { ["allOf": [ref(name)], "nullable": true] }

    static func string(_ description: String? = nil, nullable: Bool = false, format: String? = nil, example: String? = nil,
                       minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil) -> JSONValue {
        scalar("string", description, nullable: nullable, extra: [
            "format": format.map(JSONValue.string), "example": example.map(JSONValue.string),
            "minLength": minLength.map { .number(Double($0)) }, "maxLength": maxLength.map { .number(Double($0)) },
            "pattern": pattern.map(JSONValue.string),
        ])
    }
    /// Text the server requires non-empty and bounded.
    static func text(_ description: String? = nil, maxLength: Int, nullable: Bool = false) -> JSONValue {
        string(description, nullable: nullable, minLength: 1, maxLength: maxLength)
    }
    /// An id as ``PathID`` accepts it.
    static func id(_ description: String? = nil, nullable: Bool = false) -> JSONValue {
        string(description, nullable: nullable, pattern: idPattern)
    }
    static let idPattern = "^[A-Za-z0-9_.:-]{1,128}$"
    /// What `Timestamp.date(from:)` reads: UTC, optional fraction, `Z`, `+00:00` or nothing.
    static let timestampPattern =
        "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|\\+00:00)?$"
    static func integer(_ description: String? = nil, nullable: Bool = false, minimum: Int? = nil) -> JSONValue {
        scalar("integer", description, nullable: nullable, extra: ["minimum": minimum.map { .number(Double($0)) }])
    }
    static func number(_ description: String? = nil, nullable: Bool = false, minimum: Double? = nil) -> JSONValue {
        scalar("number", description, nullable: nullable, extra: ["minimum": minimum.map(JSONValue.number)])
    }
    static func boolean(_ description: String? = nil, nullable: Bool = false) -> JSONValue {
        scalar("boolean", description, nullable: nullable, extra: [:])
    }
    static func enumeration(_ values: [String], _ description: String? = nil, nullable: Bool = false) -> JSONValue {
        var cases = values.map(JSONValue.string)
        if nullable { cases.append(.null) }
        return scalar("string", description, nullable: nullable, extra: ["enum": .array(cases)])
    }
    /// Any JSON value.
    static func any(_ description: String? = nil) -> JSONValue {
        description.map { ["description": .string($0)] } ?? .object([:])
    }
    /// A free-form JSON object (`details`, `metadata`).
    static func freeObject(_ description: String? = nil, nullable: Bool = false) -> JSONValue {
        scalar("object", description, nullable: nullable, extra: ["additionalProperties": true])
    }
    /// An object whose keys are data (a status, a pattern id) and whose values all have one schema.
    static func map(of values: JSONValue, _ description: String? = nil) -> JSONValue {
        scalar("object", description, nullable: false, extra: ["additionalProperties": values])
    }
    static func array(_ items: JSONValue, _ description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "array", "items": items]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }
    /// An object with these properties; every property is required unless listed in `optional`.
    static func object(_ properties: KeyValuePairs<String, JSONValue>, optional: Set<String> = [], description: String? = nil,
                       additional: Bool = false) -> JSONValue {
        var schema: [String: JSONValue] = [
            "type": "object",
            "properties": .object(Dictionary(properties.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })),
            "additionalProperties": .bool(additional),
        ]
        let required = properties.map(\.key).filter { !optional.contains($0) }
        if !required.isEmpty { schema["required"] = .array(required.map(JSONValue.string)) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    private static func scalar(_ type: String, _ description: String?, nullable: Bool, extra: [String: JSONValue?]) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string(type)]
        if let description { schema["description"] = .string(description) }
        if nullable { schema["nullable"] = true }
        for (key, value) in extra { if let value { schema[key] = value } }
        return .object(schema)
    }
}
