import HTTPTypes
import OpenAPIRuntime

/// The path templates and methods the generated server registers, recorded once at start-up,
/// so a request whose path exists under other methods is answered 405 with `Allow` (RFC 9110
/// §15.5.6) instead of the router's 404.
struct RouteTable: Sendable {
    private let routes: [Route]

    private struct Route: Sendable {
        let segments: [String]
        var methods: Set<String>
    }

    /// Runs `register` against a transport that records instead of serving.
    init(_ register: (any ServerTransport) throws -> Void, extra: [(method: HTTPRequest.Method, path: String)] = []) throws {
        let recorder = RouteRecorder()
        try register(recorder)
        var routes: [Route] = []
        for (method, path) in recorder.entries + extra {
            let segments = Self.segments(of: path)
            if let index = routes.firstIndex(where: { $0.segments == segments }) {
                routes[index].methods.insert(method.rawValue)
            } else {
                routes.append(Route(segments: segments, methods: [method.rawValue]))
            }
        }
        self.routes = routes
    }

    /// The methods `path` answers, sorted, or none when no template matches it.
    func allowedMethods(forPath path: String) -> [String] {
        let requested = Self.segments(of: path)
        var methods = Set<String>()
        for route in routes where Self.matches(route.segments, requested) { methods.formUnion(route.methods) }
        return methods.sorted()
    }

    private static func segments(of path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
    }

    /// A `{name}` template segment matches any non-empty segment; others match literally.
    private static func matches(_ template: [String], _ requested: [String]) -> Bool {
        guard template.count == requested.count else { return false }
        for (pattern, segment) in zip(template, requested) {
            if pattern.hasPrefix("{") && pattern.hasSuffix("}") {
                if segment.isEmpty { return false }
            } else if pattern != segment {
                return false
            }
        }
        return true
    }
}

/// A transport that only remembers what was registered on it.
private final class RouteRecorder: ServerTransport {
    var entries: [(method: HTTPRequest.Method, path: String)] = []

    func register(_ handler: @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
                  method: HTTPRequest.Method, path: String) throws {
        entries.append((method, path))
    }
}
