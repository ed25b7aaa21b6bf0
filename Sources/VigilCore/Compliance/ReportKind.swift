/// What a compliance report is about. Stored as text (`compliance_reports.kind`) and used in the
/// API (`"kind": "subject_export"`).
public enum ReportKind: String, Sendable, Codable, CaseIterable {
    /// GDPR Art. 15/20: every row that mentions the subject.
    case subjectExport = "subject_export"
    /// GDPR Art. 17: delete or pseudonymise those rows; the result is an erasure certificate.
    case subjectErasure = "subject_erasure"
    /// Per data class: the policy, the oldest row present, rows past policy.
    case retention
    /// Audit chain verification, key inventory, admin actions, failed auth, PII settings.
    case auditReadiness = "audit_readiness"
    /// Per SLO over a calendar month: objective, compliance, error budget left, status (the
    /// monthly SLA report; the current month so far when requested by hand).
    case sla

    /// Subject reports need a valid `subject`; the others must not have one (a stray subject in a
    /// retention request is a client mistake worth reporting, not ignoring).
    public var requiresSubject: Bool { self == .subjectExport || self == .subjectErasure }

    /// Requesting, listing and downloading any report needs an admin key: every kind contains
    /// personal data or security posture.
    public var requiredRole: ApiKeyRole { .admin }

    /// Whether the manifest may name the subject's identifiers in clear. An export goes to the
    /// subject, whose own data it is; an erasure report must not re-store what it erased, so it
    /// carries only the salted fingerprint.
    public var showsSubjectIdentifiers: Bool { self == .subjectExport }

    /// Whether the report changes data (erasure): the worker must not retry it blindly after a
    /// partial run — it is idempotent, so a rerun is safe, but must produce a fresh certificate.
    public var mutatesData: Bool { self == .subjectErasure }
}
