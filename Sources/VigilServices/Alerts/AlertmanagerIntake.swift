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
        var receipt = AlertmanagerReceipt()
        for mapped in mappedAlerts {
            receipt.received += 1
            if mapped.isFiring {
                let submission = AlertSubmission(title: mapped.title, message: mapped.message, severity: mapped.severity, source: mapped.source,
                                                 labels: mapped.labels, annotations: mapped.annotations, dedupKey: mapped.dedupKey,
                                                 origin: .internal)
                switch try await alerts.submit(submission, in: workspace, actor: AlertmanagerMapping.source).1 {
                case .created: receipt.created += 1
                case .deduplicated: receipt.deduplicated += 1
                case .reopened: receipt.reopened += 1
                }
            } else if !mayResolve {
                receipt.refused += 1
            } else {
                let fingerprint = AlertFingerprint.of(dedupKey: mapped.dedupKey, source: mapped.source, title: mapped.title, labels: mapped.labels)
                let open = try await database.inWorkspace(workspace.id) { try await repository.latest(fingerprint: fingerprint, on: $0) }
                guard let open, open.state != .resolved else { receipt.ignored += 1; continue }
                _ = try await alerts.apply(.resolve, to: open.id, in: workspace, actor: AlertmanagerMapping.source, note: "resolved in Alertmanager")
                receipt.resolved += 1
            }
        }
        return receipt
    }
}
