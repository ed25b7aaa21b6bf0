/// Little helpers for the sketch's binary format: LEB128 varints, zigzag for signed
/// integers, and IEEE-754 doubles as 8 little-endian bytes.
struct SketchByteWriter {
    var bytes: [UInt8] = []

    mutating func uvarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func uvarint(_ value: Int) { uvarint(UInt64(bitPattern: Int64(value))) }

    /// Zigzag: 0, -1, 1, -2 … → 0, 1, 2, 3 …, so small negative indexes stay short.
    mutating func svarint(_ value: Int) {
        let v = Int64(value)
        uvarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    mutating func double(_ value: Double) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }
}

/// Reads what `SketchByteWriter` wrote; every read checks bounds and overflow and throws.
struct SketchByteReader {
    let bytes: [UInt8]
    var position = 0

    var isAtEnd: Bool { position == bytes.count }
    var remaining: Int { bytes.count - position }

    mutating func byte() throws(QuantileSketchDecodingError) -> UInt8 {
        guard position < bytes.count else { throw .truncated }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uvarint64() throws(QuantileSketchDecodingError) -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            let b = try byte()
            if shift == 63 && b > 1 { throw .invalid("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << UInt64(shift)
            if b & 0x80 == 0 { return result }
        }
        throw .invalid("varint longer than 10 bytes")
    }

    /// A non-negative Int (rejects values above Int.max).
    mutating func uvarint() throws(QuantileSketchDecodingError) -> Int {
        let v = try uvarint64()
        guard v <= UInt64(Int.max) else { throw .invalid("count too large") }
        return Int(v)
    }

    mutating func svarint() throws(QuantileSketchDecodingError) -> Int {
        let u = try uvarint64()
        return Int(Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))))
    }

    mutating func double() throws(QuantileSketchDecodingError) -> Double {
        guard remaining >= 8 else { throw .truncated }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[position + i]) << UInt64(8 * i) }
        position += 8
        return Double(bitPattern: bits)
    }
}
