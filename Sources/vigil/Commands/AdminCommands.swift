import ArgumentParser
import Foundation
import VigilCore
import VigilPrimitives
import VigilServices

/// Operator commands: act directly through the services with database access, audited as
/// the `system` actor "cli".
struct WorkspaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "workspace", abstract: "Manage workspaces.",
                                                    subcommands: [Create.self, List.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a workspace; prints it and its first admin key as JSON.")

        @OptionGroup var common: CommonOptions
        @Option(help: "Display name.") var name: String
        @Option(help: "URL slug (derived from the name when absent).") var slug: String?
        @Option(name: .customLong("time-zone"), help: "IANA time zone.") var timeZone: String = "UTC"

        func run() async throws {
            let (settings, logger) = try common.settings()
            let runtime = try Runtime(settings: settings, logger: logger)
            var workspaceSettings = WorkspaceSettings()
            workspaceSettings.timeZone = timeZone
            let (workspace, key) = try await runtime.services.workspaces.create(
                WorkspaceCreation(name: name, slug: slug, settings: workspaceSettings), actor: .system("cli"), metadata: .cli)
            await runtime.shutdown()
            try printJSON(["workspace": workspace.json, "api_key": key.json])
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Offboard a tenant: erase every row of the workspace and print the erasure certificate as JSON.",
            discussion: "Needs a DATABASE_URL whose login is a member of vigil_owner (the migrating login). Cannot be undone.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Workspace id or slug.") var workspace: String
        @Option(help: "The workspace's slug again, to confirm.") var confirm: String

        func run() async throws {
            let certificate = try await common.withRuntime { runtime in
                let target = try await runtime.services.workspaces.find(reference: workspace)
                guard confirm == target.slug else {
                    throw ValidationError("--confirm must repeat the workspace's slug ('\(target.slug)')")
                }
                return try await runtime.services.workspaces.delete(target, actor: .system("cli"), metadata: .cli)
            }
            print(certificate.canonicalJSON().text)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every workspace as JSON, oldest first.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let all = try await common.withRuntime { runtime in
                var all: [[String: Any]] = []
                var cursor: String?
                repeat {
                    let page = try await runtime.services.workspaces.list(limit: 500, cursor: cursor)
                    all += page.items.map(\.json)
                    cursor = page.nextCursor
                } while cursor != nil
                return all
            }
            try printJSON(["items": all])
        }
    }
}

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "key", abstract: "Manage API keys.",
                                                    subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key; prints it (shown only once) as JSON.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Workspace id or slug.") var workspace: String
        @Option(help: "A name to recognise the key by.") var name: String
        @Option(help: "admin|member|viewer|ingest") var role: String
        @Option(name: .customLong("expires-at"), help: "RFC 3339 expiry, e.g. 2027-01-31T00:00:00Z.") var expiresAt: String?

        func run() async throws {
            guard let keyRole = ApiKeyRole(rawValue: role) else { throw ValidationError("--role must be admin, member, viewer or ingest") }
            var expiry: Date?
            if let expiresAt {
                guard let parsed = try? Date(expiresAt, strategy: .iso8601) else { throw ValidationError("--expires-at must be RFC 3339") }
                expiry = parsed
            }
            let (settings, logger) = try common.settings()
            let runtime = try Runtime(settings: settings, logger: logger)
            let target = try await runtime.services.workspaces.find(reference: workspace)
            let key = try await runtime.services.apiKeys.create(in: target.id, name: name, role: keyRole, expiresAt: expiry,
                                                                actor: .system("cli"), metadata: .cli)
            await runtime.shutdown()
            try printJSON(key.json)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a workspace's keys as JSON (never the secrets).")
        @OptionGroup var common: CommonOptions
        @Option(help: "Workspace id or slug.") var workspace: String

        func run() async throws {
            let (settings, logger) = try common.settings()
            let runtime = try Runtime(settings: settings, logger: logger)
            let target = try await runtime.services.workspaces.find(reference: workspace)
            var all: [[String: Any]] = []
            var cursor: String?
            repeat {
                let page = try await runtime.services.apiKeys.list(in: target.id, limit: 500, cursor: cursor)
                all += page.items.map(\.json)
                cursor = page.nextCursor
            } while cursor != nil
            await runtime.shutdown()
            try printJSON(["items": all])
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key at once.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Workspace id or slug.") var workspace: String
        @Option(help: "The key's id.") var id: String

        func run() async throws {
            guard let keyID = UUID(uuidString: id) else { throw ValidationError("--id must be a uuid") }
            let (settings, logger) = try common.settings()
            let runtime = try Runtime(settings: settings, logger: logger)
            let target = try await runtime.services.workspaces.find(reference: workspace)
            try await runtime.services.apiKeys.revoke(in: target.id, id: keyID, actor: .system("cli"), metadata: .cli)
            await runtime.shutdown()
            try printJSON(["revoked": keyID.uuidString.lowercased()])
        }
    }
}

extension RequestMetadata {
    static let cli = RequestMetadata(correlationID: CorrelationID.generate(), sourceIP: nil)
}

func printJSON(_ object: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}

extension Workspace {
    var json: [String: Any] {
        let retention = Dictionary(uniqueKeysWithValues: settings.retentionDays.all.map { ($0.dataClass, $0.days) })
        return ["id": id.uuidString.lowercased(), "slug": slug, "name": name, "created_at": createdAt.formatted(.iso8601),
                "settings": ["time_zone": settings.timeZone, "retention_days": retention]]
    }
}

extension ApiKey {
    var json: [String: Any] {
        var out: [String: Any] = ["id": id.uuidString.lowercased(), "name": name, "prefix": prefix, "role": role.rawValue,
                                  "created_at": createdAt.formatted(.iso8601)]
        if let lastUsedAt { out["last_used_at"] = lastUsedAt.formatted(.iso8601) }
        if let expiresAt { out["expires_at"] = expiresAt.formatted(.iso8601) }
        if let revokedAt { out["revoked_at"] = revokedAt.formatted(.iso8601) }
        return out
    }
}

extension IssuedApiKey {
    var json: [String: Any] { key.json.merging(["key": secret]) { $1 } }
}
