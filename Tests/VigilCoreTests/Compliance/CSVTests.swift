import Testing
@testable import VigilCore

struct CSVTests {
    // (cell, how it appears in the file)
    static let cells: [(CSVCell, String)] = [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("line\nbreak", "\"line\nbreak\""),
        ("cr\rhere", "\"cr\rhere\""),
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+1", "'+1"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("a=b", "a=b"),
        (" =1", " =1"),
        ("é=1", "é=1"),
        (.integer(-5), "-5"),
        (.integer(42), "42"),
    ]

    @Test(arguments: cells.indices)
    func cellEscaping(index: Int) {
        let (cell, expected) = Self.cells[index]
        #expect(cell.encoded == expected)
    }

    @Test func tableHasHeaderAndCRLFLines() throws {
        let table = CSVTable(columns: ["id", "value", "=evil header"], rows: [[.integer(1), "-5", "x,y"], [2, "ok", ""]])
        let text = String(decoding: try table.render(), as: UTF8.self)
        #expect(text == "id,value,'=evil header\r\n1,'-5,\"x,y\"\r\n2,ok,\r\n")
    }

    @Test func byteOrderMarkIsOptional() throws {
        let bytes = try CSVTable(columns: ["a"]).render(byteOrderMark: true)
        #expect(bytes == [0xEF, 0xBB, 0xBF, 0x61, 0x0D, 0x0A])
    }

    @Test func writerStreamsInChunksWithTheSameBytes() throws {
        let rows: [[String]] = (0..<50).map { ["row \($0)", $0 % 2 == 0 ? "=1+\($0)" : "a\"b"] }
        var chunks: [[UInt8]] = []
        var writer = CSVWriter(columns: ["name", "value"], chunkSize: 32) { chunks.append($0) }
        for row in rows { try writer.append(text: row) }
        #expect(chunks.count > 5, "the sink is called while rows are appended, not only at the end")
        try writer.finish()
        #expect(writer.rowsWritten == 50)
        #expect(chunks.dropLast().allSatisfy { $0.count >= 32 })
        let whole = try CSVTable(columns: ["name", "value"], textRows: rows).render()
        #expect(chunks.flatMap { $0 } == whole)
        #expect(writer.bytesWritten == Int64(whole.count))
    }

    @Test func pullModeHandsOutTheSameBytes() throws {
        let rows: [[String]] = (0..<50).map { ["row \($0)", "@x\($0)"] }
        var writer = CSVWriter(columns: ["name", "value"], chunkSize: 40)
        var out: [UInt8] = []
        var pulls = 0
        for row in rows {
            try writer.append(text: row)
            if let chunk = writer.takeChunk() {
                #expect(chunk.count >= 40)
                out += chunk
                pulls += 1
            }
        }
        out += try writer.finish()
        #expect(pulls > 5)
        #expect(out == (try CSVTable(columns: ["name", "value"], textRows: rows).render()))
        #expect(writer.bytesWritten == Int64(out.count))
    }

    @Test func recordsAreAlignedByColumnName() throws {
        var out: [UInt8] = []
        var writer = CSVWriter(columns: ["a", "b"]) { out += $0 }
        try writer.append(record: ["b": "2", "ignored": "x"])
        try writer.finish()
        #expect(String(decoding: out, as: UTF8.self) == "a,b\r\n,2\r\n")
    }

    @Test func misuseThrows() throws {
        var writer = CSVWriter(columns: ["a", "b"]) { _ in }
        #expect(throws: CSVWriter.Failure.columnCountMismatch(expected: 2, got: 1)) { try writer.append(text: ["x"]) }
        try writer.finish()
        #expect(throws: CSVWriter.Failure.finished) { try writer.append(text: ["x", "y"]) }
        #expect(throws: CSVWriter.Failure.finished) { try writer.finish() }
    }

    @Test func sinkErrorsPropagate() {
        struct Full: Error {}
        var writer = CSVWriter(columns: ["a"], chunkSize: 1) { _ in throw Full() }
        #expect(throws: Full.self) { try writer.append(text: ["x"]) }
    }
}
