import Foundation
import PostgresClient
import VigilCore

/// Which workspaces the KPI, SLO and digest ticks fan out to (migration 0019's functions, run
/// on a platform connection: ids only, nothing of the tenants' data).
public struct KPIFanOutRepository: Sendable {
    public init() {}

    public func workspacesWithDirtyPeriods(_ period: KPIPeriod, on connection: Transaction) async throws -> [UUID] {
        try await ids(connection.query("SELECT w AS id FROM vigil_workspaces_with_dirty_kpis(\(period.rawValue)) AS w"))
    }

    public func workspacesWithSLOs(on connection: Transaction) async throws -> [UUID] {
        try await ids(connection.query("SELECT w AS id FROM vigil_workspaces_with_slos() AS w"))
    }

    public func workspacesWithDigestSchedules(on connection: Transaction) async throws -> [UUID] {
        try await ids(connection.query("SELECT w AS id FROM vigil_workspaces_with_digest_schedules() AS w"))
    }

    private func ids(_ rows: PostgresRows) throws -> [UUID] {
        try rows.map { try $0.decode("id", as: UUID.self) }
    }
}
