import Foundation
import VigilCore
import VigilServices

/// Request bodies to core values and stored documents to response bodies, for alerting config.
extension APIController {
    static func channel(_ b: Components.Schemas.ChannelInput) -> (NotificationChannelSpec, ChannelSecrets) {
        let spec = NotificationChannelSpec(
            name: b.name, kind: NotificationChannelSpec.Kind(rawValue: b.kind.rawValue) ?? .webhook,
            minSeverity: b.minSeverity.map(AlertSeverity.init) ?? .info, enabled: b.enabled ?? true, url: b.url,
            format: b.format.flatMap { .init(rawValue: $0.rawValue) }, to: b.to, from: b.from, smtpHost: b.smtpHost, smtpPort: b.smtpPort,
            smtpUsername: b.smtpUsername, smtpSecurity: b.smtpSecurity.flatMap { .init(rawValue: $0.rawValue) }, smtpCABundle: b.smtpCaBundle,
            timeoutSeconds: b.timeoutSeconds)
        let s = b.secrets
        return (spec, ChannelSecrets(signingSecret: s?.signingSecret, webhookURL: s?.webhookUrl, routingKey: s?.routingKey, smtpPassword: s?.smtpPassword))
    }

    static func matchers(_ list: [Components.Schemas.LabelMatcher]?, field: String) throws -> [LabelMatcher] {
        do {
            return try (list ?? []).map { m throws(ValidationFailure) in
                try LabelMatcher(name: m.name, op: LabelMatcher.Operator(rawValue: m.op.rawValue) ?? .equal, value: m.value, field: field)
            }
        } catch { throw ServiceError(error) }
    }

    static func route(_ b: Components.Schemas.RouteInput) throws -> NotificationRoute {
        let ids = b.channelIds.map { $0.lowercased() }
        return NotificationRoute(id: "", position: b.position ?? 0, matchers: try matchers(b.matchers, field: "matchers"),
                                 minSeverity: b.minSeverity.map(AlertSeverity.init), channelIDs: ids, continueMatching: b._continue ?? false)
    }

    static func policy(_ b: Components.Schemas.EscalationPolicyInput) -> EscalationPolicyDocument {
        EscalationPolicyDocument(name: b.name, policy: EscalationPolicy(
            levels: b.levels.map { .init(delayMinutes: $0.delayMinutes, channelIDs: $0.channelIds.map { $0.lowercased() }) },
            repeatLoops: b.repeatLoops ?? 0, ackTimeoutMinutes: b.ackTimeoutMinutes))
    }

    static func silence(_ b: Components.Schemas.SilenceInput, caller: WorkspaceCaller) throws -> Silence {
        let parsed = try matchers(b.matchers, field: "matchers")
        do {
            return try Silence(matchers: parsed, startsAt: b.startsAt ?? Date(), endsAt: b.endsAt,
                               createdBy: b.createdBy ?? caller.timelineActor, comment: b.comment)
        } catch { throw ServiceError(error) }
    }

    static func inhibitRule(_ b: Components.Schemas.InhibitRuleInput) throws -> InhibitRule {
        let source = try matchers(b.sourceMatchers, field: "source_matchers")
        let target = try matchers(b.targetMatchers, field: "target_matchers")
        do { return try InhibitRule(sourceMatchers: source, targetMatchers: target, equal: b.equal ?? []) } catch { throw ServiceError(error) }
    }
}

extension Components.Schemas.LabelMatcher {
    init(_ m: LabelMatcher) {
        self.init(name: m.name, op: .init(rawValue: m.op.rawValue) ?? ._equals_, value: m.value)
    }
}

extension Components.Schemas.Channel {
    init(_ v: ChannelView) {
        let s = v.spec
        self.init(id: v.id.uuidString.lowercased(), name: s.name, kind: .init(rawValue: s.kind.rawValue) ?? .webhook,
                  minSeverity: .init(s.minSeverity), enabled: s.enabled, url: s.url, format: s.format?.rawValue, to: s.to, from: s.from,
                  smtpHost: s.smtpHost, smtpPort: s.smtpPort, smtpUsername: s.smtpUsername, smtpSecurity: s.smtpSecurity?.rawValue,
                  smtpCaBundle: s.smtpCABundle, timeoutSeconds: s.timeoutSeconds, secretsSet: v.secretsSet, createdAt: v.createdAt,
                  updatedAt: v.updatedAt)
    }
}

extension Components.Schemas.Route {
    init(_ d: StoredDocument<NotificationRoute>) {
        let r = d.value
        self.init(id: d.id.uuidString.lowercased(), position: r.position, matchers: r.matchers.map(Components.Schemas.LabelMatcher.init),
                  minSeverity: r.minSeverity?.rawValue, channelIds: r.channelIDs, _continue: r.continueMatching,
                  createdAt: d.createdAt, updatedAt: d.updatedAt)
    }
}

extension Components.Schemas.EscalationPolicy {
    init(_ d: StoredDocument<EscalationPolicyDocument>) {
        let p = d.value.policy
        self.init(id: d.id.uuidString.lowercased(), name: d.value.name,
                  levels: p.levels.map { .init(delayMinutes: $0.delayMinutes, channelIds: $0.channelIDs) },
                  repeatLoops: p.repeatLoops, ackTimeoutMinutes: p.ackTimeoutMinutes, createdAt: d.createdAt, updatedAt: d.updatedAt)
    }
}

extension Components.Schemas.Silence {
    init(_ d: StoredDocument<Silence>, now: Date) {
        let s = d.value
        self.init(id: d.id.uuidString.lowercased(), matchers: s.matchers.map(Components.Schemas.LabelMatcher.init), startsAt: s.startsAt,
                  endsAt: s.endsAt, createdBy: s.createdBy, comment: s.comment, status: .init(rawValue: s.status(at: now).rawValue) ?? .expired,
                  createdAt: d.createdAt, updatedAt: d.updatedAt)
    }
}

extension Components.Schemas.InhibitRule {
    init(_ d: StoredDocument<InhibitRule>) {
        let r = d.value
        self.init(id: d.id.uuidString.lowercased(), sourceMatchers: r.sourceMatchers.map(Components.Schemas.LabelMatcher.init),
                  targetMatchers: r.targetMatchers.map(Components.Schemas.LabelMatcher.init), equal: r.equal,
                  createdAt: d.createdAt, updatedAt: d.updatedAt)
    }
}
