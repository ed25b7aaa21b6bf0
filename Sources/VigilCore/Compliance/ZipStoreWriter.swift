import Foundation

/// A minimal ZIP writer (PKWARE APPNOTE 6.3): entries STORED (no compression), UTF-8 names,
/// CRC-32, one central directory. Report bundles are small text files, and storing keeps the
/// writer dependency-free and deterministic (fixed DOS timestamp from the report's time).
public struct ZipStoreWriter: Sendable {
    private var output: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0
    private let dosTime: UInt16
    private let dosDate: UInt16

    public init(modified: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: modified)
        dosTime = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        dosDate = UInt16(max(0, (c.year ?? 1980) - 1980) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
    }

    public mutating func add(path: String, bytes: [UInt8]) {
        let name = Array(path.utf8)
        let crc = CRC32.checksum(bytes)
        let offset = UInt32(output.count)
        // Local file header.
        append32(0x0403_4b50, to: &output); append16(20, to: &output); append16(0x0800, to: &output) // version, UTF-8 flag
        append16(0, to: &output); append16(dosTime, to: &output); append16(dosDate, to: &output)     // stored
        append32(crc, to: &output); append32(UInt32(bytes.count), to: &output); append32(UInt32(bytes.count), to: &output)
        append16(UInt16(name.count), to: &output); append16(0, to: &output)
        output += name
        output += bytes
        // Central directory entry.
        append32(0x0201_4b50, to: &central); append16(20, to: &central); append16(20, to: &central); append16(0x0800, to: &central)
        append16(0, to: &central); append16(dosTime, to: &central); append16(dosDate, to: &central)
        append32(crc, to: &central); append32(UInt32(bytes.count), to: &central); append32(UInt32(bytes.count), to: &central)
        append16(UInt16(name.count), to: &central); append16(0, to: &central); append16(0, to: &central)
        append16(0, to: &central); append16(0, to: &central); append32(0o100644 << 16, to: &central); append32(offset, to: &central)
        central += name
        count += 1
    }

    /// The archive's bytes.
    public func finish() -> [UInt8] {
        var bytes = output
        let centralOffset = UInt32(bytes.count)
        bytes += central
        append32(0x0605_4b50, to: &bytes); append16(0, to: &bytes); append16(0, to: &bytes)
        append16(UInt16(count), to: &bytes); append16(UInt16(count), to: &bytes)
        append32(UInt32(central.count), to: &bytes); append32(centralOffset, to: &bytes); append16(0, to: &bytes)
        return bytes
    }

    private func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value & 0xff)); bytes.append(UInt8(value >> 8))
    }

    private func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xff)) }
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as ZIP requires.
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
