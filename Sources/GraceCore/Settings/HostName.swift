/// Host names as the `Host` header, `Origin` and `GRACE_HOST` / `GRACE_ALLOWED_HOSTS` give them:
/// one normal form (lowercase, no IPv6 brackets, no trailing dot) so they can be compared.
public enum HostName {
    /// `text` without port, brackets or trailing dot, lowercased; nil when it is not shaped like a
    /// host (empty, or an unclosed bracket).
    public static func normalized(_ text: some StringProtocol) -> String? {
        var host = Substring(text.lowercased())
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            host = host[host.index(after: host.startIndex)..<close]
        }
        if host.hasSuffix(".") { host = host.dropLast() }
        return host.isEmpty ? nil : String(host)
    }

    /// Splits an authority (`Host` header value) into its normalised host and its port, if any.
    /// nil when it is not `host`, `host:port`, `[v6]` or `[v6]:port`.
    public static func authority(_ text: some StringProtocol) -> (host: String, port: Int?)? {
        let text = Substring(text)
        var hostPart = text
        var portPart: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            hostPart = text[...close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portPart = rest.dropFirst()
            }
        } else if let colon = text.firstIndex(of: ":") {
            // More than one colon without brackets is a bare IPv6 address, which a Host header never is.
            guard text[text.index(after: colon)...].firstIndex(of: ":") == nil else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        var port: Int?
        if let portPart {
            guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(portPart), value <= 65_535 else { return nil }
            port = value
        }
        guard let host = normalized(hostPart), isPlausible(host) else { return nil }
        return (host, port)
    }

    /// Letters, digits, `.`, `-`, `_` and `:` (IPv6) only, at most 253 characters.
    public static func isPlausible(_ host: String) -> Bool {
        host.utf8.count <= 253 && host.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_:".unicodeScalars.contains(scalar))
        }
    }

    /// Whether a normalised host only reaches this machine: `localhost`, 127.0.0.0/8, `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy { $0.isASCII && $0.isNumber } && Int(octet).map { $0 <= 255 } == true
        }
    }
}
