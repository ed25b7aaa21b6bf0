import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Logging
import PostgresClient
import Testing
import VigilAPI
import VigilCore
import VigilPrimitives
import VigilRepositories
import VigilServices
import VigilTestFixtures

/// One migrated database, the real services and the real router, per test.
struct TestAPI {
    static let adminToken = "test-admin-token-0123456789-9f3c2a7d1e8b4c6f"
    /// The local peers listen on 127.0.0.1, which the default egress policy refuses.
    static let loopbackEgress = EgressPolicy(allowList: [IPNetwork("127.0.0.1/32")!])

    let db: MigratedDatabase
    let pool: PostgresPool
    /// What the API runs on: the API login (vigil_app), as `vigil serve` does.
    let services: Services
    /// What jobs run on (AlertJobDrain, retention, fan-out): the worker login (vigil_worker),
    /// as `vigil worker` does; the same clock and settings as `services`.
    let workerServices: Services
    /// The clock every service of this test reads; `clock.advance(by:)` lets time pass at once.
    let clock: TestClock

    /// `.router` calls the router in-process; `.live` serves on a real loopback socket.
    /// `login`: the runtime login `services` (and so the router) run as: the API's, as `vigil
    /// serve` does; `.worker` for a test that plays `vigil dev`.
    static func run(maxBodyBytes: Int = 64 * 1024, testing: TestingSetup = .router, metrics: MetricsConfiguration = MetricsConfiguration(),
                    clock: TestClock = TestClock(), login purpose: LoginPurpose = .api,
                    pool makePool: ((MigratedDatabase) -> PostgresPool)? = nil,
                    egress: EgressPolicy = loopbackEgress, smtpCABundles: [String: String] = [:],
                    authFailures: AuthFailureLimits = AuthFailureLimits(), secretKeyring: SecretKeyring? = TestAPI.secretKeyring,
                    limits: WorkspaceLimits = WorkspaceLimits(), trustedProxies: TrustedProxies = TrustedProxies(),
                    readCacheBytes: Int = APIConfiguration().readCacheBytes,
                    _ body: @escaping @Sendable (TestAPI, any TestClientProtocol) async throws -> Void) async throws {
        let db = try await MigratedDatabase.create()
        let pool = makePool?(db) ?? db.makeAppPool(as: purpose)
        let settings = ServiceSettings(adminToken: adminToken, migrations: try MigrationFile.bundled(), metrics: metrics)
            .with(authFailures: authFailures).with(secretKeyring: secretKeyring).with(limits: limits).with(auditSigningKey: TestAPI.auditSigningKey)
        func environment(_ database: Database) -> VigilEnvironment {
            VigilEnvironment(database: database, clock: WallClock(now: { clock.now }),
                             deliverers: Deliverers(egress: egress, smtpCABundles: SMTPCABundles(paths: smtpCABundles)),
                             settings: settings, logger: MigratedDatabase.logger)
        }
        let services = Services(environment: environment(Database(pool: pool, purpose: purpose)))
        // The worker's side, as `vigil worker` would run it: its own login and pool.
        let workerPool = db.makeAppPool(as: .worker)
        let workerServices = Services(environment: environment(Database(pool: workerPool, purpose: .worker)))
        var configuration = APIConfiguration(maxBodyBytes: maxBodyBytes)
        configuration.trustedProxies = trustedProxies
        configuration.readCacheBytes = readCacheBytes
        let router = try APIApplication.makeRouter(services: services, configuration: configuration, logger: MigratedDatabase.logger)
        let app = Application(router: router)
        let api = TestAPI(db: db, pool: pool, services: services, workerServices: workerServices, clock: clock)
        do {
            try await app.test(testing) { client in try await body(api, client) }
        } catch {
            await pool.shutdown()
            await workerPool.shutdown()
            throw error
        }
        await services.auth.flushFailureCounts()  // failed-auth counts still in memory, before the pool goes
        await pool.shutdown()
        await workerPool.shutdown()
        try await db.drop()
    }
}

extension TestAPI {
    /// An operator's command run with the migrator's login (`vigil workspace delete` needs the
    /// owner): fresh services on their own pool as the superuser the migrations ran as, with this
    /// test's clock and settings; the pool is closed when `body` returns.
    func asMigrator<T: Sendable>(_ body: (Services) async throws -> T) async throws -> T {
        let pool = PostgresPool(configuration: PostgresPoolConfiguration(conninfo: db.ownerConninfo), logger: MigratedDatabase.logger)
        let old = workerServices.environment
        let services = Services(environment: VigilEnvironment(database: Database(pool: pool, purpose: .worker), clock: old.clock,
                                                              deliverers: old.deliverers, settings: old.settings, logger: old.logger))
        do {
            let value = try await body(services)
            await pool.shutdown()
            return value
        } catch {
            await pool.shutdown()
            throw error
        }
    }
}

/// A response reduced to what tests look at.
struct Reply {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String
    /// The raw body (binary downloads; `text` is its lossy UTF-8 reading).
    var bytes: [UInt8] = []

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }

    /// Every error must be the envelope with a code, a message and the correlation id that
    /// was also sent as a header.
    func expectErrorEnvelope(_ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(self.status == status, "body: \(text)", sourceLocation: sourceLocation)
        let error = json["error"] as? [String: Any]
        #expect(error?["code"] as? String == code, "body: \(text)", sourceLocation: sourceLocation)
        #expect((error?["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(error?["correlation_id"] as? String == headers[HTTPField.Name("X-Correlation-ID")!], sourceLocation: sourceLocation)
    }
}

enum Auth {
    case none
    case bearer(String)
    case legacyHeader(String)

    var fields: HTTPFields {
        var fields = HTTPFields()
        switch self {
        case .none: break
        case .bearer(let key): fields[.authorization] = "Bearer \(key)"
        case .legacyHeader(let key): fields[HTTPField.Name("X-Monitoring-API-Key")!] = key
        }
        return fields
    }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, auth: Auth = .none, json: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = auth.fields
        if json != nil { headers[.contentType] = "application/json" }
        for field in extra { headers[field.name] = field.value }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            Reply(status: response.status, headers: response.headers, text: String(buffer: response.body),
                  bytes: Array(buffer: response.body))
        }
    }

    /// Creates a workspace through the API; returns its id, slug and first admin key.
    func createWorkspace(name: String = "Acme \(UUID().uuidString.prefix(6))", slug: String? = nil) async throws -> (id: String, slug: String, key: String) {
        let slugField = slug.map { #", "slug": "\#($0)""# } ?? ""
        let reply = try await call(.post, "/v1/workspaces", auth: .bearer(TestAPI.adminToken), json: #"{"name": "\#(name)"\#(slugField)}"#)
        #expect(reply.status == .created, "\(reply.text)")
        let workspace = try #require(reply.json["workspace"] as? [String: Any])
        let key = try #require(reply.json["api_key"] as? [String: Any])
        return (try #require(workspace["id"] as? String), try #require(workspace["slug"] as? String), try #require(key["key"] as? String))
    }

    /// Creates a key with `role` in a workspace, using its admin key.
    func createKey(workspace: String, adminKey: String, role: String, name: String = "k") async throws -> (id: String, key: String) {
        let reply = try await call(.post, "/v1/workspaces/\(workspace)/api-keys", auth: .bearer(adminKey),
                                   json: #"{"name": "\#(name)", "role": "\#(role)"}"#)
        #expect(reply.status == .created, "\(reply.text)")
        return (try #require(reply.json["id"] as? String), try #require(reply.json["key"] as? String))
    }
}
