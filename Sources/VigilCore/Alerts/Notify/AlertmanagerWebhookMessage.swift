import Foundation

/// A notification from Alertmanager's `webhook_configs` (version 4), as Vigil receives it when
/// a workspace points an Alertmanager receiver at its endpoint.
///
/// Strict where it matters (version, alert status, timestamps, string label values, the
/// alert count) and lenient about informational fields: a missing `groupKey`, `receiver`,
/// `externalURL`, `groupLabels`, `commonLabels`, `commonAnnotations`, `truncatedAlerts`,
/// alert `labels`/`annotations` or a `null` in their place reads as empty.
public struct AlertmanagerWebhookMessage: Sendable, Equatable, Decodable {
    public enum Status: String, Sendable, Codable, Hashable {
        case firing, resolved
    }

    public struct Alert: Sendable, Equatable, Decodable {
        public var status: Status
        public var labels: [String: String]
        public var annotations: [String: String]
        /// Nil when absent, empty or Go's zero time (`0001-01-01T00:00:00Z`).
        public var startsAt: Date?
        /// Nil when absent, empty or Go's zero time (Alertmanager's "still firing").
        public var endsAt: Date?
        /// Nil when absent or empty.
        public var generatorURL: String?
        /// Alertmanager's hash of the labels (16 hex digits); nil when absent or empty.
        public var fingerprint: String?

        public init(status: Status, labels: [String: String], annotations: [String: String] = [:],
                    startsAt: Date? = nil, endsAt: Date? = nil, generatorURL: String? = nil, fingerprint: String? = nil) {
            self.status = status
            self.labels = labels
            self.annotations = annotations
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.generatorURL = generatorURL
            self.fingerprint = fingerprint
        }

        enum CodingKeys: String, CodingKey {
            case status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint
        }

        /// Throws `ValidationFailure` (field like `alerts[3].status`) for an unknown status or
        /// a timestamp that is not RFC 3339; `DecodingError` for wrong JSON types.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let path = AlertmanagerWebhookMessage.fieldPath(decoder.codingPath)
            let statusText = try c.decodeIfPresent(String.self, forKey: .status) ?? ""
            guard let status = Status(rawValue: statusText) else {
                throw ValidationFailure(field: path + ".status",
                                        message: "'\(statusText.prefix(32))' is not an alert status (firing or resolved)")
            }
            func time(_ key: CodingKeys) throws -> Date? {
                let text = try c.decodeIfPresent(String.self, forKey: key) ?? ""
                switch NotifyTime.parseIncoming(text) {
                case .none: return nil
                case .date(let date): return date
                case .invalid:
                    throw ValidationFailure(field: path + "." + key.stringValue,
                                            message: "'\(text.prefix(40))' is not an RFC 3339 timestamp")
                }
            }
            self.init(status: status,
                      labels: try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:],
                      annotations: try c.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:],
                      startsAt: try time(.startsAt),
                      endsAt: try time(.endsAt),
                      generatorURL: try c.decodeIfPresent(String.self, forKey: .generatorURL).flatMap { $0.isEmpty ? nil : $0 },
                      fingerprint: try c.decodeIfPresent(String.self, forKey: .fingerprint).flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    public static let supportedVersion = "4"
    public static let maxAlerts = 1000

    public var version: String
    public var groupKey: String
    /// Alerts Alertmanager left out because of its `max_alerts` setting.
    public var truncatedAlerts: Int
    /// `firing` or `resolved` in practice; informational (each alert has its own status).
    public var status: String
    public var receiver: String
    public var groupLabels: [String: String]
    public var commonLabels: [String: String]
    public var commonAnnotations: [String: String]
    public var externalURL: String
    public var alerts: [Alert]

    public init(version: String = supportedVersion, groupKey: String = "", truncatedAlerts: Int = 0, status: String,
                receiver: String = "", groupLabels: [String: String] = [:], commonLabels: [String: String] = [:],
                commonAnnotations: [String: String] = [:], externalURL: String = "", alerts: [Alert]) {
        self.version = version
        self.groupKey = groupKey
        self.truncatedAlerts = truncatedAlerts
        self.status = status
        self.receiver = receiver
        self.groupLabels = groupLabels
        self.commonLabels = commonLabels
        self.commonAnnotations = commonAnnotations
        self.externalURL = externalURL
        self.alerts = alerts
    }

