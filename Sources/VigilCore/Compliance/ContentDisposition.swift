import Foundation

/// `Content-Disposition: attachment` with a file name every browser handles (RFC 6266, with
/// RFC 8187/5987 `filename*` for non-ASCII names).
///
/// `filename="…"` is an ASCII fallback: non-ASCII characters become `_`, and `"`, `\`, control
/// characters and path separators are replaced (no header injection, no path traversal).
/// `filename*=UTF-8''…` carries the real name percent-encoded, and is added only when it differs
/// from the fallback (RFC 6266 §4.3: recipients prefer `filename*`).
public enum ContentDisposition {
    public static func attachment(filename: String) -> String {
        let cleaned = sanitized(filename)
        let fallback = asciiFallback(cleaned)
        var value = "attachment; filename=\"\(fallback)\""
        if fallback != cleaned {
            value += "; filename*=UTF-8''" + percentEncoded(cleaned)
        }
        return value
    }

    /// Control characters dropped, separators and quotes replaced, leading dots removed, never empty.
    static func sanitized(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            if scalar.properties.generalCategory == .control { continue }
            switch scalar {
            case "/", "\\", "\"": out.append("_")
            default: out.unicodeScalars.append(scalar)
            }
        }
        while out.hasPrefix(".") { out.removeFirst() }
        out = out.trimmingCharacters(in: .whitespaces)
        return out.isEmpty ? "download" : out
    }

    static func asciiFallback(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.map { $0.isASCII ? $0 : "_" }))
    }

    /// RFC 8187 attr-char stays literal; every other UTF-8 byte becomes `%XX`.
    static func percentEncoded(_ name: String) -> String {
        let attrChars = Set("!#$&+-.^_`|~".utf8)
        var out = ""
        for byte in name.utf8 {
            if PIIChar.isAlnum(byte) || attrChars.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
