import Testing
import VigilPrimitives

struct HexTests {
    static let cases: [(bytes: [UInt8], hex: String)] = [
        ([], ""),
        ([0x00], "00"),
        ([0x0f, 0xf0], "0ff0"),
        ([0xde, 0xad, 0xbe, 0xef], "deadbeef"),
        (Array(0...255), (0...255).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()),
    ]

    @Test(arguments: cases)
    func encodesLowercaseAndDecodesBack(_ c: (bytes: [UInt8], hex: String)) {
        #expect(Hex.encode(c.bytes) == c.hex)
        #expect(Hex.decode(c.hex) == c.bytes)
        #expect(Hex.decode(c.hex.uppercased()) == c.bytes)
        var buffer: [UInt8] = [0x78]
        Hex.append(c.bytes, to: &buffer)
        #expect(buffer == [0x78] + Array(c.hex.utf8))
    }

    @Test(arguments: ["0", "abc", "zz", "0g", " 00", "00 ", "+1", "é0"])
    func rejectsWhatIsNotAnEvenRunOfHexDigits(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }

    @Test func decodesFromBytesAtHand() {
        let bytea = Array(#"\x0aFF"#.utf8)
        #expect(Hex.decode(utf8: bytea.dropFirst(2)) == [0x0a, 0xff])
    }
}
