import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func createAlertRule(_ input: Operations.CreateAlertRule.Input) async throws -> Operations.CreateAlertRule.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let rule = try await services.alertRules.create(try Self.alertRule(body), in: caller.workspace)
            return .created(.init(body: .json(.init(rule))))
        }
    }

    func listAlertRules(_ input: Operations.ListAlertRules.Input) async throws -> Operations.ListAlertRules.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let page = try await services.alertRules.list(in: caller.workspace, limit: input.query.limit, cursor: input.query.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.AlertRule.init), nextCursor: page.nextCursor))))
        }
    }

    func getAlertRule(_ input: Operations.GetAlertRule.Input) async throws -> Operations.GetAlertRule.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(.init(try await services.alertRules.get(try Self.uuid(input.path.id), in: caller.workspace)))))
        }
    }

    func updateAlertRule(_ input: Operations.UpdateAlertRule.Input) async throws -> Operations.UpdateAlertRule.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let rule = try await services.alertRules.update(try Self.uuid(input.path.id), to: try Self.alertRule(body), in: caller.workspace)
            return .ok(.init(body: .json(.init(rule))))
        }
    }

    func deleteAlertRule(_ input: Operations.DeleteAlertRule.Input) async throws -> Operations.DeleteAlertRule.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            try await services.alertRules.delete(try Self.uuid(input.path.id), in: caller.workspace)
            return .noContent(.init())
        }
    }

    func getAlertRuleStatus(_ input: Operations.GetAlertRuleStatus.Input) async throws -> Operations.GetAlertRuleStatus.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(.init(try await services.alertRules.status(try Self.uuid(input.path.id), in: caller.workspace)))))
        }
    }

    func testAlertRule(_ input: Operations.TestAlertRule.Input) async throws -> Operations.TestAlertRule.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let result = try await services.alertRules.backtest(try Self.alertRule(body.rule), from: body.from, to: body.to, in: caller.workspace)
            return .ok(.init(body: .json(.init(result))))
        }
    }

    func listAlertRulePresets(_ input: Operations.ListAlertRulePresets.Input) async throws -> Operations.ListAlertRulePresets.Output {
        try await withCaller(input.path.workspace, role: .viewer) { _, _ in
            .ok(.init(body: .json(.init(items: AlertRulePresets.all.map(Components.Schemas.AlertRulePreset.init)))))
        }
    }

    func enableAlertRulePreset(_ input: Operations.EnableAlertRulePreset.Input) async throws -> Operations.EnableAlertRulePreset.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            var overrides: Components.Schemas.AlertRulePresetOverrides?
            switch input.body {
            case .json(let body)?: overrides = body
            case nil: overrides = nil
            }
            let rule = try await services.alertRules.enablePreset(input.path.name, overrides: Self.presetOverrides(overrides), in: caller.workspace)
            return .created(.init(body: .json(.init(rule))))
        }
    }
}
