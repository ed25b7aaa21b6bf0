import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Tiny HTTP client for talking to peers' control endpoints (GET /_requests, Alertmanager's
/// API). Deliberately not VigilDelivery, so fixtures do not depend on the code under test.
enum PeerHTTP {
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        configuration.connectionProxyDictionary = [:]
        return URLSession(configuration: configuration)
    }()

    static func get(_ url: String) async throws -> (status: Int, body: Data) {
        try await send(URLRequest(url: URL(string: url)!))
    }

    static func postJSON(_ url: String, _ body: Data) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        return try await send(request)
    }

    private static func send(_ request: URLRequest) async throws -> (status: Int, body: Data) {
        let (data, response) = try await session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}
