import Testing
@testable import VigilCore

struct DownloadHeadersTests {
    // (Range header, representation length, expected)
    static let ranges: [(String?, Int64, ByteRange)] = [
        (nil, 100, .full),
        ("", 100, .full),
        ("items=0-1", 100, .full),
        ("bytes=0-9", 100, .partial(first: 0, last: 9, length: 100)),
        ("BYTES=0-0", 100, .partial(first: 0, last: 0, length: 100)),
        ("bytes= 1-2 ", 100, .partial(first: 1, last: 2, length: 100)),
        ("bytes=90-", 100, .partial(first: 90, last: 99, length: 100)),
        ("bytes=-10", 100, .partial(first: 90, last: 99, length: 100)),
        ("bytes=-200", 100, .partial(first: 0, last: 99, length: 100)),
        ("bytes=0-999", 100, .partial(first: 0, last: 99, length: 100)),
        ("bytes=0-99999999999999999999", 100, .partial(first: 0, last: 99, length: 100)),
        ("bytes=99-99", 100, .partial(first: 99, last: 99, length: 100)),
        ("bytes=100-", 100, .unsatisfiable(length: 100)),
        ("bytes=100-200", 100, .unsatisfiable(length: 100)),
        ("bytes=99999999999999999999-", 100, .unsatisfiable(length: 100)),
        ("bytes=-0", 100, .unsatisfiable(length: 100)),
        ("bytes=0-", 0, .unsatisfiable(length: 0)),
        ("bytes=-5", 0, .unsatisfiable(length: 0)),
        ("bytes=5-2", 100, .full),
        ("bytes=a-b", 100, .full),
        ("bytes=-", 100, .full),
        ("bytes=1-2-3", 100, .full),
        ("bytes=+1-2", 100, .full),
        ("bytes=0-1,5-9", 100, .full),
        ("bytes=", 100, .full),
    ]

    @Test(arguments: ranges.indices)
    func rangeParsing(index: Int) {
        let (header, length, expected) = Self.ranges[index]
        #expect(ByteRange.parse(header: header, length: length) == expected)
    }

    @Test func responseFields() {
        let partial = ByteRange.partial(first: 10, last: 19, length: 100)
        #expect(partial.statusCode == 206 && partial.contentRange == "bytes 10-19/100" && partial.bodyLength(fullLength: 100) == 10)
        let unsatisfiable = ByteRange.unsatisfiable(length: 100)
        #expect(unsatisfiable.statusCode == 416 && unsatisfiable.contentRange == "bytes */100")
        #expect(ByteRange.full.statusCode == 200 && ByteRange.full.contentRange == nil && ByteRange.full.bodyLength(fullLength: 100) == 100)
    }

    // (If-Range, expected to honour the Range)
    static let ifRanges: [(String?, Bool)] = [(nil, true), ("\"abc\"", true), ("\"abd\"", false), ("W/\"abc\"", false),
                                              ("Wed, 21 Oct 2015 07:28:00 GMT", false)]

    @Test(arguments: ifRanges.indices)
    func ifRange(index: Int) {
        let (ifRange, honoured) = Self.ifRanges[index]
        let result = ByteRange.parse(header: "bytes=0-1", length: 10, ifRange: ifRange, currentETag: "\"abc\"")
        #expect(result == (honoured ? .partial(first: 0, last: 1, length: 10) : .full))
    }

    static let dispositions: [(String, String)] = [
        ("report.csv", #"attachment; filename="report.csv""#),
        ("rapport-é.csv", #"attachment; filename="rapport-_.csv"; filename*=UTF-8''rapport-%C3%A9.csv"#),
        ("日本.zip", #"attachment; filename="__.zip"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.zip"#),
        ("my report (1).json", #"attachment; filename="my report (1).json""#),
        ("a\"b.csv", #"attachment; filename="a_b.csv""#),
        ("../../etc/passwd", #"attachment; filename="_.._etc_passwd""#),
        ("x\r\nSet-Cookie: a=b", #"attachment; filename="xSet-Cookie: a=b""#),
        ("", #"attachment; filename="download""#),
        ("...", #"attachment; filename="download""#),
    ]

    @Test(arguments: dispositions.indices)
    func contentDisposition(index: Int) {
        let (name, expected) = Self.dispositions[index]
        #expect(ContentDisposition.attachment(filename: name) == expected)
    }

    static let helloSHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

    @Test func digestsAndETagFromTheSHA256() throws {
        #expect(ReprDigest.sha256(hex: Self.helloSHA256) == "sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:")
        #expect(ReprDigest.legacyDigest(hex: Self.helloSHA256) == "SHA-256=LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=")
        #expect(EntityTag.strong(sha256Hex: Self.helloSHA256.uppercased()) == "\"\(Self.helloSHA256)\"")
        #expect(ReprDigest.sha256(hex: "abc") == nil)
        #expect(ReprDigest.sha256([1, 2, 3]) == nil)
        #expect(EntityTag.strong(sha256Hex: String(repeating: "z", count: 64)) == nil)
    }

    @Test func fileDigestAccumulatesChunks() {
        var digest = ReportFileDigest()
        digest.update(Array("he".utf8))
        digest.update([])
        digest.update(Array("llo".utf8))
        let facts = digest.finalize()
        #expect(facts.length == 5)
        #expect(facts.sha256Hex == Self.helloSHA256)
        #expect(facts.etag == "\"\(Self.helloSHA256)\"")
        #expect(facts.reprDigest == "sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:")
    }

    // (If-None-Match, current ETag "\"abc\"" considered fresh)
    static let ifNoneMatch: [(String?, Bool)] = [(nil, false), ("*", true), ("\"abc\"", true), ("W/\"abc\"", true),
                                                 ("\"x\", \"abc\"", true), ("\"abcd\"", false)]

    @Test(arguments: ifNoneMatch.indices)
    func ifNoneMatchEvaluation(index: Int) {
        let (header, fresh) = Self.ifNoneMatch[index]
        #expect(EntityTag.ifNoneMatchSatisfied(header, current: "\"abc\"") == fresh)
    }
}
