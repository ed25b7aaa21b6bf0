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
}