    enum CodingKeys: String, CodingKey {
        case version, groupKey, truncatedAlerts, status, receiver, groupLabels, commonLabels, commonAnnotations
        case externalURL, alerts
    }

    /// The request body, or the first problem as a `ValidationFailure` (HTTP 400) whose field
    /// names where it is: `body` (not a JSON object), `version` (not "4"), `alerts` (missing,
    /// not an array, more than 1000), `alerts[2].labels.env` (a value that is not a string),
    /// `alerts[0].status`, `alerts[0].startsAt`, … The caller caps the body size first.
    public static func parse(_ bytes: [UInt8]) throws(ValidationFailure) -> AlertmanagerWebhookMessage {
        do {
            return try JSONDecoder().decode(AlertmanagerWebhookMessage.self, from: Data(bytes))
        } catch let failure as ValidationFailure {
            throw failure
        } catch let DecodingError.typeMismatch(type, context) {
            let field = fieldPath(context.codingPath)
            if field.isEmpty { throw ValidationFailure(field: "body", message: "the body must be a JSON object") }
            throw ValidationFailure(field: field, message: expectation(type))
        } catch let DecodingError.valueNotFound(type, context) {
            throw ValidationFailure(field: fieldPath(context.codingPath),
                                    message: "must be \(type == String.self ? "a string" : "present"), not null")
        } catch let DecodingError.keyNotFound(key, context) {
            throw ValidationFailure(field: fieldPath(context.codingPath + [key]), message: "is required")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw ValidationFailure(field: fieldPath(context.codingPath), message: "is invalid")
        } catch {
            throw ValidationFailure(field: "body", message: "the body is not valid JSON")
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let version = try c.decodeIfPresent(String.self, forKey: .version) ?? ""
        guard version == Self.supportedVersion else {
            throw ValidationFailure(field: "version",
                                    message: "'\(version.prefix(16))' is not a supported webhook version (only \"4\")")
        }
        guard c.contains(.alerts), try !c.decodeNil(forKey: .alerts) else {
            throw ValidationFailure(field: "alerts", message: "alerts is required")
        }
        var list = try c.nestedUnkeyedContainer(forKey: .alerts)
        let tooMany = ValidationFailure(field: "alerts", message: "at most \(Self.maxAlerts) alerts per message")
        if let count = list.count, count > Self.maxAlerts { throw tooMany }
        var alerts: [Alert] = []
        while !list.isAtEnd {
            guard alerts.count < Self.maxAlerts else { throw tooMany }
            alerts.append(try list.decode(Alert.self))
        }
        let truncated = try c.decodeIfPresent(Int.self, forKey: .truncatedAlerts) ?? 0
        guard truncated >= 0 else { throw ValidationFailure(field: "truncatedAlerts", message: "truncatedAlerts must not be negative") }
        self.init(version: version,
                  groupKey: try c.decodeIfPresent(String.self, forKey: .groupKey) ?? "",
                  truncatedAlerts: truncated,
                  status: try c.decodeIfPresent(String.self, forKey: .status) ?? "",
                  receiver: try c.decodeIfPresent(String.self, forKey: .receiver) ?? "",
                  groupLabels: try c.decodeIfPresent([String: String].self, forKey: .groupLabels) ?? [:],
                  commonLabels: try c.decodeIfPresent([String: String].self, forKey: .commonLabels) ?? [:],
                  commonAnnotations: try c.decodeIfPresent([String: String].self, forKey: .commonAnnotations) ?? [:],
                  externalURL: try c.decodeIfPresent(String.self, forKey: .externalURL) ?? "",
                  alerts: alerts)
    }

    private static func expectation(_ type: Any.Type) -> String {
        if type == String.self { return "must be a string" }
        if type == Int.self { return "must be an integer" }
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") || name.hasPrefix("[") && name.contains(":") { return "must be an object" }
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "must be an array" }
        return "has the wrong type"
    }

    /// `alerts[3].labels.env` from a coding path (array indexes in brackets).
    static func fieldPath(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue, key.stringValue == "Index \(index)" {
                out += "[\(index)]"
            } else {
                out += (out.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return out
    }
}

/// An Alertmanager alert turned into Vigil's terms, ready for `AlertInputRules.validate` and
/// the same ingest path as the API (`dedupKey` in place of the client's `dedup_key`).
public struct MappedAlert: Sendable, Equatable {
    /// False for `status: resolved`: resolve the alert with `dedupKey` if one is open.
    public var isFiring: Bool
    public var title: String
    public var message: String
    public var severity: AlertSeverity
    public var source: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var dedupKey: String
    public var startsAt: Date?
    /// When Alertmanager says the alert ended (a resolved alert's resolution time).
    public var endsAt: Date?
    public var generatorURL: String?

    public init(isFiring: Bool, title: String, message: String, severity: AlertSeverity, source: String,
                labels: [String: String], annotations: [String: String], dedupKey: String,
                startsAt: Date?, endsAt: Date? = nil, generatorURL: String? = nil) {
        self.isFiring = isFiring
        self.title = title
        self.message = message
        self.severity = severity
        self.source = source
        self.labels = labels
        self.annotations = annotations
        self.dedupKey = dedupKey
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }
}

public enum AlertmanagerMapping {
    public static let source = "alertmanager"
    public static let dedupKeyPrefix = "alertmanager:"
    public static let defaultTitle = "Alertmanager alert"

    /// - title: the `summary` annotation, else the `alertname` label, else
    ///   "Alertmanager alert" (empty values count as absent), cut to
    ///   `AlertInputRules.titleLength.upperBound` characters;
    /// - message: the `description` annotation, else `message`, else "", cut to
    ///   `AlertInputRules.maxMessageLength`;
    /// - severity: `severity(label:)` of the `severity` label;
    /// - labels and annotations unchanged (validate them with `AlertInputRules`);
    /// - dedupKey: `dedupKey(fingerprint:title:labels:)`.
    public static func map(_ alert: AlertmanagerWebhookMessage.Alert) -> MappedAlert {
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        let title = NotifyText.truncated(
            nonEmpty(alert.annotations["summary"]) ?? nonEmpty(alert.labels["alertname"]) ?? defaultTitle,
            maxScalars: AlertInputRules.titleLength.upperBound)
        let message = NotifyText.truncated(
            nonEmpty(alert.annotations["description"]) ?? nonEmpty(alert.annotations["message"]) ?? "",
            maxScalars: AlertInputRules.maxMessageLength)
        return MappedAlert(isFiring: alert.status == .firing, title: title, message: message,
                           severity: severity(label: alert.labels["severity"]), source: source,
                           labels: alert.labels, annotations: alert.annotations,
                           dedupKey: dedupKey(fingerprint: alert.fingerprint, title: title, labels: alert.labels),
                           startsAt: alert.startsAt, endsAt: alert.endsAt, generatorURL: alert.generatorURL)
    }

    /// `AlertSeverity(parsing:)` (canonical names and `warning`, any case, surrounding
    /// whitespace ignored) plus the synonyms `error` → high, `page` → critical, `warn` →
    /// medium, `none` → info; anything else, or no label, is medium.
    public static func severity(label: String?) -> AlertSeverity {
        guard let text = label?.trimmingWhitespace() else { return .medium }
        if let severity = AlertSeverity(parsing: text) { return severity }
        switch text.lowercased() {
        case "error": return .high
        case "page": return .critical
        case "warn": return .medium
        case "none": return .info
        default: return .medium
        }
    }

    /// `alertmanager:<fingerprint>` when Alertmanager sent one (its hash of the labels, so the
    /// same label set is the same Vigil alert), else `alertmanager:` + `AlertFingerprint.derived`
    /// over the `alertname` label (or the title) and the labels. A fingerprint too long for
    /// `AlertFingerprint.maxDedupKeyBytes` becomes `alertmanager:sha256:<hex of its SHA-256>`,
    /// so the result always passes `AlertFingerprint.validateDedupKey`.
    public static func dedupKey(fingerprint: String?, title: String, labels: [String: String]) -> String {
        if let fingerprint, !fingerprint.isEmpty {
            let key = dedupKeyPrefix + fingerprint
            if key.utf8.count <= AlertFingerprint.maxDedupKeyBytes { return key }
            return dedupKeyPrefix + "sha256:" + SHA256Hex.hex(of: fingerprint)
        }
        let name = labels["alertname"].flatMap { $0.isEmpty ? nil : $0 } ?? title
        return dedupKeyPrefix + AlertFingerprint.derived(source: source, title: name, labels: labels)
    }
}
