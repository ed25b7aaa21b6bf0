import Foundation

/// One message accepted by scripts/peers/smtp_server.py.
public struct RecordedEmail: Sendable, Equatable {
    public var mailFrom: String
    public var rcptTos: [String]
    /// The raw DATA (headers + MIME body, CRLF line endings, dot-unstuffed).
    public var data: String
    /// Login that authenticated the session, if any.
    public var authUser: String?
}

/// Launches scripts/peers/smtp_server.py (aiosmtpd): STARTTLS required, AUTH PLAIN/LOGIN with
/// the given credentials, self-signed certificate at `certFile` (trust it via caFile).
public final class SMTPPeer: @unchecked Sendable {
    private let lock = NSLock()
    private var peer: PeerProcess?
    private var directory: URL?
    private var boundPort = 0

    public init() {}
    deinit { stop() }

    public var port: Int { lock.withLock { boundPort } }

    /// PEM certificate the server presents (valid for 127.0.0.1 and localhost).
    public var certFile: String {
        lock.withLock { directory?.appendingPathComponent("certs/cert.pem").path ?? "" }
    }

    private var recordFile: URL? {
        lock.withLock { directory?.appendingPathComponent("mail.jsonl") }
    }

    /// Starts the server requiring `username`/`password` and returns its port.
    @discardableResult
    public func start(username: String, password: String) async throws -> Int {
        let dir = try PeerEnvironment.makeTemporaryDirectory(prefix: "smtp")
        let script = PeerEnvironment.peersDirectory.appendingPathComponent("smtp_server.py").path
        let process = PeerProcess(
            name: "smtp_server",
            executable: "/usr/bin/env",
            arguments: [PeerEnvironment.python, script, "--port", "0",
                        "--record", dir.appendingPathComponent("mail.jsonl").path,
                        "--user", username, "--password", password,
                        "--certdir", dir.appendingPathComponent("certs").path, "--exit-on-stdin-eof"],
            logFile: dir.appendingPathComponent("smtp.log"))
        lock.withLock { peer = process; directory = dir }
        try process.start()
        guard let port = Int(try await process.waitForLine(prefix: "LISTENING ")) else {
            throw PeerError.badResponse(peer: "smtp_server", detail: "unparsable LISTENING line")
        }
        lock.withLock { boundPort = port }
        return port
    }

    /// Messages accepted so far, oldest first.
    public func messages() async throws -> [RecordedEmail] {
        guard let file = recordFile else { throw PeerError.notStarted(peer: "smtp_server") }
        guard let data = try? Data(contentsOf: file) else { return [] }  // nothing received yet
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            // A line still being written fails to parse and is skipped until the next call.
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return nil }
            return RecordedEmail(
                mailFrom: object["mail_from"] as? String ?? "",
                rcptTos: object["rcpt_tos"] as? [String] ?? [],
                data: object["data"] as? String ?? "",
                authUser: object["auth_user"] as? String)
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
