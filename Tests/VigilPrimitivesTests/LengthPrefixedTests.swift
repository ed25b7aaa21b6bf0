import Testing
import VigilPrimitives

/// Both length-prefix formats are under persisted hashes (audit chain, fingerprints, series
/// ids), so the exact bytes are pinned here.
struct LengthPrefixedTests {
    @Test func uint32BigEndianFields() {
        var fields = LengthPrefixed(.uint32BigEndian)
        fields.append("ab")
        fields.append("")
        fields.append("é")
        #expect(fields.bytes == [0, 0, 0, 2, 0x61, 0x62, 0, 0, 0, 0, 0, 0, 0, 2, 0xC3, 0xA9])
    }

    @Test func headerAndBareCounts() {
        var fields = LengthPrefixed(.uint32BigEndian, header: [1])
        fields.append("a")
        fields.appendUInt32(258)
        #expect(fields.bytes == [1, 0, 0, 0, 1, 0x61, 0, 0, 1, 2])
    }

    @Test func netstrings() {
        var fields = LengthPrefixed(.netstring)
        for field in ["v1", "api", "High CPU", "", "é"] { fields.append(field) }
        #expect(String(decoding: fields.bytes, as: UTF8.self) == "2:v1,3:api,8:High CPU,0:,2:é,")
    }

    /// The point of the prefixes: moving bytes across a boundary changes the encoding.
    @Test(arguments: [LengthPrefixed.Format.uint32BigEndian, .netstring])
    func boundariesCannotBeForged(_ format: LengthPrefixed.Format) {
        func encode(_ parts: [String]) -> [UInt8] {
            var fields = LengthPrefixed(format)
            parts.forEach { fields.append($0) }
            return fields.bytes
        }
        #expect(encode(["ab", "c"]) != encode(["a", "bc"]))
        #expect(encode(["a,b", "c"]) != encode(["a", "b,c"]))
        #expect(encode(["", "x"]) != encode(["x", ""]))
    }
}
