import Foundation
import Testing
import VigilCore

struct PaginationTests {
    @Test(arguments: [(nil, 50), (1, 1), (500, 500)] as [(Int?, Int)])
    func acceptedLimits(requested: Int?, expected: Int) throws {
        #expect(try Pagination.limit(requested) == expected)
    }

    @Test(arguments: [0, -1, 501, Int.max])
    func rejectedLimits(requested: Int) {
        #expect(throws: ValidationFailure.self) { try Pagination.limit(requested) }
    }

    @Test func timeCursorRoundTrips() throws {
        let cursor = TimeCursor(createdAtMicros: 1_790_000_000_123_456, id: UUID())
        #expect(try TimeCursor.decode(cursor.encoded) == cursor)
        #expect(try TimeCursor.decode(nil) == nil)
    }

    @Test(arguments: ["", "!!!", "dDF8YWJjfGRlZg", Base64URL.encode(Data("s1|5".utf8)), Base64URL.encode(Data("t1|1|not-a-uuid".utf8))])
    func malformedTimeCursorsAreRejected(raw: String) {
        #expect(throws: ValidationFailure.self) { try TimeCursor.decode(raw) }
    }

    @Test func sequenceCursorRoundTripsAndRejectsGarbage() throws {
        #expect(try SequenceCursor.decode(SequenceCursor(before: 42).encoded) == SequenceCursor(before: 42))
        #expect(throws: ValidationFailure.self) { try SequenceCursor.decode(Base64URL.encode(Data("s1|0".utf8))) }
        #expect(throws: ValidationFailure.self) { try SequenceCursor.decode("zzz") }
    }

    @Test func pageRequestChecksTheLimitBeforeTheCursor() throws {
        #expect(throws: ValidationFailure(field: "limit", message: "limit must be between 1 and 500")) {
            try PageRequest<TimeCursor>(limit: 0, cursor: "garbage")
        }
        #expect(throws: ValidationFailure(field: "cursor", message: "cursor is not valid")) {
            try PageRequest<SequenceCursor>(limit: nil, cursor: "garbage")
        }
        let request = try PageRequest<SequenceCursor>(limit: nil, cursor: SequenceCursor(before: 9).encoded)
        #expect(request.limit == 50 && request.cursor == SequenceCursor(before: 9))
    }

    @Test func aFullPageOffersACursorAfterItsLastRowAndAShortOneEnds() {
        let request = PageRequest<SequenceCursor>(limit: 3, cursor: nil)
        let full = request.page([9, 8, 7] as [Int64]) { SequenceCursor(before: $0) }
        #expect(full.items == [9, 8, 7])
        #expect(full.nextCursor == SequenceCursor(before: 7).encoded)
        #expect(request.page([2, 1] as [Int64]) { SequenceCursor(before: $0) }.nextCursor == nil)
        #expect(request.page([] as [Int64]) { SequenceCursor(before: $0) }.nextCursor == nil)
    }

    @Test func mappingAPageKeepsItsCursor() {
        let page = Page(items: [1, 2], nextCursor: "next").map { "#\($0)" }
        #expect(page.items == ["#1", "#2"] && page.nextCursor == "next")
    }

    @Test func issuedCursorTextsStillDecode() throws {
        // Literal cursors as clients hold them: the wire formats must not change.
        #expect(try SequenceCursor.decode("czF8Mw") == SequenceCursor(before: 3))
        #expect(try NameCursor.decode("bjF8Yg") == NameCursor(after: "b"))
        #expect(try TimeCursor.decode("dDF8NDEwMjQ0NDgwMDAwMDAwMHxmZmZmZmZmZi1mZmZmLWZmZmYtZmZmZi1mZmZmZmZmZmZmZmY")
                == TimeCursor(createdAtMicros: 4_102_444_800_000_000, id: UUID(uuidString: "ffffffff-ffff-ffff-ffff-ffffffffffff")!))
        let at = Date(timeIntervalSince1970: 1_790_000_000.123456)
        #expect(TimeCursor(createdAt: at, id: UUID()).createdAtMicros == at.microsecondsSince1970)
    }
}
