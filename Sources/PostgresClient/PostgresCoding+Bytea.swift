import Foundation
import VigilPrimitives

/// `Data` maps to `bytea` in hex format (`\x0a1b...`). Every connection sets
/// `bytea_output = 'hex'` at connect, so the legacy escape format never has to be parsed.
extension Data: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind {
        var bytes = [UInt8]()
        bytes.reserveCapacity(2 + count * 2)
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "x"))
        Hex.append(self, to: &bytes)
        return PostgresBind(text: String(decoding: bytes, as: UTF8.self), typeOID: Self.postgresTypeOID)
    }

    public static var postgresTypeOID: UInt32 { PostgresOID.bytea }

    public init(postgresText: String) throws {
        var text = postgresText
        // Contiguous UTF-8 (what libpq's values are): decoded in place, without a copy.
        let decoded: [UInt8]? = try text.withUTF8 { utf8 in
            guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
                throw PostgresError.decoding("cannot decode bytea: expected hex format (\\x...)")
            }
            return Hex.decode(contiguous: UnsafeBufferPointer(rebasing: utf8[2...]))
        }
        guard let bytes = decoded else {
            throw PostgresError.decoding("cannot decode bytea: invalid hex digit")
        }
        self = Data(bytes)
    }
}
