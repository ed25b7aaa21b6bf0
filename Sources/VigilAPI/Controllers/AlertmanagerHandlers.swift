import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    /// The generated body is a free-form object; the core parser gives the precise errors
    /// (version, alert shapes, limits), so the object goes back to bytes for it.
    func receiveAlertmanagerWebhook(_ input: Operations.ReceiveAlertmanagerWebhook.Input) async throws -> Operations.ReceiveAlertmanagerWebhook.Output {
        try await withCaller(input.path.workspace, role: .ingest) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let receipt = try await services.alertmanager.receive(Array(try JSONEncoder().encode(body)), in: caller.workspace,
                                                                  mayResolve: caller.role.permits(.member))
            return .ok(.init(body: .json(.init(receipt))))
        }
    }
}
