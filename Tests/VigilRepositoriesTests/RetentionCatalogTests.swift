import Foundation
import PostgresClient
import Testing
@testable import VigilRepositories
import VigilTestFixtures

/// Every tenant table says how its rows leave (issue 14, item 6): a table added by a migration
/// without an entry in `RetentionCatalog` fails here, and so does a row-retention target the
/// catalogue does not call expiring.
struct RetentionCatalogTests {
    @Test func everyTenantTableHasARetentionRule() async throws {
        let db = try await MigratedDatabase.create()
        let owner = try await db.ownerConnection()
        let tables = Set(try await RuntimeLoginIsolationTests.tenantTables(owner).map(\.name))
        await owner.close()
        try await db.drop()
        let catalogued = Set(RetentionCatalog.tables.keys)
        #expect(tables.subtracting(catalogued).isEmpty, "tenant tables without a retention rule: \(tables.subtracting(catalogued).sorted())")
        #expect(catalogued.subtracting(tables).isEmpty, "catalogued tables that do not exist: \(catalogued.subtracting(tables).sorted())")
        for target in RetentionTarget.all {
            guard case .expires = RetentionCatalog.tables[target.table] else {
                Issue.record("\(target.table) is pruned by retention but not catalogued as expiring")
                continue
            }
        }
    }
}
