/// Minimal mailbox parsing: "Display Name <local@domain>" or "local@domain".
/// Enough for configured sender/recipient strings; not a full RFC 5322 parser.
struct EmailAddress: Equatable {
    var displayName: String
    var address: String

    init(parsing raw: String) {
        let clean = MIMEHeader.sanitize(raw)
        if let open = clean.lastIndex(of: "<"),
           let close = clean[open...].firstIndex(of: ">") {
            var name = clean[..<open].trimmingCharacters(in: " ")
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                name = String(name.dropFirst().dropLast())
            }
            displayName = String(name.prefix(256))
            address = EmailAddress.cleanAddress(String(clean[clean.index(after: open)..<close]))
        } else {
            displayName = ""
            address = EmailAddress.cleanAddress(clean)
        }
    }

    /// Characters that could break out of <...> in headers or SMTP commands are dropped.
    private static func cleanAddress(_ raw: String) -> String {
        String(String.UnicodeScalarView(raw.unicodeScalars.filter { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && !"<>,;\"()\\[]".unicodeScalars.contains(scalar)
        }).prefix(320))
    }

    /// Header form: ASCII names quoted, non-ASCII names as RFC 2047 words.
    var headerForm: String {
        guard !displayName.isEmpty else { return address }
        let name: String
        if MIMEHeader.isPrintableASCII(displayName) && !displayName.contains("=?") {
            let escaped = displayName.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
            name = "\"" + escaped + "\""
        } else {
            name = MIMEHeader.encodedWords(displayName).joined(separator: " ")
        }
        return name + " <" + address + ">"
    }
}

private extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var slice = self[...]
        while slice.first == set { slice = slice.dropFirst() }
        while slice.last == set { slice = slice.dropLast() }
        return String(slice)
    }
}
