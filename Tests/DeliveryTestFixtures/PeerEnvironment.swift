import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where peers live and how to run them.
public enum PeerEnvironment {
    /// Package root: this file is <root>/Tests/DeliveryTestFixtures/PeerEnvironment.swift.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // DeliveryTestFixtures
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // root

    /// scripts/peers, overridable with VIGIL_PEERS_DIR.
    public static var peersDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["VIGIL_PEERS_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return repositoryRoot.appendingPathComponent("scripts/peers")
    }

    /// The interpreter used for peers: $VIGIL_PYTHON, else `python3` from PATH. It must have
    /// aiosmtpd and cryptography (Debian's /usr/bin/python3 may not; pyenv's does here).
    public static var python: String {
        ProcessInfo.processInfo.environment["VIGIL_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
    }

    /// A fresh private directory for one peer's records, certs and logs.
    static func makeTemporaryDirectory(prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("vigil-\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bind port 0, read it, close).
    /// Racy by nature; only used for Alertmanager, which cannot report its own port.
    public static func freePort() throws -> Int {
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw PeerError.badResponse(peer: "freePort", detail: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw PeerError.badResponse(peer: "freePort", detail: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw PeerError.badResponse(peer: "freePort", detail: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Polls `body` until it returns a value or `timeout` passes (tests of asynchronous peers).
public func eventually<T>(
    timeout: Duration = .seconds(10),
    interval: Duration = .milliseconds(100),
    _ body: () async throws -> T?
) async throws -> T? {
    let deadline = ContinuousClock.now + timeout
    repeat {
        if let value = try await body() { return value }
        try await Task.sleep(for: interval)
    } while ContinuousClock.now < deadline
    return try await body()
}
