import Configuration
import Foundation
import Logging
import VigilCore
import VigilPrimitives
import VigilServices

/// Every setting Vigil reads, from environment variables through swift-configuration.
/// Command-line flags (when given) are layered on top and win.
struct Settings: Sendable {
    var databaseURL: String
    /// A direct connection for the worker's LISTEN (DATABASE_LISTEN_URL) when DATABASE_URL goes
    /// through PgBouncer in transaction mode, which cannot keep a LISTEN; nil: DATABASE_URL.
    var databaseListenURL: String? = nil
    /// A streaming replica for heavy reads (DATABASE_READ_URL: metric stats and series, export,
    /// dashboards, report generation's reads); nil: every read goes to DATABASE_URL.
    var databaseReadURL: String? = nil
    /// Heavy reads use the replica only while its replay lag is at most this
    /// (VIGIL_READ_MAX_LAG_SECONDS); above it, or when it is unreachable, the primary.
    var readMaxLagSeconds: Int = 30
    var httpHost: String
    var httpPort: Int
    var adminToken: String?
    var logLevel: Logger.Level
    var logFormat: LogFormat
    var poolSize: Int
    var maxBodyBytes: Int
    var acquireTimeoutMs: Int
    var statementTimeoutMs: Int
    var idleInTransactionTimeoutMs: Int
    var heartbeatIntervalSeconds: Int
    var workerConcurrency: Int
    var workerMaxRunningPerWorkspace: Int
    var workerPollMs: Int
    var ingestPointsPerMinute: Int
    var ingestMaxPoints: Int
    /// Failed authentications tolerated per source address / per workspace per minute.
    var authFailuresPerIPPerMinute: Int
    var authFailuresPerWorkspacePerMinute: Int
    var redaction: String
    var workerStaleSeconds: Int
    var workerShutdownGraceSeconds: Int
    var workerMetricsHost: String
    /// nil when VIGIL_WORKER_METRICS_PORT is unset: `vigil worker` then uses 9469 and `vigil dev`
    /// serves no separate worker metrics; 0 disables the endpoint.
    var workerMetricsPort: Int?
    var reportTTLHours: Int
    var reportsDirectory: String?
    var reportLinkKey: String?
    var complianceMonthly: Bool
    /// Outbound delivery: the CIDRs allowed despite being special-purpose (VIGIL_EGRESS_ALLOW).
    var egressPolicy: EgressPolicy
    /// Load balancers allowed to name the client in X-Forwarded-For (VIGIL_TRUSTED_PROXIES).
    var trustedProxies = TrustedProxies()
    /// Memory for the API's cached answers of the alerts list and metric stats and series
    /// (VIGIL_READ_CACHE_MB; 0: off).
    var readCacheMegabytes = 32
    /// Named CA bundles email channels may trust (VIGIL_SMTP_CA_BUNDLES, name=/path,...).
    var smtpCABundles: SMTPCABundles
    /// Seals channel secrets at rest (VIGIL_SECRETS_KEY, `id:base64,...`, first one seals).
    var secretKeyring: SecretKeyring? = nil
    /// Signs sealed audit segments (VIGIL_AUDIT_SIGNING_KEY, base64 Ed25519 private key); the
    /// worker prunes the audit log only with it.
    var auditSigningKey: AuditSigningKey? = nil
    /// Days a sealed segment's body stays downloadable (VIGIL_AUDIT_SEGMENT_KEEP_DAYS).
    var auditSegmentKeepDays = 90
    /// Per-workspace caps (VIGIL_LIMIT_*, see `WorkspaceLimitSettings`).
    var workspaceLimits = WorkspaceLimits()

