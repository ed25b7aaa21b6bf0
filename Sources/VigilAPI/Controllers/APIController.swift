import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime
import VigilCore
import VigilServices

/// Implements the operations generated from openapi/openapi.yaml. Each method authenticates,
/// calls one use case, and maps domain values to the generated types — nothing else.
struct APIController: APIProtocol {
    let services: Services
    let metrics: HTTPMetrics
    let logger: Logger

    /// The request's edge information; set by `EdgeMiddleware` for every request.
    var request: RequestInfo {
        get throws {
            guard let info = RequestInfo.current else { throw APIError(status: .internalServerError, code: "internal_error", message: "internal error") }
            return info
        }
    }

    /// Authenticates a workspace key with at least `role` (nil: any role), then runs `body` with the workspace
    /// id attached to every log line.
    func withCaller<T>(_ workspace: String, role: ApiKeyRole?, _ body: (WorkspaceCaller, RequestInfo) async throws -> T) async throws -> T {
        let info = try request
        return try await Self.withCaller(workspace, role: role, info: info, services: services) { try await body($0, info) }
    }

    /// `withCaller` for code outside the generated handlers (the ingest fast path), which has
    /// the request's edge information but no controller.
    static func withCaller<T>(_ workspace: String, role: ApiKeyRole?, info: RequestInfo, services: Services,
                              _ body: (WorkspaceCaller) async throws -> T) async throws -> T {
        let caller: WorkspaceCaller
        if let known = authenticated, known.reference == workspace, known.role == role {
            caller = known.caller
        } else {
            caller = try await services.auth.requireKey(info.credentials, workspace: workspace, role: role, request: info.metadata)
        }
        return try await LogContext.$workspaceID.withValue(caller.workspace.id.uuidString.lowercased()) {
            try await services.auth.asserting(caller) { try await body(caller) }
        }
    }

    /// A caller a middleware already authenticated for this request with this workspace
    /// reference and role (`CachedReads`, on a miss), handed to the generated handler so
    /// the request authenticates, and counts against the workspace's limits, once. Its
    /// transactions still re-check the key (`AuthService.asserting`).
    struct Authenticated: Sendable {
        let reference: String
        let role: ApiKeyRole?
        let caller: WorkspaceCaller
    }

    @TaskLocal static var authenticated: Authenticated?

    /// Authenticates the platform admin token.
    func asAdmin() async throws -> RequestInfo {
        let info = try request
        try await services.auth.requireAdmin(info.credentials, request: info.metadata)
        return info
    }
}
