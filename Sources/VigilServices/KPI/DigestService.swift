import Foundation
import VigilCore
import VigilPrimitives
import VigilDelivery
import VigilRepositories

/// Digests: the per-workspace schedule, the content (alerts, SLOs, KPIs, security), preview,
/// and sending once per period to email and webhook channels.
public struct DigestService: Sendable {
    let database: Database
    let clock: WallClock
    let kpis: KPIService
    let slos: SLOService
    let repository = DigestRepository()
    let channels = ChannelRepository()
    let queue = JobQueue()
    let http: HTTPDeliverer
    let smtp: SMTPDeliverer
    let secretStore: ChannelSecretStore

    public init(database: Database, clock: WallClock, kpis: KPIService, slos: SLOService,
                http: HTTPDeliverer = HTTPDeliverer(), smtp: SMTPDeliverer = SMTPDeliverer(), secretKeyring: SecretKeyring? = nil) {
        self.secretStore = ChannelSecretStore(keyring: secretKeyring)
        self.database = database
        self.clock = clock
        self.kpis = kpis
        self.slos = slos
        self.http = http
        self.smtp = smtp
    }

    public func schedule(in workspace: Workspace) async throws -> DigestSchedule? {
        try await database.inWorkspace(workspace.id) { try await repository.schedule(on: $0) }
            .map { try StoredJSON.decode(DigestSchedule.self, $0, row: "digest_schedules of workspace \(workspace.id.lowercased)") }
    }

    public func saveSchedule(_ schedule: DigestSchedule, in workspace: Workspace) async throws -> DigestSchedule {
        if let problem = schedule.validate() { throw ServiceError(problem) }
        let json = String(decoding: try JSONEncoder.sortedKeys.encode(schedule), as: UTF8.self)
        try await database.inWorkspace(workspace.id) { connection in
            try await ChannelReferences().requireExisting(schedule.channelIDs.map { $0.uuidString.lowercased() }, field: "channel_ids", on: connection)
            try await repository.saveSchedule(json, workspaceID: workspace.id, on: connection)
        }
        return schedule
    }

    public func sent(in workspace: Workspace) async throws -> [(key: String, frequency: String, firstDay: String, lastDay: String, sentAt: Date, channels: Int)] {
        try await database.inWorkspace(workspace.id) { try await repository.sent(limit: 100, on: $0) }
    }

    /// The digest of the period ending before `day` + 1 (default: the period the schedule would
    /// send now), without sending it.
    public func preview(in workspace: Workspace, lastDay: LocalDate?) async throws -> DigestContent {
        let schedule = try await schedule(in: workspace)
            ?? DigestSchedule(frequency: .daily, localHour: 8, timeZone: workspace.settings.timeZone, channelIDs: [])
        let calendar = PeriodCalendar(identifier: schedule.timeZone) ?? PeriodCalendar(timeZone: TimeZone(identifier: "UTC")!)
        let sendTime = lastDay.map { calendar.startOfDay($0.adding(days: 1)) } ?? clock.now()
        guard let period = schedule.period(for: sendTime) else { throw ServiceError.invalid(field: "period", message: "no such period") }
        return try await content(for: period, in: workspace)
    }

    func content(for period: DigestPeriod, in workspace: Workspace) async throws -> DigestContent {
        let now = clock.now()
        let (opened, resolved, open, noisy, security) = try await database.inWorkspace(workspace.id) { connection in
            (try await repository.alertsOpened(from: period.start, to: period.end, on: connection),
             try await repository.resolvedCount(from: period.start, to: period.end, on: connection),
             try await repository.openCount(on: connection),
             try await repository.noisiest(from: period.start, to: period.end, limit: 5, on: connection),
             // The events the workspace's applications reported (the security store), not Vigil's own logins.
             try await SecurityEventRepository().count(from: period.start, to: period.end, on: connection))
        }
        let calendar = PeriodCalendar(identifier: period.timeZone) ?? PeriodCalendar(timeZone: TimeZone(identifier: "UTC")!)
        let series = period.days.map { day in Double(opened.filter { calendar.localDate(of: $0.triggeredAt) == day }.count) }
        let times = AlertResponseTimes.compute(opened)
        let summary = DigestAlertSummary(opened: opened.count, resolved: resolved, stillOpen: open, mttaSeconds: times.mttaSeconds,
                                         mttrSeconds: times.mttrSeconds, openedSeries: series)
        let sloRows = try await slos.list(in: workspace).map { view in
            DigestSLORow.make(name: view.definition.name, objectivePercent: view.definition.objectivePercent,
                              counts: SLOCounts(good: view.latest?.good ?? 0, total: view.latest?.total ?? 0))
        }
        let kind: KPIPeriod = period.frequency == "weekly" ? .week : .day
        var kpiRows: [DigestKPIRow] = []
        for definition in try await kpis.definitions(in: workspace) {
            let history = try await kpis.series(definition.key, in: workspace, period: .day, from: period.end.addingTimeInterval(-7 * 86_400),
                                                to: period.end, groupBy: nil)
            let current = try await kpis.series(definition.key, in: workspace, period: kind, from: period.start, to: period.end, groupBy: nil)
            let previous = try await kpis.series(definition.key, in: workspace, period: kind,
                                                 from: period.start.addingTimeInterval(-(period.end.timeIntervalSince(period.start))), to: period.start, groupBy: nil)
            let trend = Trend.compare(current: current.points.last?.value, previous: previous.points.last?.value)
            // `DigestKPIRow.make` scales value and target to display units; the target is stored in them.
            let overview = KPIOverview(key: definition.key, name: definition.name, unit: definition.unit,
                                       value: current.points.last?.value, target: definition.target.map { $0 / definition.displayScale },
                                       status: KPIStatus.evaluate(value: current.points.last?.value.map { $0 * definition.displayScale },
                                                                  target: definition.target, direction: definition.direction),
                                       trend: trend, assessment: trend.assessment(for: definition.direction))
            kpiRows.append(DigestKPIRow.make(overview: overview, displayScale: definition.displayScale, history: history.points.map(\.value)))
        }
        return DigestContent(workspaceName: workspace.name, period: period, generatedAt: now, alerts: summary,
                             noisyFingerprints: noisy.map { DigestNoisyFingerprint(fingerprint: $0.fingerprint, title: $0.title, count: $0.count) },
                             slos: sloRows, kpis: kpiRows, securityEvents: security)
    }