    /// `overrides` holds flag values keyed like the configuration keys ("vigil.http.port").
    static func load(overrides: [AbsoluteConfigKey: ConfigValue] = [:]) throws -> Settings {
        let config = ConfigReader(providers: [
            InMemoryProvider(values: overrides),
            EnvironmentVariablesProvider(secretsSpecifier: .specific(["DATABASE_URL", "DATABASE_READ_URL", "VIGIL_ADMIN_TOKEN", "VIGIL_REPORT_LINK_KEY",
                                                                      "VIGIL_SECRETS_KEY", "VIGIL_AUDIT_SIGNING_KEY"])),
        ])
        let level = config.string(forKey: "vigil.log.level", default: "info")
        guard let logLevel = Logger.Level(rawValue: level.lowercased()) else {
            throw SettingsError("VIGIL_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical")
        }
        // JSON for log collectors; text when a person is watching (stderr is a terminal).
        let format = config.string(forKey: "vigil.log.format", default: isatty(STDERR_FILENO) == 1 ? "text" : "json")
        guard let logFormat = LogFormat(rawValue: format.lowercased()) else {
            throw SettingsError("VIGIL_LOG_FORMAT must be json or text")
        }
        let egressPolicy: EgressPolicy
        do { egressPolicy = try EgressPolicy(allowListText: config.string(forKey: "vigil.egress.allow", default: "")) } catch {
            throw SettingsError("VIGIL_EGRESS_ALLOW must be comma-separated CIDRs: \(error)")
        }
        let smtpCABundles: SMTPCABundles
        do { smtpCABundles = try SMTPCABundles(settingText: config.string(forKey: "vigil.smtp.ca.bundles", default: "")) } catch {
            throw SettingsError("VIGIL_SMTP_CA_BUNDLES: \(error)")
        }
        var settings = Settings(
            databaseURL: config.string(forKey: "database.url", isSecret: true, default: ""),
            httpHost: config.string(forKey: "vigil.http.host", default: "127.0.0.1"),
            httpPort: try config.strictInt(forKey: "vigil.http.port", default: 8080),
            adminToken: config.string(forKey: "vigil.admin.token", isSecret: true),
            logLevel: logLevel,
            logFormat: logFormat,
            poolSize: try config.strictInt(forKey: "vigil.db.pool.size", default: 10),
            maxBodyBytes: try config.strictInt(forKey: "vigil.max.body.bytes", default: 4_194_304),
            acquireTimeoutMs: try config.strictInt(forKey: "vigil.db.acquire.timeout.ms", default: 5000),
            statementTimeoutMs: try config.strictInt(forKey: "vigil.db.statement.timeout.ms", default: 30000),
            idleInTransactionTimeoutMs: try config.strictInt(forKey: "vigil.db.idle.in.transaction.timeout.ms", default: 60000),
            heartbeatIntervalSeconds: try config.strictInt(forKey: "vigil.worker.heartbeat.seconds", default: 10),
            workerConcurrency: try config.strictInt(forKey: "vigil.worker.concurrency", default: 10),
            workerMaxRunningPerWorkspace: try config.strictInt(forKey: "vigil.worker.max.running.per.workspace", default: 5),
            workerPollMs: try config.strictInt(forKey: "vigil.worker.poll.ms", default: 5000),
            ingestPointsPerMinute: try config.strictInt(forKey: "vigil.ingest.points.per.minute", default: 12_000_000),
            ingestMaxPoints: try config.strictInt(forKey: "vigil.ingest.max.points", default: 10_000),
            authFailuresPerIPPerMinute: try config.strictInt(forKey: "vigil.auth.failures.per.ip.per.minute", default: 60),
            authFailuresPerWorkspacePerMinute: try config.strictInt(forKey: "vigil.auth.failures.per.workspace.per.minute", default: 600),
            redaction: config.string(forKey: "vigil.redaction", default: "mask"),
            workerStaleSeconds: try config.strictInt(forKey: "vigil.worker.stale.seconds", default: 120),
            workerShutdownGraceSeconds: try config.strictInt(forKey: "vigil.worker.shutdown.grace.seconds", default: 20),
            workerMetricsHost: config.string(forKey: "vigil.worker.metrics.host", default: "127.0.0.1"),
            workerMetricsPort: try config.strictInt(forKey: "vigil.worker.metrics.port"),
            reportTTLHours: try config.strictInt(forKey: "vigil.report.ttl.hours", default: 168),
            reportsDirectory: config.string(forKey: "vigil.reports.dir"),
            reportLinkKey: config.string(forKey: "vigil.report.link.key", isSecret: true),
            complianceMonthly: try config.strictBool(forKey: "vigil.compliance.monthly", default: true),
            egressPolicy: egressPolicy,
            smtpCABundles: smtpCABundles
        )
        if let keyText = config.string(forKey: "vigil.secrets.key", isSecret: true), !keyText.isEmpty {
            do { settings.secretKeyring = try SecretKeyring(settingText: keyText) } catch { throw SettingsError("\(error)") }
        }
        if let keyText = config.string(forKey: "vigil.audit.signing.key", isSecret: true), !keyText.isEmpty {
            do { settings.auditSigningKey = try AuditSigningKey(settingText: keyText) } catch { throw SettingsError("\(error)") }
        }
        settings.auditSegmentKeepDays = try config.strictInt(forKey: "vigil.audit.segment.keep.days", default: 90)
        do { settings.trustedProxies = try TrustedProxies(settingText: config.string(forKey: "vigil.trusted.proxies", default: "")) } catch {
            throw SettingsError("VIGIL_TRUSTED_PROXIES must be comma-separated addresses or CIDRs: \(error)")
        }
        if let listen = config.string(forKey: "database.listen.url", isSecret: true), !listen.isEmpty { settings.databaseListenURL = listen }
        if let read = config.string(forKey: "database.read.url", isSecret: true), !read.isEmpty { settings.databaseReadURL = read }
        settings.readMaxLagSeconds = try config.strictInt(forKey: "vigil.read.max.lag.seconds", default: 30)
        settings.readCacheMegabytes = try config.strictInt(forKey: "vigil.read.cache.mb", default: 32)
        settings.workspaceLimits = try WorkspaceLimitSettings.read(config)
        settings.workspaceLimits.ingestPointsPerMinute = settings.ingestPointsPerMinute
        try settings.validate()
        return settings
    }

