import Foundation

/// `Data` maps to `bytea` in hex format (`\x0a1b...`). Every connection sets
/// `bytea_output = 'hex'` at connect, so the legacy escape format never has to be parsed.
extension Data: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind {
        let hexDigits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(2 + count * 2)
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "x"))
        for byte in self {
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0x0f)])
        }
        return PostgresBind(text: String(decoding: bytes, as: UTF8.self), typeOID: Self.postgresTypeOID)
    }

    public static var postgresTypeOID: UInt32 { PostgresOID.bytea }

    public init(postgresText: String) throws {
        let utf8 = Array(postgresText.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            throw PostgresError.decoding("cannot decode bytea: expected hex format (\\x...)")
        }
        var data = Data(capacity: (utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else {
                throw PostgresError.decoding("cannot decode bytea: invalid hex digit")
            }
            data.append(high << 4 | low)
            index += 2
        }
        self = data
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
