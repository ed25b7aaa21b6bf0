extension DigestRenderer {
    /// The plain-text part: the same facts as the HTML, one per line, no markup. Values from
    /// the content are made single-line, so a name cannot forge extra lines.
    public static func text(_ content: DigestContent) -> String {
        let one = NotifyText.singleLine
        let a = content.alerts
        var out = "Vigil \(content.period.frequency) digest — \(one(content.workspaceName))\n"
        out += "Period: \(content.period.label) (\(one(content.period.timeZone)))\n"

        out += "\nAlerts\n"
        out += "  Opened: \(a.opened)   Resolved: \(a.resolved)   Still open: \(a.stillOpen)\n"
        out += "  MTTA: \(DigestFormat.duration(a.mttaSeconds))   MTTR: \(DigestFormat.duration(a.mttrSeconds))\n"

        out += "\nNoisiest alerts\n"
        if content.noisyFingerprints.isEmpty { out += "  No alerts fired.\n" }
        for n in content.noisyFingerprints {
            out += "  \(n.count)×  \(one(n.title))  (\(one(shortFingerprint(n.fingerprint))))\n"
        }

        out += "\nSLOs\n"
        if content.slos.isEmpty { out += "  No SLOs defined.\n" }
        for s in content.slos {
            out += "  \(one(s.name)): compliance \(DigestFormat.percent(s.compliance)) "
                + "(objective \(DashboardMath.format(s.objectivePercent, places: 3))%), "
                + "budget left \(DigestFormat.percent(s.budgetRemaining, places: 1)), \(DigestFormat.words(s.status.rawValue))\n"
        }

        out += "\nKPIs\n"
        if content.kpis.isEmpty { out += "  No KPIs defined.\n" }
        for k in content.kpis {
            let target = k.target == nil ? "" : " (target \(DigestFormat.value(k.target, unit: one(k.unit))))"
            out += "  \(one(k.name)): \(DigestFormat.value(k.value, unit: one(k.unit)))\(target), "
                + "\(DigestFormat.words(k.status.rawValue)), trend \(trendText(k.trend, percent: k.percentChange))\n"
        }

        out += "\nSecurity\n"
        out += content.securityEvents.map { "  \($0) security event\($0 == 1 ? "" : "s") in the period.\n" }
            ?? "  Security summary not available.\n"
        out += "\nGenerated \(NotifyTime.rfc3339(content.generatedAt)) by Vigil\n"
        return out
    }
}