    func validate() throws {
        if let adminToken, let problem = AdminTokenPolicy.problem(with: adminToken) { throw SettingsError("VIGIL_ADMIN_TOKEN \(problem)") }
        guard (1...65535).contains(httpPort) else { throw SettingsError("VIGIL_HTTP_PORT must be 1-65535") }
        guard (1...500).contains(poolSize) else { throw SettingsError("VIGIL_DB_POOL_SIZE must be 1-500") }
        guard maxBodyBytes >= 1024 else { throw SettingsError("VIGIL_MAX_BODY_BYTES must be at least 1024") }
        guard acquireTimeoutMs > 0, statementTimeoutMs > 0, idleInTransactionTimeoutMs > 0 else { throw SettingsError("timeouts must be positive") }
        guard (1...1000).contains(workerConcurrency) else { throw SettingsError("VIGIL_WORKER_CONCURRENCY must be 1-1000") }
        guard (1...1000).contains(workerMaxRunningPerWorkspace) else { throw SettingsError("VIGIL_WORKER_MAX_RUNNING_PER_WORKSPACE must be 1-1000") }
        guard workerStaleSeconds >= 2 else { throw SettingsError("VIGIL_WORKER_STALE_SECONDS must be at least 2") }
        guard workerShutdownGraceSeconds >= 0 else { throw SettingsError("VIGIL_WORKER_SHUTDOWN_GRACE_SECONDS must not be negative") }
        guard ingestPointsPerMinute >= 1 else { throw SettingsError("VIGIL_INGEST_POINTS_PER_MINUTE must be positive") }
        guard (1...100_000).contains(ingestMaxPoints) else { throw SettingsError("VIGIL_INGEST_MAX_POINTS must be 1-100000") }
        guard (1...1_000_000).contains(authFailuresPerIPPerMinute) else {
            throw SettingsError("VIGIL_AUTH_FAILURES_PER_IP_PER_MINUTE must be 1-1000000")
        }
        guard (1...1_000_000).contains(authFailuresPerWorkspacePerMinute) else {
            throw SettingsError("VIGIL_AUTH_FAILURES_PER_WORKSPACE_PER_MINUTE must be 1-1000000")
        }
        guard ["mask", "off"].contains(redaction) else { throw SettingsError("VIGIL_REDACTION must be mask or off") }
        guard (1...87_600).contains(reportTTLHours) else { throw SettingsError("VIGIL_REPORT_TTL_HOURS must be 1-87600") }
        if let reportLinkKey, reportLinkKey.utf8.count < 16 { throw SettingsError("VIGIL_REPORT_LINK_KEY must be at least 16 bytes") }
        guard workerPollMs >= 10 else { throw SettingsError("VIGIL_WORKER_POLL_MS must be at least 10") }
        if let workerMetricsPort, !(0...65535).contains(workerMetricsPort) {
            throw SettingsError("VIGIL_WORKER_METRICS_PORT must be 0-65535 (0 disables it)")
        }
        guard (1...3650).contains(auditSegmentKeepDays) else { throw SettingsError("VIGIL_AUDIT_SEGMENT_KEEP_DAYS must be 1-3650") }
        guard (1...86_400).contains(readMaxLagSeconds) else { throw SettingsError("VIGIL_READ_MAX_LAG_SECONDS must be 1-86400") }
        guard (0...4096).contains(readCacheMegabytes) else { throw SettingsError("VIGIL_READ_CACHE_MB must be 0-4096") }
        guard heartbeatIntervalSeconds > 0 else { throw SettingsError("VIGIL_WORKER_HEARTBEAT_SECONDS must be positive") }
    }
}

struct SettingsError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Settings {
    var metricsConfiguration: MetricsConfiguration {
        var metrics = MetricsConfiguration()
        metrics.limits.maxPointsPerRequest = ingestMaxPoints
        metrics.redaction.enabled = redaction != "off"
        return metrics
    }

    var authFailureLimits: AuthFailureLimits {
        AuthFailureLimits(perIPPerMinute: authFailuresPerIPPerMinute, perWorkspacePerMinute: authFailuresPerWorkspacePerMinute)
    }

    var complianceConfiguration: ComplianceConfiguration {
        var compliance = ComplianceConfiguration()
        compliance.reportTTL = TimeInterval(reportTTLHours * 3600)
        compliance.reportsDirectory = reportsDirectory.flatMap { $0.isEmpty ? nil : $0 }
        if let key = reportLinkKey { compliance.linkKey = Array(key.utf8) }
        compliance.monthlyReports = complianceMonthly
        return compliance
    }
}
