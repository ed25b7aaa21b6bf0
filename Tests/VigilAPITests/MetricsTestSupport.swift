import Foundation
import PostgresClient
import Testing
import VigilTestFixtures

/// Deterministic values (a linear congruential generator), so a failure reproduces.
struct SeededValues {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func unit() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }

    /// Latency-like: lognormal around e^3 ms (≈ 20 ms) with a long tail.
    mutating func latency() -> Double {
        let u1 = max(unit(), 1e-12), u2 = unit()
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        return (exp(3 + 0.8 * normal) * 1000).rounded() / 1000
    }
}

extension TestAPI {
    /// One SQL value computed past row-level security (the exact reference for sketch results).
    func ownerDouble(_ sql: PostgresQuery) async throws -> Double? {
        let connection = try await db.ownerConnection()
        do {
            let value = try await connection.query(sql).first?.decode("v", as: Double?.self) ?? nil
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }
}

/// `points` as an ingest body.
func metricBody(_ points: [[String: Any]]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: ["points": points]), as: UTF8.self)
}

/// The quantile sketch's promise: within 1 % of the exact (interpolated) quantile.
func expectWithinSketchError(_ actual: Double?, _ exact: Double?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let actual, let exact else {
        Issue.record("\(what): missing value (sketch \(String(describing: actual)), exact \(String(describing: exact)))", sourceLocation: sourceLocation)
        return
    }
    #expect(abs(actual - exact) <= 0.01 * abs(exact) + 1e-9, "\(what): sketch \(actual), exact \(exact)", sourceLocation: sourceLocation)
}

/// What `createWorkspace` returns.
typealias TestWorkspace = (id: String, slug: String, key: String)
