import Foundation

/// One POST as seen by scripts/peers/http_receiver.py.
public struct RecordedHTTPRequest: Sendable, Equatable {
    public var path: String
    /// Header names lowercased; repeated headers joined with ", ".
    public var headers: [String: String]
    public var body: [UInt8]
    public var receivedAt: String

    public var bodyString: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object, or nil.
    public var jsonObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
}

/// Launches scripts/peers/http_receiver.py on an ephemeral port. See that script for the
/// path-driven behaviours (/fail/<n>, /status/<code>, /hang/<s>, /redirect, /bytes/<n>).
public final class HTTPReceiverPeer: @unchecked Sendable {
    private let lock = NSLock()
    private var peer: PeerProcess?
    private var directory: URL?
    private var boundPort = 0

    public init() {}
    deinit { stop() }

    public var port: Int { lock.withLock { boundPort } }

    /// Starts the receiver and returns its port.
    @discardableResult
    public func start() async throws -> Int {
        let dir = try PeerEnvironment.makeTemporaryDirectory(prefix: "http-receiver")
        let script = PeerEnvironment.peersDirectory.appendingPathComponent("http_receiver.py").path
        let process = PeerProcess(
            name: "http_receiver",
            executable: "/usr/bin/env",
            arguments: [PeerEnvironment.python, script, "--port", "0",
                        "--record", dir.appendingPathComponent("requests.jsonl").path, "--exit-on-stdin-eof"],
            logFile: dir.appendingPathComponent("receiver.log"))
        lock.withLock { peer = process; directory = dir }
        try process.start()
        guard let port = Int(try await process.waitForLine(prefix: "LISTENING ")) else {
            throw PeerError.badResponse(peer: "http_receiver", detail: "unparsable LISTENING line")
        }
        lock.withLock { boundPort = port }
        return port
    }

    /// "http://127.0.0.1:<port>/<path>".
    public func url(path: String) -> String {
        "http://127.0.0.1:\(port)" + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// Every POST received so far, oldest first (via GET /_requests).
    public func requests() async throws -> [RecordedHTTPRequest] {
        guard port != 0 else { throw PeerError.notStarted(peer: "http_receiver") }
        let (status, data) = try await PeerHTTP.get(url(path: "/_requests"))
        guard status == 200, let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw PeerError.badResponse(peer: "http_receiver", detail: "GET /_requests answered \(status)")
        }
        return list.map { entry in
            var headers: [String: String] = [:]
            for (name, value) in entry["headers"] as? [String: String] ?? [:] {
                headers[name.lowercased()] = value
            }
            let body = (entry["body_b64"] as? String).flatMap { Data(base64Encoded: $0) } ?? Data()
            return RecordedHTTPRequest(
                path: entry["path"] as? String ?? "",
                headers: headers,
                body: Array(body),
                receivedAt: entry["received_at"] as? String ?? "")
        }
    }

    public func stop() {
        let (process, dir) = lock.withLock { () -> (PeerProcess?, URL?) in
            defer { peer = nil; directory = nil }
            return (peer, directory)
        }
        process?.stop()
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }
}
