import CRE2

/// A matcher's regex, compiled once by RE2 (Alertmanager's engine, through Debian's libre2)
/// and shared between tasks.
///
/// RE2 runs in time linear in the value whatever the pattern: `(a+)+b` or `.*.*.*…x` cannot
/// stall the shared worker, which a backtracking engine (Swift's `Regex`) could not promise.
/// RE2 refuses backreferences and lookaround outright. Matching is over code points (`.` is
/// one Unicode scalar, so `e` + a combining accent is two) and anchored like Alertmanager's
/// `^(?:re)$`. A pattern is capped at `maxPatternBytes`, and RE2's program at 1 MiB.
///
/// `@unchecked Sendable`: the compiled RE2 object is immutable and RE2 documents matching as
/// thread-safe (its lazily built DFA cache is internally locked); the handle is freed once, in
/// `deinit`.
final class LabelRegex: @unchecked Sendable {
    static let maxPatternBytes = 1024

    private let handle: OpaquePointer

    init(pattern: String, field: String) throws(ValidationFailure) {
        guard pattern.utf8.count <= Self.maxPatternBytes else {
            throw ValidationFailure(field: field,
                                    message: "regex '\(pattern.prefix(64))' is longer than \(Self.maxPatternBytes) bytes")
        }
        var error = [CChar](repeating: 0, count: 256)
        // Bytes and a length, not a C string: a NUL inside the pattern stays part of it.
        let bytes = pattern.utf8.map { CChar(bitPattern: $0) } + [0]
        let compiled = bytes.withUnsafeBufferPointer { p in
            error.withUnsafeMutableBufferPointer { e in cre2_compile(p.baseAddress!, bytes.count - 1, e.baseAddress, e.count) }
        }
        guard let compiled else {
            let message = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ValidationFailure(field: field, message: "regex '\(pattern.prefix(64))' is invalid: \(message)")
        }
        handle = compiled
    }

    deinit {
        cre2_free(handle)
    }

    /// The whole value must match (`^(?:re)$`); linear in the value's length.
    func wholeMatches(_ value: String) -> Bool {
        if let hit = value.utf8.withContiguousStorageIfAvailable({ Self.match(handle, $0) }) { return hit }
        return Array(value.utf8).withUnsafeBufferPointer { Self.match(handle, $0) }
    }

    private static func match(_ handle: OpaquePointer, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return cre2_full_match(handle, "", 0) }
        return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { cre2_full_match(handle, $0, bytes.count) }
    }
}
