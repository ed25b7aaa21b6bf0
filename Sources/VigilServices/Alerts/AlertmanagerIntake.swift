import Foundation
import VigilCore
import VigilRepositories

/// What one Alertmanager webhook did.
public struct AlertmanagerReceipt: Sendable, Equatable {
    public var received = 0
    public var created = 0
    public var deduplicated = 0
    public var reopened = 0
    public var resolved = 0
    /// Resolved alerts Vigil never saw open (or already resolved).
    public var ignored = 0
    /// Resolved alerts left open because the calling key's role may not resolve alerts.
    public var refused = 0
}

/// Alertmanager's webhook (version 4) into Vigil alerts: firing alerts are submitted with the
/// dedup key `alertmanager:<fingerprint>` (so Alertmanager's re-sends count occurrences), and
/// resolved ones resolve the open alert with that key.
public struct AlertmanagerIntake: Sendable {
    let alerts: AlertService
    let database: Database
    let repository = AlertRepository()

    public init(alerts: AlertService, database: Database) {
        self.alerts = alerts
        self.database = database
    }

    /// `mayResolve`: whether the caller's role may resolve alerts (member and admin). An ingest
    /// key may raise alerts here but not close them, which would also resolve their PagerDuty
    /// incidents: its resolved entries are counted as `refused` and change nothing.
    public func receive(_ body: [UInt8], in workspace: Workspace, mayResolve: Bool) async throws -> AlertmanagerReceipt {
        let message: AlertmanagerWebhookMessage
        do { message = try AlertmanagerWebhookMessage.parse(body) } catch { throw ServiceError(error) }
        // The whole message is checked before any alert is applied: a bad alert late in the
        // batch must not leave the earlier ones applied and the retry counting them twice.
        let mappedAlerts = message.alerts.map(AlertmanagerMapping.map)
        for (index, mapped) in mappedAlerts.enumerated() {
            do {
                try AlertInputRules.validate(title: mapped.title, message: mapped.message, source: mapped.source,
                                             labels: mapped.labels, annotations: mapped.annotations)
            } catch {
                throw ServiceError.invalid(field: "alerts[\(index)].\(error.field)", message: error.message)
            }
        }
        // Alertmanager's labels and annotations are client-written texts: the workspace's
        // redaction policy applies before they are stored. The dedup key (Alertmanager's own
        // fingerprint of the labels as sent) is unaffected, so re-sends still deduplicate.
        let redactor = try await WorkspaceRedaction.redactor(for: workspace, database: database).redactor
        // One transaction for the whole batch: a failure part-way (a lost connection, a
        // constraint, a statement timeout) commits nothing, so Alertmanager's retry of the same
        // message cannot count the earlier alerts twice.
        let now = alerts.clock.now()
        let configuration = try await alerts.loadConfiguration(workspace, at: now)
        // Each alert as it will be stored (redacted once), with its fingerprint.
        let stored = mappedAlerts.map { submission($0, redactor: redactor) }
        let fingerprints = try zip(mappedAlerts, stored).map { mapped, stored -> String in
            guard mapped.isFiring else {
                // Derived (no Alertmanager fingerprint) from the stored texts, like the firing alert's.
                return AlertFingerprint.of(dedupKey: stored.dedupKey, source: stored.source, title: stored.title, labels: stored.labels)
            }
            return try AlertService.checkedFingerprint(stored)
        }
        return try await database.inWorkspace(workspace.id) { connection in
            let dispatch = AlertDispatch(workspace: workspace, now: now, configuration: configuration)
            var receipt = AlertmanagerReceipt()
            for ((mapped, submission), fingerprint) in zip(zip(mappedAlerts, stored), fingerprints) {
                receipt.received += 1
                if mapped.isFiring {
                    switch try await alerts.submit(submission, fingerprint: fingerprint, in: workspace, actor: AlertmanagerMapping.source,
                                                   dispatch: dispatch, on: connection).1 {
                    case .created: receipt.created += 1
                    case .deduplicated: receipt.deduplicated += 1
                    case .reopened: receipt.reopened += 1
                    }
                } else if !mayResolve {
                    receipt.refused += 1
                } else if try await resolve(fingerprint: fingerprint, dispatch: dispatch, on: connection) {
                    receipt.resolved += 1
                } else {
                    receipt.ignored += 1
                }
            }
            return receipt
        }
    }

    private func submission(_ mapped: MappedAlert, redactor: PIIRedactor?) -> AlertSubmission {
        AlertSubmission(title: mapped.title, message: mapped.message, severity: mapped.severity, source: mapped.source,
                        labels: mapped.labels, annotations: mapped.annotations, dedupKey: mapped.dedupKey, origin: .internal)
            .redacted(by: redactor)
    }

    /// Resolves the open alert with this fingerprint; false when there is none.
    private func resolve(fingerprint: String, dispatch: AlertDispatch, on connection: Transaction) async throws -> Bool {
        for _ in 0..<AlertService.casAttempts {
            guard let open = try await repository.latest(fingerprint: fingerprint, on: connection), open.state != .resolved else { return false }
            if try await alerts.apply(.resolve, to: open, actor: AlertmanagerMapping.source, note: "resolved in Alertmanager",
                                      dispatch: dispatch, on: connection) != nil {
                return true
            }
        }
        throw ServiceError.conflict("the alert kept changing concurrently; retry")
    }
}
