/// Which addresses outbound deliveries may connect to.
///
/// Tenants choose delivery destinations (webhook URLs, SMTP hosts), so without this a tenant
/// admin could make the worker reach loopback services, the private network or the cloud
/// metadata endpoint (169.254.169.254). Every special-purpose range is refused unless the
/// operator allows it explicitly (`VIGIL_EGRESS_ALLOW`). Delivery applies `decide` to each
/// address at connect time, after DNS, so rebinding a name cannot slip past it.
public struct EgressPolicy: Sendable, Equatable {
    /// Operator-chosen networks that are allowed even though they are special-purpose.
    public var allowList: [IPNetwork]

    public init(allowList: [IPNetwork] = []) {
        self.allowList = allowList
    }

    /// Parses `VIGIL_EGRESS_ALLOW`: comma-separated CIDRs (blank entries ignored).
    public init(allowListText text: String) throws(EgressPolicyError) {
        var networks: [IPNetwork] = []
        for entry in text.split(separator: ",") {
            let trimmed = entry.trimmingWhitespace
            if trimmed.isEmpty { continue }
            guard let network = IPNetwork(trimmed) else { throw EgressPolicyError(entry: trimmed) }
            networks.append(network)
        }
        self.init(allowList: networks)
    }

    /// The local developer setup (`vigil dev`, tests): loopback is allowed.
    public static let loopbackAllowed = EgressPolicy(allowList: [IPNetwork("127.0.0.0/8")!, IPNetwork("::1/128")!])

    public func decide(_ address: IPAddress) -> EgressDecision {
        let judged = [address] + (EgressRanges.embeddedIPv4(in: address).map { [$0] } ?? [])
        if allowList.contains(where: { network in judged.contains { network.contains($0) } }) {
            return .allowedByOperator
        }
        if let denial = EgressRanges.denial(for: address) { return .forbidden(denial) }
        return .allowed
    }
}

public enum EgressDecision: Sendable, Equatable {
    case allowed
    /// Special-purpose, but in the operator's allow-list.
    case allowedByOperator
    case forbidden(EgressDenial)

    public var isAllowed: Bool {
        if case .forbidden = self { return false }
        return true
    }
}

/// Why an address is refused: a class, never the address itself.
public enum EgressDenial: String, Sendable, Equatable, CaseIterable {
    case unspecified, loopback
    case privateNetwork = "private"
    case linkLocal = "link-local"
    case sharedAddressSpace = "shared address space"
    case uniqueLocal = "unique local"
    case multicast, broadcast, reserved, documentation
}

public struct EgressPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    public let entry: String
    public var description: String { "'\(entry.prefix(60))' is not an IP address or CIDR block" }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
