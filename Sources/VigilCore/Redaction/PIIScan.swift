/// Byte classes over UTF-8. Bytes >= 0x80 (parts of non-ASCII characters) count as word
/// characters, so no pattern starts or ends inside a word such as `café123`, and a match never
/// splits a multi-byte character.
///
/// Scanners test classes through `table` (one lookup per byte), which keeps them fast even in
/// unoptimised debug builds.
enum PIIChar {
    static let digit: UInt16 = 1 << 0
    static let upper: UInt16 = 1 << 1
    static let lower: UInt16 = 1 << 2
    static let hex: UInt16 = 1 << 3
    /// Letters, digits, `_` and non-ASCII bytes.
    static let word: UInt16 = 1 << 4
    /// `[A-Za-z0-9_-]`: API keys, base64url.
    static let token: UInt16 = 1 << 5
    /// Email local part: `[A-Za-z0-9._%+-]` and non-ASCII.
    static let localPart: UInt16 = 1 << 6
    /// Host names: `[A-Za-z0-9.-]` and non-ASCII.
    static let domain: UInt16 = 1 << 7
    /// `[0-9A-Fa-f:.]`
    static let ipv6: UInt16 = 1 << 8
    /// RFC 7235 token68 without its trailing `=` padding: `[A-Za-z0-9._~+/-]`.
    static let token68: UInt16 = 1 << 9
    /// Names in `name=value`: `[A-Za-z0-9_.-]`.
    static let keyName: UInt16 = 1 << 10
    /// Anything but whitespace, quotes, brackets and `&;,|` (a value in `name=value`).
    static let assignmentValue: UInt16 = 1 << 11
    /// Anything but whitespace, quotes, brackets, `,` and `|` (a URL-like word).
    static let urlWord: UInt16 = 1 << 12
    static let space: UInt16 = 1 << 13
    /// Punctuation the index records: `@ : = . - / ? + ( ' < >`.
    static let indexed: UInt16 = 1 << 14
    static let alpha: UInt16 = upper | lower
    static let alnum: UInt16 = digit | upper | lower

    static let table: [UInt16] = (0..<256).map { classes(of: UInt8($0)) }

    private static func classes(of c: UInt8) -> UInt16 {
        let isDigit = c >= 0x30 && c <= 0x39, isUpper = c >= 0x41 && c <= 0x5A, isLower = c >= 0x61 && c <= 0x7A
        let isAlnum = isDigit || isUpper || isLower, isHexLetter = c | 0x20 >= 0x61 && c | 0x20 <= 0x66
        let isSpace = c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
        func among(_ chars: String) -> Bool { chars.utf8.contains(c) }
        var k: UInt16 = 0
        if isDigit { k |= digit }
        if isUpper { k |= upper }
        if isLower { k |= lower }
        if isDigit || isHexLetter { k |= hex }
        if isAlnum || c == 0x5F || c >= 0x80 { k |= word }
        if isAlnum || among("_-") { k |= token }
        if isAlnum || among("._%+-") || c >= 0x80 { k |= localPart }
        if isAlnum || among(".-") || c >= 0x80 { k |= domain }
        if isDigit || isHexLetter || among(":.") { k |= ipv6 }
        if isAlnum || among("-._~+/") { k |= token68 }
        if isAlnum || among("_.-") { k |= keyName }
        if c != 0, !isSpace, !among("&;,\"'`<>()[]{}|") { k |= assignmentValue }
        if c != 0, !isSpace, !among("\"'`<>()[]{},|") { k |= urlWord }
        if isSpace { k |= space }
        if among("@:=.-/?+('<>") { k |= indexed }
        return k
    }

    static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    static func isUpper(_ c: UInt8) -> Bool { c &- 0x41 < 26 }
    static func isLower(_ c: UInt8) -> Bool { c &- 0x61 < 26 }
    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }
    static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
    static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) &- 0x61 < 6 }
    static func isWord(_ c: UInt8) -> Bool { isAlnum(c) || c == 0x5F || c >= 0x80 }
    static func lower(_ c: UInt8) -> UInt8 { isUpper(c) ? c | 0x20 : c }
}

/// What a claimed span becomes in the output.
enum PIIReplacement: Equatable {
    /// A placeholder (`[EMAIL]`) or, in pseudonymize mode, a token over the span's own text.
    case category(PIICategory)
    /// `?` for a number in a SQL-like value.
    case sqlNumber
    /// `[REDACTED]` for the content of a SQL string literal.
    case sqlLiteral
    /// The span itself (used to fence off a SQL literal's quotes).
    case verbatim
}

struct PIIClaim: Equatable {
    let range: Range<Int>
    let replacement: PIIReplacement
}

/// One pass of the redactor over a value's UTF-8 bytes.
///
/// `init` walks the bytes once and indexes what the detectors start from (digit runs, long
/// token runs, `@`, `:`, `=`, `/`, … positions) and recognises SQL keywords. Each detector then
/// visits only its candidates, with hand-written bounded checks (no regular expressions, so
/// nothing backtracks), and claims spans; a span that overlaps an earlier claim is dropped, so
/// detectors run in priority order. The whole scan is linear in the length of the value.
struct PIIScan {
    let b: [UInt8]
    var taken: [Bool]
    var claims: [PIIClaim] = []
    /// Content ranges of SQL string literals (SQL-like values only).
    var sqlLiterals: [Range<Int>] = []

