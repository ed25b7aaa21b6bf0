import Foundation
import VigilPrimitives

/// What a report covers and how it was produced: kind, workspace, subject, every table searched
/// with its method and count, totals, time. It is the first thing in `report.json`, and
/// `manifest.json` in zips; rendered as canonical JSON so the same report always has the same bytes.
public struct ReportManifest: Sendable, Equatable {
    public static let formatVersion: Int64 = 1

    /// How the subject appears (see `ReportKind.showsSubjectIdentifiers`).
    public enum SubjectSummary: Sendable, Equatable {
        /// Export: the identifiers as requested, and every term searched (raw, normal forms,
        /// pseudonym tokens) so the subject can see exactly what was looked for.
        case identifiers(DataSubject, terms: SubjectSearchTerms)
        /// Erasure: only the salted fingerprint (`SubjectFingerprint`), never the erased values.
        case fingerprint(String)

        /// The summary a report of `kind` may carry; nil for kinds without a subject.
        public static func make(kind: ReportKind, subject: DataSubject?, terms: SubjectSearchTerms?,
                                fingerprintSalt: [UInt8]) -> SubjectSummary? {
            guard kind.requiresSubject, let subject else { return nil }
            if kind.showsSubjectIdentifiers {
                return .identifiers(subject.trimmed, terms: terms ?? SubjectSearchTerms(terms: [], tagPairs: []))
            }
            return .fingerprint(SubjectFingerprint.make(subject: subject, salt: fingerprintSalt))
        }
    }

    public struct SearchedTable: Sendable, Equatable {
        public var table: String
        public var methods: [SearchMethod]
        public var matched: Int

        public init(table: String, methods: [SearchMethod], matched: Int) {
            self.table = table
            self.methods = ReportSection.normalizedMethods(methods)
            self.matched = matched
        }
    }

    public var reportID: UUID
    public var kind: ReportKind
    public var format: ReportFormat
    public var workspaceID: UUID
    public var generatedAt: Date
    /// The period covered (audit readiness: admin actions and failed auth in it).
    public var period: DateInterval?
    public var subject: SubjectSummary?
    /// Sorted by table name.
    public var searched: [SearchedTable]
    public var notes: [String]

    public init(reportID: UUID, kind: ReportKind, format: ReportFormat, workspaceID: UUID, generatedAt: Date,
                period: DateInterval? = nil, subject: SubjectSummary? = nil, searched: [SearchedTable], notes: [String] = []) {
        self.reportID = reportID
        self.kind = kind
        self.format = format
        self.workspaceID = workspaceID
        self.generatedAt = generatedAt
        self.period = period
        self.subject = subject
        self.searched = searched.sorted { $0.table < $1.table }
        self.notes = notes
    }

    /// The manifest of finished sections (in-memory reports). Streaming reports build
    /// `searched` from counts taken before streaming (see `ReportJSONWriter`).
    public init(reportID: UUID, kind: ReportKind, format: ReportFormat, workspaceID: UUID, generatedAt: Date,
                period: DateInterval? = nil, subject: SubjectSummary? = nil, sections: [ReportSection], notes: [String] = []) {
        self.init(reportID: reportID, kind: kind, format: format, workspaceID: workspaceID, generatedAt: generatedAt,
                  period: period, subject: subject,
                  searched: sections.map { SearchedTable(table: $0.table, methods: $0.methods, matched: $0.matched) },
                  notes: notes)
    }

    public var totalMatched: Int { searched.reduce(0) { $0 + $1.matched } }

    public var canonicalJSON: CanonicalJSON {
        var members: [String: CanonicalJSON] = [
            "format_version": .int(Self.formatVersion),
            "report_id": .string(reportID.uuidString.lowercased()),
            "kind": .string(kind.rawValue),
            "format": .string(format.rawValue),
            "workspace_id": .string(workspaceID.uuidString.lowercased()),
            "generated_at": .string(ComplianceTime.format(generatedAt)),
            "searched": .array(searched.map { table in
                .object([
                    "table": .string(table.table),
                    "methods": .array(table.methods.map { .string($0.rawValue) }),
                    "method_descriptions": .array(table.methods.map { .string($0.summary) }),
                    "matched": .int(Int64(table.matched)),
                ])
            }),
            "totals": .object(["tables": .int(Int64(searched.count)), "matched_rows": .int(Int64(totalMatched))]),
            "notes": .array(notes.map(CanonicalJSON.string)),
        ]
        if let period {
            members["period"] = .object(["from": .string(ComplianceTime.format(period.start)),
                                         "to": .string(ComplianceTime.format(period.end))])
        }
        switch subject {
        case .identifiers(let subject, let terms)?:
            members["subject"] = .object([
                "identifiers": Self.identifiersJSON(subject),
                "search_terms": .array(terms.terms.map { term in
                    .object(["value": .string(term.value), "kind": .string(term.kind.rawValue),
                             "field": .string(term.field), "origin": .string(term.origin.rawValue)])
                }),
                "tag_pairs": .array(terms.tagPairs.map { pair in
                    .object(["key": .string(pair.key), "value": .string(pair.value), "origin": .string(pair.origin.rawValue)])
                }),
            ])
        case .fingerprint(let fingerprint)?:
            members["subject"] = .object(["fingerprint": .string(fingerprint)])
        case nil:
            break
        }
        return .object(members)
    }

    public var bytes: [UInt8] { canonicalJSON.bytes }

    static func identifiersJSON(_ subject: DataSubject) -> CanonicalJSON {
        var members: [String: CanonicalJSON] = [:]
        if let userID = subject.userID { members["user_id"] = .string(userID) }
        if let email = subject.email { members["email"] = .string(email) }
        if let ip = subject.ip { members["ip"] = .string(ip) }
        if !subject.custom.isEmpty { members["custom"] = .object(subject.custom.mapValues(CanonicalJSON.string)) }
        return .object(members)
    }
}
