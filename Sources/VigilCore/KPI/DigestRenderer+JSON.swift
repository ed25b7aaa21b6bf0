import VigilPrimitives

extension DigestRenderer {
    /// The digest as JSON (webhook body, preview API): snake_case keys sorted by bytes, times
    /// in RFC 3339 UTC, fractions as fractions (compliance 0.99912), absent values `null`.
    /// `version` names the shape for receivers.
    public static func json(_ content: DigestContent) -> [UInt8] {
        typealias J = CanonicalJSON
        let a = content.alerts
        let p = content.period
        let root: J = .object([
            "version": .int(1),
            "workspace": .string(content.workspaceName),
            "generated_at": .string(NotifyTime.rfc3339(content.generatedAt)),
            "period": .object([
                "frequency": .string(p.frequency), "label": .string(p.label), "time_zone": .string(p.timeZone),
                "first_day": .string(p.firstDay.description), "last_day": .string(p.lastDay.description),
                "start": .string(NotifyTime.rfc3339(p.start)), "end": .string(NotifyTime.rfc3339(p.end)),
            ]),
            "alerts": .object([
                "opened": .int(Int64(a.opened)), "resolved": .int(Int64(a.resolved)), "still_open": .int(Int64(a.stillOpen)),
                "mtta_seconds": .optional(a.mttaSeconds), "mttr_seconds": .optional(a.mttrSeconds),
                "opened_series": .array(a.openedSeries.map { .number($0) }),
            ]),
            "noisy_fingerprints": .array(content.noisyFingerprints.map {
                .object(["fingerprint": .string($0.fingerprint), "title": .string($0.title), "count": .int(Int64($0.count))])
            }),
            "slos": .array(content.slos.map {
                .object(["name": .string($0.name), "objective_percent": .number($0.objectivePercent),
                         "compliance": .optional($0.compliance), "budget_remaining": .number($0.budgetRemaining),
                         "status": .string($0.status.rawValue)])
            }),
            "kpis": .array(content.kpis.map {
                .object(["name": .string($0.name), "unit": .string($0.unit), "value": .optional($0.value),
                         "target": .optional($0.target), "status": .string($0.status.rawValue),
                         "trend": .optional($0.trend?.rawValue), "assessment": .optional($0.assessment?.rawValue),
                         "percent_change": .optional($0.percentChange), "sparkline": .array($0.sparkline.map { .number($0) })])
            }),
            "security_events": content.securityEvents.map { .int(Int64($0)) } ?? .null,
        ])
        return root.notificationBytes
    }
}
