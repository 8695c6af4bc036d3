/// A value bound to a statement parameter, in the few types Grace's tables use.
///
/// Both backends bind these: SQLite as its storage classes, PostgreSQL as TEXT, BIGINT and
/// DOUBLE PRECISION. Keeping the set small keeps the two schemas column-for-column the same.
enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    init(_ value: Int64?) { self = value.map(SQLValue.integer) ?? .null }
    init(_ value: Double?) { self = value.map(SQLValue.real) ?? .null }
    init(_ value: Bool) { self = .integer(value ? 1 : 0) }
}

/// One SQL statement with `?` placeholders and its arguments, written once for both backends.
///
/// PostgreSQL numbers its placeholders (`$1`, `$2`, ...); ``numberedPlaceholders`` rewrites them.
/// Grace's statements never put a `?` inside a string literal, which is what makes the rewrite safe.
struct SQLStatement: Sendable {
    var sql: String
    var arguments: [SQLValue]

    init(_ sql: String, _ arguments: [SQLValue] = []) {
        self.sql = sql
        self.arguments = arguments
    }

    var numberedPlaceholders: String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + arguments.count * 2)
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                result += "$\(index)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}
