import Foundation
import Testing
@testable import VigilCore

struct ReportDocumentTests {
    static let workspace = UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!
    static let report = UUID(uuidString: "00000000-0000-0000-0000-0000000000BB")!
    static let now = Date(timeIntervalSince1970: 1_800_000_000.75)
    static let subject = DataSubject(email: "alice@example.com", ip: "10.0.0.1")
    static let terms = SubjectSearchTerms.make(subject: subject, pseudonymKey: Array("k".utf8), redactionPolicy: RedactionPolicy())

    static let sections = [
        ReportSection(table: "metric_points", methods: [.textSearch, .pseudonymToken, .textSearch], columns: ["series", "tags", "value"],
                      rows: [["1", #"{"user":"[EMAIL:0a1b2c3d4e5f]"}"#, "3"], ["2", "=cmd", "-1"]]),
        ReportSection(table: "alerts", methods: [.textSearch], records: [["message": "alice@example.com paged", "id": "7"], ["id": "8"]]),
    ]

    static func manifest(kind: ReportKind) -> ReportManifest {
        ReportManifest(reportID: report, kind: kind, format: .json, workspaceID: workspace, generatedAt: now,
                       subject: .make(kind: kind, subject: subject, terms: terms, fingerprintSalt: Array("salt".utf8)),
                       sections: sections, notes: terms.notes)
    }

    @Test func sectionsNormaliseMethodsAndColumns() {
        #expect(Self.sections[0].methods == [.pseudonymToken, .textSearch])
        #expect(Self.sections[1].columns == ["id", "message"])
        #expect(Self.sections[1].rows == [["7", "alice@example.com paged"], ["8", ""]])
        #expect(Self.sections[1].canonicalJSON.text
            == #"{"columns":["id","message"],"matched":2,"methods":["text_search"],"rows":[{"id":"7","message":"alice@example.com paged"},{"id":"8","message":""}],"table":"alerts"}"#)
    }

    @Test func manifestIsCanonicalAndComplete() throws {
        let manifest = Self.manifest(kind: .subjectExport)
        let bytes = manifest.bytes
        #expect(bytes == manifest.bytes, "stable")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["kind"] as? String == "subject_export")
        #expect(object["generated_at"] as? String == "2027-01-15T08:00:00Z")
        #expect(object["workspace_id"] as? String == "00000000-0000-0000-0000-00000000000a")
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["tables"] as? Int == 2 && totals["matched_rows"] as? Int == 4)
        let searched = try #require(object["searched"] as? [[String: Any]])
        #expect(searched.map { $0["table"] as? String } == ["alerts", "metric_points"])
        #expect(searched[1]["methods"] as? [String] == ["pseudonym_token", "text_search"])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""identifiers":{"email":"alice@example.com","ip":"10.0.0.1"}"#))
        #expect(text.contains("[EMAIL:"), "the export lists the pseudonym tokens searched")
        // Keys at the top level are in canonical order.
        #expect(text.hasPrefix(#"{"format":"json","format_version":1,"generated_at":"#))
    }

    @Test func erasureManifestHasOnlyTheFingerprint() {
        let text = String(decoding: Self.manifest(kind: .subjectErasure).bytes, as: UTF8.self)
        #expect(text.contains(#""subject":{"fingerprint":"hmac-sha256:"#))
        #expect(!text.contains("alice"))
        #expect(!text.contains("10.0.0.1"))
        #expect(ReportManifest.SubjectSummary.make(kind: .retention, subject: Self.subject, terms: nil, fingerprintSalt: []) == nil)
    }

    @Test(arguments: [1, 7, 64, 1 << 20])
    func streamingEqualsInMemoryRendering(chunkSize: Int) throws {
        let manifest = Self.manifest(kind: .subjectExport)
        var out: [UInt8] = []
        var calls = 0
        var writer = ReportJSONWriter(manifest: manifest, chunkSize: chunkSize) { out += $0; calls += 1 }
        for section in Self.sections {
            try writer.beginSection(table: section.table, methods: section.methods, columns: section.columns, matched: section.matched)
            for row in section.rows { try writer.appendRow(row) }
            try writer.endSection()
        }
        try writer.finish()
        #expect(out == ReportJSONWriter.render(manifest: manifest, sections: Self.sections))
        #expect(writer.bytesWritten == Int64(out.count))
        if chunkSize == 1 { #expect(calls > 2) }
        _ = try JSONSerialization.jsonObject(with: Data(out))
    }

    @Test func pullModeStreamsTheSameDocument() throws {
        let manifest = Self.manifest(kind: .subjectExport)
        var writer = ReportJSONWriter(manifest: manifest, chunkSize: 50)
        var out: [UInt8] = []
        for section in Self.sections {
            try writer.beginSection(table: section.table, methods: section.methods, columns: section.columns, matched: section.matched)
            for row in section.rows {
                try writer.appendRow(row)
                if let chunk = writer.takeChunk() { out += chunk }
            }
            try writer.endSection()
        }
        out += try writer.finish()
        #expect(out == ReportJSONWriter.render(manifest: manifest, sections: Self.sections))
    }

    @Test func streamingRefusesACountThatDisagreesWithTheManifest() throws {
        var writer = ReportJSONWriter(manifest: Self.manifest(kind: .subjectExport)) { _ in }
        try writer.beginSection(table: "alerts", methods: [], columns: ["id"], matched: 2)
        try writer.appendRow(["1"])
        #expect(throws: ReportJSONWriter.Failure.countMismatch(table: "alerts", declared: 2, written: 1)) { try writer.endSection() }
        #expect(throws: ReportJSONWriter.Failure.columnCountMismatch(expected: 1, got: 2)) { try writer.appendRow(["1", "2"]) }
        #expect(throws: ReportJSONWriter.Failure.self) { try writer.finish() }
    }

    @Test func sectionCSVIsInjectionSafe() throws {
        let csv = String(decoding: try Self.sections[0].csvTable.render(), as: UTF8.self)
        #expect(csv == "series,tags,value\r\n1,\"{\"\"user\"\":\"\"[EMAIL:0a1b2c3d4e5f]\"\"}\",3\r\n2,'=cmd,'-1\r\n")
    }
}
