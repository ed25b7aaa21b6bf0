/// Zero-padded decimal numbers for hand-built timestamps (`0042`, `07`), which must not go
/// through a locale-aware formatter: their bytes feed checksums and wire formats.
public enum DecimalText {
    /// `value` with at least `width` digits, zero-padded, `-` before a negative value (`-0005`).
    public static func padded(_ value: Int, width: Int) -> String {
        var out: [UInt8] = []
        appendPadded(value, width: width, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `padded` appended as ASCII bytes, for formatters that build a byte buffer. Allocation-free:
    /// bulk COPY formats several of these per row.
    public static func appendPadded(_ value: Int, width: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude  // `magnitude`, not `-value`: Int.min has no positive twin
        var divisor: UInt = 1
        var digits = 1
        while magnitude / divisor >= 10 {
            divisor *= 10
            digits += 1
        }
        for _ in digits..<max(width, digits) { out.append(UInt8(ascii: "0")) }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