    /// Enqueues the digest the schedule says is due (once per period: the job's unique key and
    /// the sent ledger both name the period).
    @discardableResult
    public func dispatch(in workspace: Workspace) async throws -> Bool {
        guard let schedule = try await schedule(in: workspace), let tick = schedule.latestSendTime(atOrBefore: clock.now()),
              let period = schedule.period(for: tick) else { return false }
        let key = DigestSchedule.uniqueKey(workspace: workspace.id.uuidString.lowercased(), period: period)
        return try await database.inWorkspace(workspace.id) { connection in
            guard !(try await repository.wasSent(uniqueKey: key, on: connection)) else { return false }
            return try await queue.enqueue(KPIJobs.DigestSendArgs(sendTime: tick), in: workspace.id, on: connection, uniqueKey: key) != nil
        }
    }

    /// Sends the digest of the period containing `sendTime` to every scheduled channel; a second
    /// call for the same period sends nothing.
    @discardableResult
    public func send(sendTime: Date, in workspace: Workspace) async throws -> Int {
        guard let schedule = try await schedule(in: workspace), let period = schedule.period(for: sendTime) else { return 0 }
        let key = DigestSchedule.uniqueKey(workspace: workspace.id.uuidString.lowercased(), period: period)
        if try await database.inWorkspace(workspace.id, { try await repository.wasSent(uniqueKey: key, on: $0) }) { return 0 }
        let content = try await content(for: period, in: workspace)
        var delivered = 0
        for channelID in schedule.channelIDs {
            // A corrupt channel is logged and skipped like a deleted one: retrying cannot heal it,
            // and the other channels should still get the digest. Never sent without its secrets
            // (a missing VIGIL_SECRETS_KEY fails the job instead, so it is retried once set).
            guard let (row, stored) = try await database.inWorkspace(workspace.id, { try await channels.withSecrets(id: channelID, on: $0) }),
                  let spec = StoredJSON.decodeOrSkip(NotificationChannelSpec.self, row.specJSON, row: "notification_channels \(row.id.lowercased) spec"),
                  spec.enabled,
                  let secrets = try secretStore.openOrSkip(stored, workspaceID: workspace.id, channelID: row.id)
            else { continue }
            let outcome: DeliveryOutcome
            switch spec.kind {
            case .email:
                let message = EmailMessage(from: spec.from ?? "vigil@localhost", to: spec.to ?? [], subject: DigestRenderer.subject(content),
                                           textBody: DigestRenderer.text(content), htmlBody: DigestRenderer.html(content),
                                           extraHeaders: ["X-Vigil-Idempotency-Key": key])
                let security: SMTPSettings.Security = switch spec.smtpSecurity ?? .starttls { case .starttls: .starttls; case .tls: .tls; case .none: .none }
                outcome = await smtp.send(message, via: SMTPSettings(host: spec.smtpHost ?? "", port: spec.smtpPort ?? 587, username: spec.smtpUsername,
                                                                     password: secrets.smtpPassword, security: security, caBundle: spec.smtpCABundleForDelivery,
                                                                     timeout: spec.timeout))
            case .webhook:
                let body = DigestRenderer.json(content)
                var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Idempotency-Key", key), ("X-Vigil-Event", "digest")]
                headers += WebhookSignature.headers(secret: secrets.signingSecret ?? "", timestamp: Int64(clock.now().timeIntervalSince1970), body: body)
                outcome = await http.post(OutboundHTTPRequest(url: spec.url ?? "", headers: headers, body: body, timeout: spec.timeout))
            case .slack, .pagerduty:
                continue
            }
            guard outcome.succeeded else {
                throw ServiceError.unavailable("digest delivery to channel \(channelID.uuidString.lowercased()) failed: \(outcome.ledgerError ?? "failed")")
            }
            delivered += 1
        }
        _ = try await database.inWorkspace(workspace.id) {
            try await repository.recordSent(uniqueKey: key, period: period, channels: delivered, workspaceID: workspace.id, on: $0)
        }
        return delivered
    }
}
