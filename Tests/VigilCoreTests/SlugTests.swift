import Testing
import VigilCore

struct SlugTests {
    @Test(arguments: [("acme", true), ("acme-prod", true), ("a", true), ("0day", true), ("-acme", false), ("Acme", false),
                      ("acme_prod", false), ("", false), ("acmé", false), (String(repeating: "a", count: 63), true),
                      (String(repeating: "a", count: 64), false), ("a b", false), ("../etc", false)])
    func validity(slug: String, valid: Bool) {
        #expect(Slug.isValid(slug) == valid)
    }

    @Test(arguments: [("Acme Production!", "acme-production"), ("  Hello   World ", "hello-world"), ("ÜBER corp", "ber-corp"),
                      ("🚀🚀", nil), ("Team 42", "team-42"), (String(repeating: "x", count: 80), String(repeating: "x", count: 63))])
    func derivation(name: String, expected: String?) {
        let derived = Slug.derive(from: name)
        #expect(derived == expected)
        if let derived { #expect(Slug.isValid(derived)) }
    }
}

struct WorkspaceSettingsTests {
    @Test func defaultsMatchTodaysRetention() {
        let settings = WorkspaceSettings()
        #expect(settings.retentionDays.metrics == 90)
        #expect(settings.retentionDays.alerts == 30)
        #expect(settings.timeZone == "UTC")
        #expect(settings.validate() == nil)
    }

    @Test func rejectsUnknownTimeZoneAndOutOfRangeRetention() {
        var settings = WorkspaceSettings()
        settings.timeZone = "Mars/Olympus"
        #expect(settings.validate()?.field == "settings.time_zone")
        settings.timeZone = "Europe/Berlin"
        settings.retentionDays.metrics = 0
        #expect(settings.validate()?.field == "settings.retention_days.metrics")
        settings.retentionDays.metrics = 3651
        #expect(settings.validate()?.field == "settings.retention_days.metrics")
    }
}
