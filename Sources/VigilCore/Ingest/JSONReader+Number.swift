extension JSONReader {
    /// Reads a number per the JSON grammar `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    /// and converts it with correct rounding. Returns ±infinity when the value overflows
    /// (e.g. `1e400`); the caller decides whether that is an error (skipped values don't care).
    mutating func scanNumber() throws(ValidationFailure) -> Double {
        let start = pos
        var i = pos
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }

        // Up to 19 significant digits fit a UInt64; beyond that we fall back to the slow path.
        var mantissa: UInt64 = 0
        var digits = 0
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] &- UInt8(ascii: "0") < 10 }

        guard isDigit(i) else { throw syntaxError("expected a digit", at: i) }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if isDigit(i) { throw syntaxError("leading zeros are not allowed", at: start) }
        } else {
            while isDigit(i) {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[i] - UInt8(ascii: "0")) }
                digits += 1
                i += 1
            }
        }
        // The decimal exponent implied by digits we didn't fold into `mantissa`.
        var scale = digits > 19 ? digits - 19 : 0
        var exact = digits <= 19
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { throw syntaxError("expected a digit after '.'", at: i) }
            while isDigit(i) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[i] - UInt8(ascii: "0"))
                    if mantissa != 0 { digits += 1 }  // leading fraction zeros aren't significant
                    scale -= 1
                } else {
                    exact = false
                }
                i += 1
            }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard isDigit(i) else { throw syntaxError("expected a digit in exponent", at: i) }
            var exponent = 0
            while isDigit(i) {
                // Saturate: anything past 10^6 over/underflows a Double anyway.
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(bytes[i] - UInt8(ascii: "0")) }
                i += 1
            }
            scale += expNegative ? -exponent : exponent
        }
        pos = i

        // Clinger's fast path: mantissa and 10^|scale| are both exact Doubles, so a single
        // IEEE multiply/divide is correctly rounded. Covers typical metric values.
        if exact, mantissa <= 1 << 53, (-22...22).contains(scale) {
            var value = Double(mantissa)
            value = scale < 0 ? value / Self.powersOf10[-scale] : value * Self.powersOf10[scale]
            return negative ? -value : value
        }
        // Slow path: the stdlib's correctly rounded strtod on the exact (grammar-checked) slice.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        return Double(text) ?? .nan  // unreachable: the grammar above is a subset of what Double accepts
    }

    private static let powersOf10: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { r, _ in r * 10 } }
}
