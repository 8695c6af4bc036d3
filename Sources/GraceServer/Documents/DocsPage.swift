import GraceCore

/// Renders the OpenAPI document as one self-contained HTML page (`/docs`): no scripts, no
/// external styles or fonts, so it works offline and behind any proxy.
enum DocsPage {
    static let methodOrder = ["get", "post", "put", "patch", "delete"]

    static func render(_ document: JSONValue) -> String {
        let info = document["info"] ?? .null
        let paths = object(document["paths"])
        let tagOrder = array(document["tags"]).compactMap { $0["name"]?.stringValue }
        // In the order of the tags (as the navigation lists them), then by path and method.
        let operations = paths.keys.sorted().flatMap { path in
            methodOrder.compactMap { method in object(paths[path])[method].map { (path, method, $0) } }
        }.enumerated().sorted { lhs, rhs in
            let left = tagOrder.firstIndex(of: array(lhs.element.2["tags"]).first?.stringValue ?? "") ?? tagOrder.count
            let right = tagOrder.firstIndex(of: array(rhs.element.2["tags"]).first?.stringValue ?? "") ?? tagOrder.count
            return (left, lhs.offset) < (right, rhs.offset)
        }.map(\.element)
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(info["title"]?.stringValue ?? "API")) documentation</title>
            <style>\(style)</style></head><body>
            <header><h1>\(escape(info["title"]?.stringValue ?? "API")) <span class="version">\(escape(info["version"]?.stringValue ?? ""))</span></h1>
            <p>\(prose(info["description"]?.stringValue ?? ""))</p>
            <p class="links"><a href="/">Dashboard</a> · <a href="/openapi.json">openapi.json</a> · <a href="#schemas">Schemas</a></p></header>
            <nav><h2>Endpoints</h2>
            """
        for tag in array(document["tags"]) {
            let name = tag["name"]?.stringValue ?? ""
            let tagged = operations.filter { array($0.2["tags"]).contains(.string(name)) }
            guard !tagged.isEmpty else { continue }
            html += "<h3>\(escape(name))</h3><ul>"
            for (path, method, operation) in tagged {
                html += "<li><a href=\"#\(anchor(operation, path, method))\"><span class=\"m \(method)\">\(method.uppercased())</span> \(escape(path))</a></li>"
            }
            html += "</ul>"
        }
        html += "</nav><main>"
        for (path, method, operation) in operations {
            html += renderOperation(path: path, method: method, operation, document: document)
        }
        html += "<section id=\"schemas\"><h2>Schemas</h2>"
        let schemas = object(document["components"]?["schemas"])
        for name in schemas.keys.sorted() {
            html += "<article class=\"schema\" id=\"schema-\(escape(name))\"><h3>\(escape(name))</h3>"
            if let description = schemas[name]?["description"]?.stringValue { html += "<p>\(escape(description))</p>" }
            html += renderSchema(schemas[name] ?? .null) + "</article>"
        }
        html += "</section></main></body></html>\n"
        return html
    }

    static func renderOperation(path: String, method: String, _ operation: JSONValue, document: JSONValue) -> String {
        var html = "<article class=\"op\" id=\"\(anchor(operation, path, method))\">"
        html += "<h2><span class=\"m \(method)\">\(method.uppercased())</span> <code>\(escape(path))</code></h2>"
        html += "<p class=\"summary\">\(escape(operation["summary"]?.stringValue ?? ""))</p>"
        if let description = operation["description"]?.stringValue { html += "<p>\(prose(description))</p>" }
        if operation["security"] != nil {
            html += "<p class=\"auth\">Needs <code>Authorization: Bearer &lt;token&gt;</code> when GRACE_API_TOKEN is set.</p>"
        }
        let parameters = array(operation["parameters"])
        if !parameters.isEmpty {
            html += "<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr>"
            for parameter in parameters {
                let required = parameter["required"] == .bool(true) ? " <span class=\"req\">required</span>" : ""
                html += "<tr><td><code>\(escape(parameter["name"]?.stringValue ?? ""))</code>\(required)</td>"
                html += "<td>\(escape(parameter["in"]?.stringValue ?? ""))</td><td>\(typeText(parameter["schema"] ?? .null))</td>"
                html += "<td>\(prose(parameter["description"]?.stringValue ?? ""))</td></tr>"
            }
            html += "</table>"
        }
        if let body = operation["requestBody"] {
            let required = body["required"] == .bool(true) ? "required" : "optional"
            html += "<h4>Request body <span class=\"muted\">(JSON, \(required))</span></h4>"
            html += "<p>\(typeText(body["content"]?["application/json"]?["schema"] ?? .null))</p>"
        }
        html += "<h4>Responses</h4><table><tr><th>status</th><th>description</th><th>body</th></tr>"
        let responses = object(operation["responses"])
        for code in responses.keys.sorted() {
            var response = responses[code] ?? .null
            if let reference = response["$ref"]?.stringValue {
                response = document["components"]?["responses"]?[String(reference.split(separator: "/").last ?? "")] ?? .null
            }
            let content = object(response["content"])
            let body = content.keys.sorted().map { "<code>\(escape($0))</code> \(typeText(content[$0]?["schema"] ?? .null))" }
                .joined(separator: "<br>")
            html += "<tr><td class=\"code c\(code.prefix(1))\">\(escape(code))</td><td>\(escape(response["description"]?.stringValue ?? ""))</td><td>\(body)</td></tr>"
        }
        return html + "</table></article>"
    }

    /// A property table for objects; a one-line type for everything else.
    static func renderSchema(_ schema: JSONValue) -> String {
        let properties = object(schema["properties"])
        guard !properties.isEmpty else { return "<p>\(typeText(schema))</p>" }
        let required = Set(array(schema["required"]).compactMap(\.stringValue))
        var html = "<table><tr><th>field</th><th>type</th><th>description</th></tr>"
        for name in properties.keys.sorted() {
            let property = properties[name] ?? .null
            let mark = required.contains(name) ? "" : " <span class=\"muted\">optional</span>"
            var type = typeText(property)
            let inner = property["allOf"].flatMap { array($0).first } ?? (property["type"]?.stringValue == "array" ? property["items"] : property)
            if let inner, !object(inner["properties"]).isEmpty { type += renderSchema(inner) }
            html += "<tr><td><code>\(escape(name))</code>\(mark)</td><td>\(type)</td><td>\(prose(property["description"]?.stringValue ?? ""))</td></tr>"
        }
        return html + "</table>"
    }

    /// `string`, `integer | null`, `array of <a>AgentRun</a>`, `one of a, b`.
    static func typeText(_ schema: JSONValue) -> String {
        var text: String
        if let reference = schema["$ref"]?.stringValue {
            let name = String(reference.split(separator: "/").last ?? "")
            text = "<a href=\"#schema-\(escape(name))\">\(escape(name))</a>"
        } else if let first = array(schema["allOf"]).first {
            text = typeText(first)
        } else if schema["enum"] != nil {
            text = "one of " + array(schema["enum"]).compactMap(\.stringValue).map { "<code>\(escape($0))</code>" }.joined(separator: ", ")
        } else if schema["type"]?.stringValue == "array" {
            text = "array of " + typeText(schema["items"] ?? .null)
        } else {
            text = escape(schema["type"]?.stringValue ?? "any JSON")
        }
        if schema["nullable"] == .bool(true) { text += " | null" }
        if let pattern = schema["pattern"]?.stringValue { text += " <span class=\"muted\">matching <code>\(escape(pattern))</code></span>" }
        return text
    }

    static func anchor(_ operation: JSONValue, _ path: String, _ method: String) -> String {
        escape(operation["operationId"]?.stringValue ?? method + path)
    }

    static func object(_ value: JSONValue?) -> [String: JSONValue] {
        if case .object(let fields) = value ?? .null { return fields }
        return [:]
    }

    static func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items) = value ?? .null { return items }
        return []
    }

    /// Escaped text with `backticked` spans set as code (the only markup the descriptions use).
    static func prose(_ text: String) -> String {
        let parts = escape(text).split(separator: "`", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return escape(text) }
        return parts.enumerated().map { index, part in
            // Odd parts sit between a pair of backticks; a trailing unpaired one stays text.
            index % 2 == 1 && index < parts.count - 1 ? "<code>\(part)</code>" : (index % 2 == 1 ? "`" + part : String(part))
        }.joined()
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static let style = """
        :root{--bg:#0f1419;--panel:#171d24;--line:#2a333d;--text:#d7dde3;--muted:#8a96a3;--accent:#5eb3f0}
        *{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--text);display:grid;grid-template-columns:300px 1fr;grid-template-areas:"head head" "nav main"}
        header{grid-area:head;padding:20px 32px;border-bottom:1px solid var(--line)}header h1{margin:0 0 6px}header p{max-width:980px;color:var(--muted)}
        .version{font-size:14px;color:var(--muted);font-weight:normal}
        nav{grid-area:nav;padding:12px 20px;border-right:1px solid var(--line);position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto}
        nav h2{font-size:14px;text-transform:uppercase;color:var(--muted)}nav h3{font-size:13px;margin:14px 0 4px;color:var(--muted)}
        nav ul{list-style:none;margin:0;padding:0}nav li{margin:2px 0;font-size:13px}
        main{grid-area:main;padding:12px 32px 64px;min-width:0}td{overflow-wrap:anywhere}
        a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
        .op,.schema{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:14px 20px;margin:16px 0}
        .op h2{font-size:17px;margin:0}.summary{font-weight:600;margin:6px 0}
        .m{display:inline-block;min-width:52px;text-align:center;border-radius:4px;padding:1px 6px;font:600 12px ui-monospace,monospace;color:#0f1419}
        .m.get{background:#5eb3f0}.m.post{background:#6fcf8f}.m.put{background:#f0b35e}.m.patch{background:#c79bf0}.m.delete{background:#f07b6f}
        table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:14px}th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
        th{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase}td table{margin:6px 0 0;font-size:13px}
        code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;color:#e8c07d}
        .muted{color:var(--muted);font-size:12px}.req{color:#f07b6f;font-size:12px}.auth{color:#f0b35e}
        .code{font:600 13px ui-monospace,monospace}.c2{color:#6fcf8f}.c4{color:#f0b35e}.c5{color:#f07b6f}
        @media (max-width:900px){body{grid-template-columns:1fr;grid-template-areas:"head" "nav" "main"}nav{position:static;max-height:none}}
        """
}
