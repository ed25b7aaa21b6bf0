import Foundation

/// Where a JSON request body holds `null`. The generated decoders read `null` as "absent" for
/// every optional field, so a body the spec calls invalid (`"matchers": null`) would be
/// accepted; the API refuses nulls the spec does not allow before decoding (`NullFieldPolicy`).
public enum JSONNulls {
    /// Whether the bytes hold a `null` literal outside strings: one pass, no allocation, so the
    /// common body (no null at all) costs a byte scan and is never parsed twice.
    public static func mayContain(_ bytes: some Sequence<UInt8>) -> Bool {
        // Contiguous bodies (request buffers) are scanned without generic iteration, which
        // costs a call per byte across modules.
        if let found = bytes.withContiguousStorageIfAvailable({ scan($0) }) { return found }
        return scan(bytes)
    }

    private static func scan(_ bytes: some Sequence<UInt8>) -> Bool {
        var inString = false, escaped = false
        var matched = 0  // bytes of "null" matched so far outside a string
        let literal: [UInt8] = Array("null".utf8)
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if byte == UInt8(ascii: "\"") { inString = true; matched = 0; continue }
            matched = byte == literal[matched] ? matched + 1 : (byte == literal[0] ? 1 : 0)
            if matched == literal.count { return true }
        }
        return false
    }

    /// The paths of every `null` in the document, object keys joined by `.` and array elements
    /// as `[]` (`levels[].channel_ids`), in document order of a sorted-key walk; empty when
    /// the bytes are not JSON (the decoder reports that).
    public static func paths(in data: Data) -> [String] {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return [] }
        var found: [String] = []
        collect(root, path: "", into: &found)
        return found
    }

    private static func collect(_ value: Any, path: String, into found: inout [String]) {
        switch value {
        case is NSNull:
            found.append(path)
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                collect(object[key]!, path: path.isEmpty ? key : path + "." + key, into: &found)
            }
        case let array as [Any]:
            for element in array { collect(element, path: path + "[]", into: &found) }
        default:
            break
        }
    }
}