    // The index.
    /// Starts and ends of maximal digit runs.
    var digitRuns: [Int] = []
    var digitRunEnds: [Int] = []
    var tokenRuns: [Range<Int>] = []
    var authorizationSchemes: [Range<Int>] = []
    var ats: [Int] = []
    var colons: [Int] = []
    var assignmentMarks: [Int] = []
    var dots: [Int] = []
    var dashes: [Int] = []
    var pluses: [Int] = []
    var openParens: [Int] = []
    var urlMarks: [Int] = []
    var quotes: [Int] = []
    var digitCount = 0
    /// Whether the value is SQL-like: it has one of SELECT/INSERT/UPDATE/DELETE/WHERE as a whole
    /// word (any case) plus either a second keyword (FROM, INTO, SET, VALUES, JOIN or another of
    /// the first five) or a comparison after WHERE (`=`, `<`, `>`, LIKE, IN, IS, BETWEEN). So
    /// `WHERE email = 'a@b.com'` is SQL, while the HTTP method in `DELETE /api/users/1` is not.
    private(set) var isSQLLike = false

    init(_ bytes: [UInt8]) {
        b = bytes
        taken = Array(repeating: false, count: bytes.count)
        buildIndex()
    }

    var n: Int { b.count }

    // MARK: Index

    private static func pack(_ word: String) -> UInt64 { word.utf8.reduce(0) { $0 << 8 | UInt64($1) } }
    private static let kSelect = pack("select"), kInsert = pack("insert"), kUpdate = pack("update")
    private static let kDelete = pack("delete"), kWhere = pack("where"), kFrom = pack("from"), kInto = pack("into")
    private static let kSet = pack("set"), kValues = pack("values"), kJoin = pack("join"), kIn = pack("in")
    private static let kIs = pack("is"), kLike = pack("like"), kBetween = pack("between")
    private static let kBearer = pack("bearer"), kBasic = pack("basic")

    private mutating func buildIndex() {
        let b = self.b, n = b.count, table = PIIChar.table
        var tokenStart = -1, alphaStart = -1
        var packed: UInt64 = 0
        var previousIsDigit = false
        var sqlSeen = 0, sqlComparison = false
        var i = 0
        while i <= n {
            let c: UInt8 = i < n ? b[i] : 0
            let k = table[Int(c)]
            if k & PIIChar.digit != 0 {
                if !previousIsDigit { digitRuns.append(i) }
                digitCount += 1
                previousIsDigit = true
            } else if previousIsDigit {
                digitRunEnds.append(i)
                previousIsDigit = false
            }
            if k & PIIChar.token != 0 {
                if tokenStart < 0 { tokenStart = i }
            } else if tokenStart >= 0 {
                if i - tokenStart >= 10 { tokenRuns.append(tokenStart..<i) }
                tokenStart = -1
            }
            if k & PIIChar.alpha != 0 {
                if alphaStart < 0 {
                    alphaStart = i
                    packed = 0
                }
                packed = packed &<< 8 | UInt64(c | 0x20)
                i += 1
                continue
            }
            if alphaStart >= 0 {
                // A whole word of 2–7 letters: SQL keyword? authorization scheme?
                let length = i - alphaStart
                if length >= 2, length <= 7, k & PIIChar.word == 0,
                   alphaStart == 0 || table[Int(b[alphaStart - 1])] & PIIChar.word == 0 {
                    switch packed {
                    case Self.kSelect: sqlSeen |= 1
                    case Self.kInsert: sqlSeen |= 2
                    case Self.kUpdate: sqlSeen |= 4
                    case Self.kDelete: sqlSeen |= 8
                    case Self.kWhere: sqlSeen |= 16
                    case Self.kFrom: sqlSeen |= 32
                    case Self.kInto: sqlSeen |= 64
                    case Self.kSet: sqlSeen |= 128
                    case Self.kValues: sqlSeen |= 256
                    case Self.kJoin: sqlSeen |= 512
                    case Self.kIn, Self.kIs, Self.kLike, Self.kBetween: if sqlSeen & 16 != 0 { sqlComparison = true }
                    case Self.kBearer, Self.kBasic:
                        if c == 0x20 || c == 0x09 { authorizationSchemes.append(alphaStart..<i) }
                    default: break
                    }
                }
                alphaStart = -1
            }
            if k & PIIChar.indexed != 0 {
                switch c {
                case 0x40: ats.append(i)  // @
                case 0x3A:  // :
                    colons.append(i)
                    assignmentMarks.append(i)
                case 0x3D:  // =
                    assignmentMarks.append(i)
                    if sqlSeen & 16 != 0 { sqlComparison = true }
                case 0x2E: dots.append(i)  // .
                case 0x2D: dashes.append(i)  // -
                case 0x2F, 0x3F: urlMarks.append(i)  // / ?
                case 0x2B: pluses.append(i)  // +
                case 0x28: openParens.append(i)  // (
                case 0x27: quotes.append(i)  // '
                default: if sqlSeen & 16 != 0 { sqlComparison = true }  // < >
                }
            }
            i += 1
        }
        // SELECT/INSERT/UPDATE/DELETE/WHERE plus another keyword, or a comparison after WHERE.
        isSQLLike = sqlSeen & 31 != 0 && (sqlSeen.nonzeroBitCount >= 2 || sqlComparison)
    }

