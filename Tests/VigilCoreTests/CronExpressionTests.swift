import Testing
import VigilCore

/// Parsing: syntax accepted (checked by equality with a plainer spelling) and syntax rejected.
struct CronExpressionParsingTests {
    // (expression, an equivalent plainer expression)
    static let equivalents: [(String, String)] = [
        ("0 0 * * 7", "0 0 * * 0"),
        ("0 0 * * 5-7", "0 0 * * 0,5,6"),
        ("0 0 * * 0-7", "0 0 * * 0-6"),
        ("0 0 * * 1/2", "0 0 * * 1,3,5"),
        ("*/1 * * * *", "* * * * *"),
        ("5/20 * * * *", "5,25,45 * * * *"),
        ("1-5,10-20/5,30 * * * *", "1,2,3,4,5,10,15,20,30 * * * *"),
        ("0 0-23/6 * * *", "0 0,6,12,18 * * *"),
        ("0 0 1-31/10 * *", "0 0 1,11,21,31 * *"),
        ("00 09 * * *", "0 9 * * *"),
        ("0 0 * jan-mar mon-fri", "0 0 * 1-3 1-5"),
        ("0 0 * JUL sun", "0 0 * 7 0"),
        ("0 12 * * mon,WED,Fri", "0 12 * * 1,3,5"),
        ("0 0 1 Dec,jan,Jun *", "0 0 1 1,6,12 *"),
        ("0 0 * * sun-sat", "0 0 * * 0-6"),
        ("0 0 * * Sat/1", "0 0 * * 6"),
        ("  0\t0 *   * *  ", "0 0 * * *"),
        ("@hourly", "0 * * * *"),
        ("@daily", "0 0 * * *"),
        ("@midnight", "0 0 * * *"),
        ("@weekly", "0 0 * * 0"),
        ("@monthly", "0 0 1 * *"),
        ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"),
        (" @Daily ", "0 0 * * *"),
    ]

    @Test(arguments: equivalents)
    func parsesEquivalently(_ expression: String, _ plain: String) throws {
        #expect(try CronExpression(parsing: expression) == CronExpression(parsing: plain))
    }

    // Same matching minutes, but a leading `*` changes DST handling (and the DOM/DOW rule), so
    // these must not compare equal.
    static let distinct: [(String, String)] = [
        ("0-59 * * * *", "* * * * *"),
        ("0 0-23 * * *", "0 * * * *"),
        ("0 0 1-31 * 1", "0 0 * * 1"),
        ("0 0 * * 1", "0 0 * * 2"),
        ("0 0 1 * *", "0 0 2 * *"),
    ]

    @Test(arguments: distinct)
    func parsesDistinctly(_ lhs: String, _ rhs: String) throws {
        #expect(try CronExpression(parsing: lhs) != CronExpression(parsing: rhs))
    }

    // (expression, field named by the error, value named by the error)
    static let failures: [(String, CronParseError.Field, String)] = [
        ("", .expression, ""),
        ("   ", .expression, "   "),
        ("* * * *", .expression, "* * * *"),
        ("* * * * * *", .expression, "* * * * * *"),
        ("0 0 * * * 2025", .expression, "0 0 * * * 2025"),
        ("@reboot", .expression, "@reboot"),
        ("@", .expression, "@"),
        ("@daily 0", .expression, "@daily 0"),
        ("@every 5m", .expression, "@every 5m"),
        ("60 * * * *", .minute, "60"),
        ("* 24 * * *", .hour, "24"),
        ("* * 0 * *", .dayOfMonth, "0"),
        ("* * 32 * *", .dayOfMonth, "32"),
        ("* * * 0 *", .month, "0"),
        ("* * * 13 *", .month, "13"),
        ("* * * * 8", .dayOfWeek, "8"),
        ("0,15,61 * * * *", .minute, "0,15,61"),
        ("*/0 * * * *", .minute, "*/0"),
        ("0 0-23/0 * * *", .hour, "0-23/0"),
        ("*/61 * * * *", .minute, "*/61"),
        ("* * * * */8", .dayOfWeek, "*/8"),
        ("30-10 * * * *", .minute, "30-10"),
        ("* * * DEC-JAN *", .month, "DEC-JAN"),
        ("* * * * FRI-MON", .dayOfWeek, "FRI-MON"),
        ("* * * * 7-1", .dayOfWeek, "7-1"),
        ("1,,2 * * * *", .minute, "1,,2"),
        ("1, * * * *", .minute, "1,"),
        (",1 * * * *", .minute, ",1"),
        ("a * * * *", .minute, "a"),
        ("* * * * MONDAY", .dayOfWeek, "MONDAY"),
        ("* * * JANUARY *", .month, "JANUARY"),
        ("* * JAN * *", .dayOfMonth, "JAN"),
        ("MON * * * *", .minute, "MON"),
        ("* * * SUN *", .month, "SUN"),
        ("* * * * JAN", .dayOfWeek, "JAN"),
        ("-1 * * * *", .minute, "-1"),
        ("5- * * * *", .minute, "5-"),
        ("*/ * * * *", .minute, "*/"),
        ("/5 * * * *", .minute, "/5"),
        ("1-2-3 * * * *", .minute, "1-2-3"),
        ("*/5/2 * * * *", .minute, "*/5/2"),
        ("** * * * *", .minute, "**"),
        ("*-5 * * * *", .minute, "*-5"),
        ("+5 * * * *", .minute, "+5"),
        ("1.5 * * * *", .minute, "1.5"),
        ("0 */x * * *", .hour, "*/x"),
        ("0 0 * * 1/-1", .dayOfWeek, "1/-1"),
        ("99999999999999999999 * * * *", .minute, "99999999999999999999"),
        ("0 0 ? * *", .dayOfMonth, "?"),
        ("0 0 L * *", .dayOfMonth, "L"),
    ]

    @Test(arguments: failures)
    func rejects(_ expression: String, _ field: CronParseError.Field, _ value: String) {
        let error = #expect(throws: CronParseError.self) { try CronExpression(parsing: expression) }
        #expect(error?.field == field)
        #expect(error?.value == value)
        #expect(error?.message.contains(field.rawValue) == true)
        #expect(error?.message.contains("\"\(value)\"") == true)
    }

    @Test func errorMessagesNameFieldValueAndReason() {
        func message(_ expression: String) -> String {
            do throws(CronParseError) {
                _ = try CronExpression(parsing: expression)
                return "parsed"
            } catch {
                return error.message
            }
        }
        #expect(message("0,61 * * * *") == #"invalid minute field "0,61": 61 is out of range 0-59"#)
        #expect(message("0 0 * * FRI-MON") == #"invalid day-of-week field "FRI-MON": range "FRI-MON" is reversed"#)
        #expect(message("*/0 * * * *") == #"invalid minute field "*/0": step 0 must be between 1 and 60"#)
        #expect(message("0 0 1,,2 * *") == #"invalid day-of-month field "1,,2": empty list element"#)
        #expect(message("* * * *") == #"invalid cron expression "* * * *": expected 5 fields (minute hour day-of-month month day-of-week), got 4"#)
        #expect(message("@reboot") == #"invalid cron expression "@reboot": unknown macro @reboot"#)
    }
}
