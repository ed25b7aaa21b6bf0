/// RFC 2045 quoted-printable for UTF-8 text bodies. Chosen over base64 so messages stay
/// readable in raw form (handy when debugging a relay), while still guaranteeing lines of
/// at most 76 characters whatever the alert text contains.
enum QuotedPrintable {
    static let maxLineLength = 76

    /// Input line breaks (LF, CR or CRLF) become CRLF hard breaks; long lines get soft breaks.
    static func encode(_ text: String) -> String {
        var output: [String] = []
        for line in normalizedLines(text) {
            output.append(encodeLine(Array(line.utf8)))
        }
        return output.joined(separator: "\r\n")
    }

    static func normalizedLines(_ text: String) -> [Substring] {
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return unified.split(separator: "\n", omittingEmptySubsequences: false)
    }

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var physical: [String] = []
        var current = ""
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            var token: String
            switch byte {
            case 0x20, 0x09:
                // Trailing whitespace would be stripped in transit, so it is encoded.
                token = isLast ? hex(byte) : String(UnicodeScalar(byte))
            case 0x3D:  // "="
                token = hex(byte)
            case 0x21...0x7E:
                token = String(UnicodeScalar(byte))
            default:
                token = hex(byte)
            }
            // A line starting with "." could be eaten by SMTP dot-handling, and "From " by
            // mbox storage: encode that first character.
            if current.isEmpty && (byte == 0x2E || (byte == 0x46 && index == 0 && bytes.starts(with: Array("From ".utf8)))) {
                token = hex(byte)
            }
            // Keep room for the soft-break "=" unless this token ends the line.
            let limit = isLast ? maxLineLength : maxLineLength - 1
            if current.utf8.count + token.utf8.count > limit {
                physical.append(current + "=")
                current = ""
                if byte == 0x2E { token = hex(byte) }
            }
            current += token
        }
        physical.append(current)
        return physical.joined(separator: "\r\n")
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
