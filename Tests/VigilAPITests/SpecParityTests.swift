import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The server is generated from openapi/openapi.yaml; this checks the running router answers
/// every operation the spec lists (no operation silently unrouted).
struct SpecParityTests {
    static func specOperations() throws -> [(method: String, path: String)] {
        let specURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("openapi/openapi.yaml")
        let lines = try String(contentsOf: specURL, encoding: .utf8).components(separatedBy: "\n")
        var operations: [(String, String)] = []
        var inPaths = false
        var currentPath: String?
        for line in lines {
            if line == "paths:" { inPaths = true; continue }
            if inPaths && !line.isEmpty && !line.hasPrefix(" ") { break }
            guard inPaths else { continue }
            if line.hasPrefix("  /") && line.hasSuffix(":") && !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if let path = currentPath, line.hasPrefix("    "), !line.hasPrefix("     "),
                      let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" }) {
                operations.append((method.uppercased(), path))
            }
        }
        return operations
    }

    @Test func everySpecOperationIsRouted() async throws {
        let operations = try Self.specOperations()
        #expect(operations.count == 110, "the spec parser found \(operations.count) operations")
        try await TestAPI.run { _, client in
            for (method, path) in operations {
                let concrete = path.replacingOccurrences(of: "{workspace}", with: "some-workspace")
                    .replacingOccurrences(of: "{id}", with: UUID().uuidString)
                    .replacingOccurrences(of: "{name}", with: "some.metric")
                    .replacingOccurrences(of: "{dashboard}", with: "websocket")
                    .replacingOccurrences(of: "{token}", with: "not-a-real-token")
                    .replacingOccurrences(of: "{key}", with: "some-kpi")
                let reply = try await client.call(HTTPRequest.Method(method)!, concrete, json: method == "POST" ? "{}" : nil)
                // Unrouted requests are 404 "no such resource"; routed ones fail auth/validation or succeed.
                #expect(reply.status != .notFound || reply.text.contains("was not found") || reply.text.contains("link is invalid"),
                        "\(method) \(path) is not routed")
                #expect(reply.status.code < 500, "\(method) \(path): \(reply.text)")
            }
        }
    }

    /// A path the spec has, asked with a method it does not have: 405 with `Allow` (the spec's
    /// `default` response), never the router's 404; an unknown path stays 404.
    @Test func undeclaredMethodsAre405WithAllow() async throws {
        let operations = try Self.specOperations()
        try await TestAPI.run { _, client in
            let alerts = try await client.call(.delete, "/v1/workspaces/some-workspace/alerts")
            alerts.expectErrorEnvelope(.methodNotAllowed, "method_not_allowed")
            #expect(alerts.headers[.allow] == "GET, POST")
            let declared = Set(operations.filter { $0.path == "/v1/workspaces/{workspace}/alerts" }.map(\.method))
            #expect(Set((alerts.headers[.allow] ?? "").components(separatedBy: ", ")) == declared)
            let health = try await client.call(.post, "/healthz", json: "{}")
            #expect(health.status == .methodNotAllowed && health.headers[.allow] == "GET")
            try await client.call(.get, "/v1/no-such-thing").expectErrorEnvelope(.notFound, "not_found")
            try await client.call(.get, "/v1/workspaces/some-workspace/alerts/a/b").expectErrorEnvelope(.notFound, "not_found")
        }
    }

    /// The running server serves the very spec it was generated from.
    @Test func servesItsOwnSpecification() async throws {
        let specURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("openapi/openapi.yaml")
        let onDisk = try String(contentsOf: specURL, encoding: .utf8)
        try await TestAPI.run { _, client in
            let reply = try await client.call(.get, "/openapi.yaml")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "text/yaml; charset=utf-8", "the spec holds non-ASCII text: \(reply.headers)")
            #expect(reply.text == onDisk)
        }
    }
}
