import Foundation

/// A deliberately independent, minimal MIME reader used to check what MIMEMessage.render
/// produced (and what the SMTP peer received).
struct ParsedMIME {
    var headers: [(name: String, value: String)]  // unfolded, raw (not RFC 2047 decoded)
    var body: String

    init(_ raw: String) {
        let separator = raw.range(of: "\r\n\r\n")
        let head = separator.map { String(raw[..<$0.lowerBound]) } ?? raw
        body = separator.map { String(raw[$0.upperBound...]) } ?? ""
        var fields: [(String, String)] = []
        for line in head.components(separatedBy: "\r\n") {
            if (line.hasPrefix(" ") || line.hasPrefix("\t")), !fields.isEmpty {
                fields[fields.count - 1].1 += line  // unfold: drop the CRLF, keep the WSP
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
        }
        headers = fields.map { (name: $0.0, value: $0.1) }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var boundary: String? {
        guard let contentType = header("Content-Type"),
              let range = contentType.range(of: "boundary=\"") else { return nil }
        let rest = contentType[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// Parts of a multipart body, split on the boundary delimiter lines.
    var parts: [ParsedMIME] {
        guard let boundary else { return [] }
        let chunks = ("\r\n" + body).components(separatedBy: "\r\n--" + boundary)
        // chunks[0] is the preamble; the last starts with "--" (closing delimiter).
        return chunks.dropFirst().filter { !$0.hasPrefix("--") }.map { chunk in
            // Drop the CRLF ending the delimiter line (one Character in Swift: "\r\n" is a grapheme).
            ParsedMIME(chunk.hasPrefix("\r\n") ? String(chunk.dropFirst()) : chunk)
        }
    }
}

enum QPDecoder {
    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.utf8)
        var i = 0
        while i < input.count {
            let byte = input[i]
            if byte == UInt8(ascii: "=") {
                if i + 2 < input.count, input[i + 1] == 0x0D, input[i + 2] == 0x0A { i += 3; continue }  // soft break
                if i + 2 < input.count, let value = UInt8(String(decoding: input[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                    bytes.append(value); i += 3; continue
                }
            }
            bytes.append(byte)
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

enum RFC2047Decoder {
    /// Decodes "=?UTF-8?B?...?=" words; whitespace between adjacent encoded words is dropped.
    static func decode(_ value: String) -> String {
        let pattern = try! NSRegularExpression(pattern: "=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=(\\s+(?==\\?))?", options: [.caseInsensitive])
        var output = ""
        var last = value.startIndex
        let ns = value as NSString
        for match in pattern.matches(in: value, range: NSRange(location: 0, length: ns.length)) {
            let range = Range(match.range, in: value)!
            output += value[last..<range.lowerBound]
            let base64 = ns.substring(with: match.range(at: 1))
            output += String(decoding: Data(base64Encoded: base64) ?? Data(), as: UTF8.self)
            last = range.upperBound
        }
        output += value[last...]
        return output
    }
}
