import Foundation
import Testing
import VigilPrimitives
@testable import VigilCore

enum DigestSample {
    static let period = DigestPeriod(frequency: "daily", firstDay: KPIFixture.day("2025-03-30"), lastDay: KPIFixture.day("2025-03-30"),
                                     start: KPIFixture.instant("2025-03-29T23:00:00Z"), end: KPIFixture.instant("2025-03-30T22:00:00Z"),
                                     timeZone: "Europe/Berlin")

    static func content(kpiName: String = "Registrations <script>alert(1)</script>", security: Int? = 3) -> DigestContent {
        DigestContent(
            workspaceName: "Acme & Co",
            period: period,
            generatedAt: KPIFixture.instant("2025-03-31T06:00:00Z"),
            alerts: DigestAlertSummary(opened: 12, resolved: 9, stillOpen: 3, mttaSeconds: 245, mttrSeconds: 3_725,
                                       openedSeries: [2, 0, 5, 1, 4]),
            noisyFingerprints: [
                DigestNoisyFingerprint(fingerprint: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                                       title: "High CPU on \"db-1\"", count: 7),
                DigestNoisyFingerprint(fingerprint: "short", title: "Disk <full>", count: 2),
            ],
            slos: [
                DigestSLORow.make(name: "Users API p95 < 500 ms", objectivePercent: 95, counts: SLOCounts(good: 9_200, total: 10_000)),
                DigestSLORow.make(name: "Checkout availability", objectivePercent: 99.9, counts: SLOCounts(good: 9_992, total: 10_000)),
                DigestSLORow.make(name: "Availability", objectivePercent: 99.9, counts: SLOCounts(good: 279_860, total: 280_000)),
                DigestSLORow.make(name: "Idle", objectivePercent: 99, counts: .zero),
            ],
            kpis: [
                DigestKPIRow(name: kpiName, unit: "", value: 120, target: 100, status: .onTarget, trend: .up, assessment: .good,
                             percentChange: 20, sparkline: [80, 95, 110, 100, 120]),
                DigestKPIRow(name: "Conversion", unit: "%", value: 4.2, target: 5, status: .offTarget, trend: .down, assessment: .bad,
                             percentChange: -6.5, sparkline: [4.5, 4.4, 4.2]),
                DigestKPIRow(name: "Refunds", unit: "EUR", value: nil, target: nil, status: .noData, trend: nil, assessment: nil,
                             percentChange: nil, sparkline: []),
            ],
            securityEvents: security)
    }
}

struct DigestHTMLTests {
    let html = DigestRenderer.html(DigestSample.content())

    @Test func isACompleteDocument() {
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<title>Vigil daily digest · Acme &amp; Co · 2025-03-30</title>"))
        #expect(count("<body", in: html) == 1 && count("</body>", in: html) == 1)
    }

    @Test func tagsAreBalanced() {
        #expect(Self.unbalancedTags(html) == [])
    }

    @Test func hasTablesAndSparklines() {
        #expect(count("<table", in: html) == 4)  // alerts, noisy, SLOs, KPIs
        #expect(count("<svg", in: html) == 3)  // alert counts and two KPIs; the KPI without history gets none
        #expect(count("<polyline points=\"", in: html) == 3)
        #expect(html.contains("<polyline points=\"2,22 31,14.5 60,7 89,12 118,2\""))  // the first KPI: 80…120 in 120×24
    }

    @Test func escapesEverythingFromTheContent() {
        #expect(!html.contains("<script"))
        #expect(html.contains("Registrations &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("High CPU on &quot;db-1&quot;"))
        #expect(html.contains("Disk &lt;full&gt;"))
        #expect(html.contains("Acme &amp; Co"))
        #expect(html.contains("Users API p95 &lt; 500 ms"))
    }

    @Test func isSelfContained() {
        #expect(!html.contains("http"))
        for forbidden in ["src=", "href=", "url(", "<link", "<img", "<script", "@import", "<iframe"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
    }

    @Test func showsTheNumbers() {
        for text in ["MTTA", "4m 5s", "1h 2m", ">12<", ">9<", ">3<",
                     "92%", "-60%", "breached", "99.92%", "20%", "at risk", "99.95%", "50%", "healthy", "no data", "100%",
                     "120", "4.2%", "5%", "↑ +20%", "↓ -6.5%", "off target", "9f86d081884c", "3 security events in the period."] {
            #expect(html.contains(text), "\(text)")
        }
        #expect(!html.contains("9f86d081884c7"))  // fingerprints shortened to 12
    }

    @Test func securityAbsentOrZero() {
        #expect(DigestRenderer.html(DigestSample.content(security: nil)).contains("Security summary not available."))
        #expect(DigestRenderer.html(DigestSample.content(security: 0)).contains("0 security events in the period."))
        #expect(DigestRenderer.html(DigestSample.content(security: 1)).contains("1 security event in the period."))
    }

    @Test func emptySectionsSayso() {
        var content = DigestSample.content()
        content.noisyFingerprints = []
        content.slos = []
        content.kpis = []
        content.alerts.openedSeries = []
        let html = DigestRenderer.html(content)
        #expect(html.contains("No alerts fired."))
        #expect(html.contains("No SLOs defined."))
        #expect(html.contains("No KPIs defined."))
        #expect(count("<table", in: html) == 1)
        #expect(!html.contains("<svg"))
        #expect(Self.unbalancedTags(html) == [])
    }

    @Test func deterministic() {
        #expect(DigestRenderer.html(DigestSample.content()) == html)
    }

    private func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// A small tag-stack parser: every non-void element closes in order, attribute values are
    /// quoted, and no raw `<` or `>` appears in text. Returns the problems found.
    static func unbalancedTags(_ html: String) -> [String] {
        let void: Set<String> = ["meta", "br", "hr", "img", "link", "input", "!doctype"]
        var stack: [String] = []
        var problems: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            if rest[rest.startIndex..<open].contains(">") { problems.append("stray > before \(rest[open...].prefix(20))") }
            guard let close = rest[open...].firstIndex(of: ">") else { problems.append("unclosed <"); break }
            let inner = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if inner.hasPrefix("/") {
                let name = inner.dropFirst().lowercased()
                if stack.last == name { stack.removeLast() } else { problems.append("</\(name)> closes \(stack.last ?? "nothing")") }
                continue
            }
            let name = String(inner.prefix { !$0.isWhitespace && $0 != "/" }).lowercased()
            if count(of: "\"", in: inner) % 2 != 0 { problems.append("odd quotes in <\(name)>") }
            if name.isEmpty || inner.contains("<") { problems.append("malformed tag \(inner.prefix(20))") }
            if inner.hasSuffix("/") || void.contains(name) { continue }
            stack.append(name)
        }
        if rest.contains(">") { problems.append("stray > at end") }
        return problems + stack.map { "<\($0)> never closed" }
    }

