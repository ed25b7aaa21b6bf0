extension DigestRenderer {
    /// A complete, self-contained HTML document: inline styles only (email clients drop
    /// `<style>` blocks and external sheets), no script, no image or link to fetch, every
    /// value from the content escaped, sparklines as inline SVG.
    public static func html(_ content: DigestContent) -> String {
        let h = NotifyText.html
        let title = subject(content)
        var body = """
            <p style="margin:0;font-size:12px;color:#666666;text-transform:uppercase;letter-spacing:0.05em;">Vigil · \(h(content.period.frequency)) digest</p>
            <h1 style="margin:4px 0 0 0;font-size:22px;">\(h(content.workspaceName))</h1>
            <p style="margin:4px 0 16px 0;color:#444444;">\(h(content.period.label)) (\(h(content.period.timeZone)))</p>

            """
        body += alertsSection(content.alerts)
        body += noisySection(content.noisyFingerprints)
        body += sloSection(content.slos)
        body += kpiSection(content.kpis)
        body += securitySection(content.securityEvents)
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(h(title))</title>
            </head>
            <body style="margin:0;padding:16px;background:#f5f5f5;font-family:Helvetica,Arial,sans-serif;color:#222222;">
            <div style="max-width:720px;margin:0 auto;background:#ffffff;border:1px solid #dddddd;padding:16px 20px;">
            \(body)<p style="margin:20px 0 0 0;font-size:11px;color:#888888;">Generated \(h(NotifyTime.rfc3339(content.generatedAt))) by Vigil</p>
            </div>
            </body>
            </html>

            """
    }

    private static let cell = "padding:6px 8px;border-bottom:1px solid #eeeeee;text-align:left;vertical-align:middle;"
    private static let headCell = "padding:6px 8px;border-bottom:2px solid #dddddd;text-align:left;font-size:12px;color:#555555;font-weight:600;"

    private static func section(_ title: String) -> String {
        "<h2 style=\"font-size:16px;margin:24px 0 8px 0;color:#333333;\">\(NotifyText.html(title))</h2>\n"
    }

    private static func note(_ text: String) -> String {
        "<p style=\"margin:0;color:#666666;\">\(NotifyText.html(text))</p>\n"
    }

    /// A table; `header` is escaped here, each row's cells are HTML the caller escaped.
    private static func table(header: [String], rows: [[String]]) -> String {
        var out = "<table style=\"border-collapse:collapse;width:100%;font-size:14px;\">\n<tr>"
        out += header.map { "<th style=\"\(headCell)\">\(NotifyText.html($0))</th>" }.joined()
        out += "</tr>\n"
        for row in rows {
            out += "<tr>" + row.map { "<td style=\"\(cell)\">\($0)</td>" }.joined() + "</tr>\n"
        }
        return out + "</table>\n"
    }

    private static func badge(_ text: String, color: String) -> String {
        "<span style=\"color:\(color);font-weight:600;\">\(NotifyText.html(text))</span>"
    }

    private static func alertsSection(_ alerts: DigestAlertSummary) -> String {
        let h = NotifyText.html
        var out = section("Alerts")
        out += table(header: ["Opened", "Resolved", "Still open", "MTTA", "MTTR", "Opened over the period"], rows: [[
            h(String(alerts.opened)), h(String(alerts.resolved)), h(String(alerts.stillOpen)),
            h(DigestFormat.duration(alerts.mttaSeconds)), h(DigestFormat.duration(alerts.mttrSeconds)),
            alerts.openedSeries.isEmpty ? h(DigestFormat.missing)
                : Sparkline.svg(values: alerts.openedSeries, color: red, label: "alerts opened"),
        ]])
        return out
    }

    private static func noisySection(_ noisy: [DigestNoisyFingerprint]) -> String {
        let h = NotifyText.html
        var out = section("Noisiest alerts")
        guard !noisy.isEmpty else { return out + note("No alerts fired.") }
        out += table(header: ["Alert", "Fingerprint", "Occurrences"], rows: noisy.map {
            [h($0.title), "<code style=\"font-size:12px;\">\(h(shortFingerprint($0.fingerprint)))</code>", h(String($0.count))]
        })
        return out
    }

    private static func sloSection(_ slos: [DigestSLORow]) -> String {
        let h = NotifyText.html
        var out = section("SLOs")
        guard !slos.isEmpty else { return out + note("No SLOs defined.") }
        out += table(header: ["SLO", "Objective", "Compliance", "Budget left", "Status"], rows: slos.map { slo in
            [h(slo.name), h(DashboardMath.format(slo.objectivePercent, places: 3) + "%"), h(DigestFormat.percent(slo.compliance)),
             h(DigestFormat.percent(slo.budgetRemaining, places: 1)), badge(DigestFormat.words(slo.status.rawValue), color: color(slo.status))]
        })
        return out
    }

    private static func kpiSection(_ kpis: [DigestKPIRow]) -> String {
        let h = NotifyText.html
        var out = section("KPIs")
        guard !kpis.isEmpty else { return out + note("No KPIs defined.") }
        out += table(header: ["KPI", "Value", "Target", "Status", "Trend", "History"], rows: kpis.map { kpi in
            [h(kpi.name), h(DigestFormat.value(kpi.value, unit: kpi.unit)), h(DigestFormat.value(kpi.target, unit: kpi.unit)),
             badge(DigestFormat.words(kpi.status.rawValue), color: color(kpi.status)),
             badge(trendText(kpi.trend, percent: kpi.percentChange), color: color(kpi.assessment)),
             kpi.sparkline.isEmpty ? h(DigestFormat.missing) : Sparkline.svg(values: kpi.sparkline, label: kpi.name)]
        })
        return out
    }

    private static func securitySection(_ events: Int?) -> String {
        let text = events.map { "\($0) security event\($0 == 1 ? "" : "s") in the period." } ?? "Security summary not available."
        return section("Security") + note(text)
    }
}
