import Foundation

/// The operator's named CA bundles for SMTP relays (`VIGIL_SMTP_CA_BUNDLES`,
/// `name=/path/ca.pem,other=/path2`).
///
/// A channel used to name any file on the worker's machine as its CA file, which let a tenant
/// probe the worker's file system through delivery errors. Now the operator decides which files
/// exist as bundles and tenants pick one by name.
public struct SMTPCABundles: Sendable, Equatable {
    public static let nameLimit = 64

    /// name → PEM file path.
    public var paths: [String: String]

    public init(paths: [String: String] = [:]) {
        self.paths = paths
    }

    /// Parses the setting; the error names the bad entry (operator input, not tenant input).
    public init(settingText text: String) throws(SMTPCABundlesError) {
        var paths: [String: String] = [:]
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            let name = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            let path = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            if name.isEmpty && path.isEmpty { continue }
            guard Self.isValidName(name), path.hasPrefix("/") else {
                throw SMTPCABundlesError(description: "'\(entry.prefix(80))' is not name=/absolute/path.pem")
            }
            guard paths[name] == nil else { throw SMTPCABundlesError(description: "bundle '\(name)' is named twice") }
            paths[name] = path
        }
        self.paths = paths
    }

    /// 1-64 characters of letters, digits, '-', '_' and '.'.
    public static func isValidName(_ name: String) -> Bool {
        (1...nameLimit).contains(name.count)
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }
    }
}

public struct SMTPCABundlesError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

extension NotificationChannelSpec {
    /// An email channel's `smtp_ca_bundle` must name one of the operator's bundles.
    public func validateCABundle(known names: Set<String>) -> ValidationFailure? {
        guard let bundle = smtpCABundle else { return nil }
        if kind != .email {
            return ValidationFailure(field: "smtp_ca_bundle", message: "smtp_ca_bundle applies to email channels only")
        }
        guard names.contains(bundle) else {
            let known = names.sorted().joined(separator: ", ")
            return ValidationFailure(field: "smtp_ca_bundle",
                                     message: "unknown CA bundle '\(bundle.prefix(SMTPCABundles.nameLimit))'; configured: \(known.isEmpty ? "none" : known)")
        }
        return nil
    }
}
