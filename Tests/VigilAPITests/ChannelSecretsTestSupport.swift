import Foundation
import PostgresClient
import Testing
import VigilCore
import VigilRepositories
import VigilServices
import VigilTestFixtures

extension TestAPI {
    /// Every test API seals channel secrets, as production does (VIGIL_SECRETS_KEY).
    static let secretKeyring: SecretKeyring? = try? SecretKeyring(keys: [(id: "test1", bytes: Array(repeating: 0x5a, count: 32))])

    /// The same database and clock served by fresh services with another keyring: what a
    /// restart with a new VIGIL_SECRETS_KEY gives.
    func restarted(secretKeyring: SecretKeyring?) throws -> TestAPI {
        let old = services.environment
        let environment = VigilEnvironment(database: old.database, clock: old.clock, deliverers: old.deliverers,
                                           settings: old.settings.with(secretKeyring: secretKeyring), logger: old.logger)
        let oldWorker = workerServices.environment
        let workerEnvironment = VigilEnvironment(database: oldWorker.database, clock: oldWorker.clock, deliverers: oldWorker.deliverers,
                                                 settings: oldWorker.settings.with(secretKeyring: secretKeyring), logger: oldWorker.logger)
        return TestAPI(db: db, pool: pool, services: Services(environment: environment),
                       workerServices: Services(environment: workerEnvironment), clock: clock)
    }

    /// The `secrets` column of a channel and its flag, read past row-level security.
    func storedSecrets(channelID: String) async throws -> (json: String, sealed: Bool) {
        let owner = try await db.ownerConnection()
        defer { Task { await owner.close() } }
        let row = try #require(try await owner.query("""
            SELECT secrets::text AS secrets, secrets_sealed FROM notification_channels WHERE id = \(UUID(uuidString: channelID)!)
            """).first)
        return (try row.decode("secrets", as: String.self), try row.decode("secrets_sealed", as: Bool.self))
    }

    /// The whole database as `pg_dump` writes it (schema and data, as the superuser).
    func pgDump() throws -> String {
        let bundled = "/usr/lib/postgresql/15/bin/pg_dump"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: bundled) ? bundled : "/usr/bin/pg_dump")
        process.arguments = ["--no-owner", "--dbname=\(db.ownerConninfo)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "pg_dump failed")
        return String(decoding: data, as: UTF8.self)
    }
}

extension ServiceSettings {
    func with(secretKeyring: SecretKeyring?) -> ServiceSettings {
        var settings = self
        settings.secretKeyring = secretKeyring
        return settings
    }
}

enum TestKeys {
    static let k1 = try! SecretKeyring(keys: [(id: "k1", bytes: Array(repeating: 1, count: 32))])
    static let k2k1 = try! SecretKeyring(keys: [(id: "k2", bytes: Array(repeating: 2, count: 32)), (id: "k1", bytes: Array(repeating: 1, count: 32))])
    static let k2 = try! SecretKeyring(keys: [(id: "k2", bytes: Array(repeating: 2, count: 32))])
}