    // MARK: Helpers

    /// The byte at `i`, or 0 outside the value (0 belongs to no class, so it acts as a boundary).
    subscript(i: Int) -> UInt8 { i >= 0 && i < b.count ? b[i] : 0 }

    /// The byte of `b` at `i`, or 0 outside it (for scanners holding a local copy of the bytes).
    static func at(_ b: [UInt8], _ i: Int) -> UInt8 { i >= 0 && i < b.count ? b[i] : 0 }

    /// The end of the run of bytes in class `mask` that starts at `i`.
    static func runEnd(_ b: [UInt8], _ i: Int, _ mask: UInt16) -> Int {
        let table = PIIChar.table
        let n = b.count
        var j = max(i, 0)
        while j < n && table[Int(b[j])] & mask != 0 { j += 1 }
        return j
    }

    /// The start of the run of bytes in class `mask` that ends just before `e` (not before `floor`).
    static func runStart(_ b: [UInt8], _ e: Int, _ mask: UInt16, floor: Int = 0) -> Int {
        let table = PIIChar.table
        var j = e
        while j > floor && table[Int(b[j - 1])] & mask != 0 { j -= 1 }
        return j
    }

    func runEnd(from i: Int, _ mask: UInt16) -> Int { Self.runEnd(b, i, mask) }

    /// How many digits start at `i`.
    func digitCount(at i: Int) -> Int {
        guard i >= 0, i < n else { return 0 }
        return Self.runEnd(b, i, PIIChar.digit) - i
    }

    @discardableResult
    mutating func claim(_ range: Range<Int>, _ replacement: PIIReplacement) -> Bool {
        let low = range.lowerBound, high = range.upperBound
        guard low < high, low >= 0, high <= taken.count else { return false }
        var i = low
        while i < high {
            if taken[i] { return false }
            i += 1
        }
        i = low
        while i < high {
            taken[i] = true
            i += 1
        }
        claims.append(PIIClaim(range: range, replacement: replacement))
        return true
    }

    mutating func claim(_ range: Range<Int>, _ category: PIICategory) {
        claim(range, .category(category))
    }

    /// Whether `b[range]` equals `word` ignoring ASCII case (`word` must be lower-case).
    func matchesLowercased(_ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        let start = word.utf8Start
        var k = 0
        for i in range {
            if PIIChar.lower(b[i]) != start[k] { return false }
            k += 1
        }
        return true
    }

    /// A number may start at `i`: not inside a word, and not the continuation of another number
    /// such as `1.5`, `2026-11` or `1,000` (after `+` it belongs to an international phone number).
    func numberCanStart(at i: Int) -> Bool {
        let p = self[i - 1]
        if PIIChar.isWord(p) || p == 0x2B { return false }  // +
        if p == 0x2E || p == 0x2D || p == 0x2C { return !PIIChar.isAlnum(self[i - 2]) }  // . - ,
        return true
    }

    /// A number may end before `e`: not followed by a word character, nor by `.5`, `-7`, `,000`.
    func numberCanEnd(at e: Int) -> Bool {
        let c = self[e]
        if PIIChar.isWord(c) { return false }
        if c == 0x2E || c == 0x2D || c == 0x2C { return !PIIChar.isDigit(self[e + 1]) }  // . - ,
        return true
    }

    // MARK: Running

    /// Runs every detector that has candidates. SQL-like values get literal handling and their
    /// numbers become `?` (URL ids are then skipped: their numbers become `?` anyway).
    mutating func run() {
        let sql = isSQLLike
        if sql && !quotes.isEmpty { scanSQLStringLiterals() }
        if !colons.isEmpty && urlMarks.count >= 2 && !ats.isEmpty { scanURLUserinfo() }
        if !authorizationSchemes.isEmpty { scanAuthorizationSchemes() }
        if !assignmentMarks.isEmpty { scanSensitiveAssignments() }
        if !tokenRuns.isEmpty { scanTokens() }
        if !ats.isEmpty { scanEmails() }
        if colons.count >= 2 { scanIPv6() }
        if dots.count >= 3 && digitCount >= 4 { scanIPv4() }
        if dashes.count >= 4 && digitCount >= 4 { scanDashedIPv4Hostnames() }
        if digitCount >= 13 { scanCards() }
        if digitCount >= 9 { scanSSNs() }
        if digitCount >= 8 { scanPhones() }
        if sql {
            if !sqlLiterals.isEmpty { resolveSQLLiterals() }
            if digitCount > 0 { scanSQLNumbers() }
        } else if !urlMarks.isEmpty {
            scanURLIdentifiers()
        }
    }
}
