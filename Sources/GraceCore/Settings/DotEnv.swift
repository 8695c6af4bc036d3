/// Parser for `.env` files: `KEY=value` lines, `export KEY=value`, `#` comments,
/// single-quoted (literal) and double-quoted (with `\n \t \" \\` escapes) values.
///
/// Hand-written because none of the packages available to Grace parses `.env`; the format is
/// small and the error messages need to name the file and line.
public enum DotEnv {
    /// A line that is not a comment, blank, or assignment.
    public struct ParseError: Error, CustomStringConvertible, Equatable, Sendable {
        public var source: String
        public var line: Int
        public var reason: String
        public var description: String { "\(source):\(line): \(reason)" }
    }

    /// Parses `text`; `source` names the file in errors. Later assignments of a key win.
    public static func parse(_ text: String, source: String) throws(ParseError) -> [String: String] {
        var values: [String: String] = [:]
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so split on both forms of line end.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = rawLine.drop { $0 == " " || $0 == "\t" }
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7).drop { $0 == " " } }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(source: source, line: lineNumber, reason: "expected KEY=value, found \"\(line.prefix(40))\"")
            }
            let key = line[..<equals].trimmingSpaces()
            guard isValidKey(key) else {
                throw ParseError(source: source, line: lineNumber, reason: "\"\(key)\" is not a valid variable name (letters, digits and _; not starting with a digit)")
            }
            let value = try parseValue(line[line.index(after: equals)...], source: source, line: lineNumber)
            values[String(key)] = value
        }
        return values
    }

    private static func isValidKey(_ key: Substring) -> Bool {
        guard let first = key.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    private static func parseValue(_ raw: Substring, source: String, line: Int) throws(ParseError) -> String {
        let value = raw.drop { $0 == " " || $0 == "\t" }
        guard let quote = value.first, quote == "\"" || quote == "'" else {
            // Unquoted: an inline comment starts at " #".
            var text = value
            if let hash = text.range(of: " #") { text = text[..<hash.lowerBound] }
            return String(text.trimmingSpaces())
        }
        var result = ""
        var index = value.index(after: value.startIndex)
        while index < value.endIndex {
            let character = value[index]
            if character == quote {
                let rest = value[value.index(after: index)...].trimmingSpaces()
                guard rest.isEmpty || rest.hasPrefix("#") else {
                    throw ParseError(source: source, line: line, reason: "unexpected text after closing quote: \"\(rest.prefix(40))\"")
                }
                return result
            }
            if quote == "\"" && character == "\\" {
                index = value.index(after: index)
                guard index < value.endIndex else { break }
                switch value[index] {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                default: result.append(value[index])
                }
            } else {
                result.append(character)
            }
            index = value.index(after: index)
        }
        throw ParseError(source: source, line: line, reason: "unterminated \(quote == "\"" ? "double" : "single")-quoted value")
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