    private static func count(of character: Character, in text: Substring) -> Int { text.filter { $0 == character }.count }
}

struct DigestTextAndJSONTests {
    @Test func plainText() {
        let text = DigestRenderer.text(DigestSample.content(kpiName: "Sign-ups\nInjected: line"))
        #expect(text.hasPrefix("Vigil daily digest — Acme & Co\nPeriod: 2025-03-30 (Europe/Berlin)\n"))
        for line in ["  Opened: 12   Resolved: 9   Still open: 3",
                     "  MTTA: 4m 5s   MTTR: 1h 2m",
                     "  7×  High CPU on \"db-1\"  (9f86d081884c)",
                     "  Availability: compliance 99.95% (objective 99.9%), budget left 50%, healthy",
                     "  Idle: compliance – (objective 99%), budget left 100%, no data",
                     "  Sign-ups Injected: line: 120 (target 100), on target, trend ↑ +20%",
                     "  Conversion: 4.2% (target 5%), off target, trend ↓ -6.5%",
                     "  Refunds: –, no data, trend –",
                     "  3 security events in the period.",
                     "Generated 2025-03-31T06:00:00Z by Vigil"] {
            #expect(text.contains(line + "\n"), "\(line)")
        }
        #expect(!text.contains("<"  + "table"))
    }

    @Test func jsonIsSortedDeterministicAndParses() throws {
        let bytes = DigestRenderer.json(DigestSample.content())
        #expect(DigestRenderer.json(DigestSample.content()) == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"alerts":{"mtta_seconds":245,"mttr_seconds":3725,"opened":12,"opened_series":[2,0,5,1,4],"#
            + #""resolved":9,"still_open":3},"generated_at":"2025-03-31T06:00:00Z","kpis":[{"assessment":"good","name":"Registrations <script>"#))
        let topKeys = ["\"alerts\":", "\"generated_at\":", "\"kpis\":", "\"noisy_fingerprints\":", "\"period\":", "\"security_events\":",
                       "\"slos\":", "\"version\":", "\"workspace\":"]
        let positions = topKeys.map { text.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())

        let root = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(root["version"] as? Int == 1)
        #expect(root["security_events"] as? Int == 3)
        let period = try #require(root["period"] as? [String: Any])
        #expect(period["start"] as? String == "2025-03-29T23:00:00Z")
        #expect(period["first_day"] as? String == "2025-03-30")
        let slos = try #require(root["slos"] as? [[String: Any]])
        #expect(slos[2]["compliance"] as? Double == 0.9995)
        #expect(slos[3]["compliance"] is NSNull)
        let kpis = try #require(root["kpis"] as? [[String: Any]])
        #expect(kpis[2]["value"] is NSNull)
        #expect(kpis[1]["sparkline"] as? [Double] == [4.5, 4.4, 4.2])
        #expect(kpis[0]["trend"] as? String == "up")
        let absent = String(decoding: DigestRenderer.json(DigestSample.content(security: nil)), as: UTF8.self)
        #expect(absent.contains(#""security_events":null"#))
    }

    static let numbers: [(value: Double, text: String)] = [
        (0, "0"), (-0.0, "0"), (12, "12"), (-3, "-3"), (0.1, "0.1"), (0.9995, "0.9995"), (1e-5, "1e-05"),
        (9_007_199_254_740_991, "9007199254740991"), (1e300, "1e+300"), (.nan, "null"), (.infinity, "null"),
    ]

    @Test(arguments: numbers)
    func jsonNumbers(_ c: (value: Double, text: String)) throws {
        let text = CanonicalJSON.numberText(c.value)
        #expect(text == c.text)
        if text != "null" {
            let parsed = try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [NSNumber]
            #expect(parsed?.first?.doubleValue == c.value)
        }
    }

    @Test func jsonEscapes() {
        let value = CanonicalJSON.object(["b": .string("quote\" slash\\ nl\n tab\t ctl\u{01} ls\u{2028} é /"), "a": .null])
        #expect(String(decoding: value.notificationBytes, as: UTF8.self)
            == #"{"a":null,"b":"quote\" slash\\ nl\n tab\t ctl\u0001 ls\u2028 é /"}"#)
    }
}
