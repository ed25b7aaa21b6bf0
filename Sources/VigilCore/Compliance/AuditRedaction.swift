import Foundation

/// Erasure in the audit log, which must stay (it is the evidence) and must stay verifiable.
///
/// Audit rows hash their details only through `details_digest` (see `AuditChain`). Redaction
/// replaces each occurrence of the subject in the details VALUES with an `ErasurePseudonym`, adds
/// the marker `"_redacted": "<time>"`, and keeps the row's original `details_digest`, `prev_hash`
/// and `row_hash`. `AuditChain.Verifier` recognises the marker and skips only the digest check for
/// that row, so the chain still verifies while an unmarked edit is still caught.
///
/// Not redactable: `actor_id`, `source_ip`, `resource_id`, `correlation_id` and the other
/// columns are inside the row hash itself; changing them would break the chain. Such mentions are
/// reported by `hashCoveredMentions` so the certificate can state them as retained (legal
/// obligation / defence of claims, GDPR Art. 17(3)(b),(e)) rather than silently leaving them.
public enum AuditRedaction {
    public static var markerKey: String { AuditChain.redactionMarkerKey }

    /// The details with every occurrence of the subject replaced and the marker set to `now`;
    /// nil when nothing in them mentions the subject (so a second run changes nothing).
    /// Keys starting with `_` (the marker) are left alone; keys themselves are never PII in
    /// Vigil's audit details (they are chosen by the services), so only values are searched.
    public static func redact(details: [String: String], matching terms: SubjectSearchTerms, salt: [UInt8],
                              now: Date) -> [String: String]? {
        let representatives = representativeValues(terms)
        var out = details
        var changed = false
        for (key, value) in details where !key.hasPrefix("_") {
            let occurrences = terms.occurrences(in: value)
            guard !occurrences.isEmpty else { continue }
            var bytes = Array(value.utf8)
            for occurrence in occurrences.reversed() {
                let field = occurrence.term.field
                let pseudonym = ErasurePseudonym.replace(value: field + ":" + (representatives[field] ?? occurrence.term.value), salt: salt)
                bytes.replaceSubrange(occurrence.range, with: Array(pseudonym.utf8))
            }
            out[key] = String(decoding: bytes, as: UTF8.self)
            changed = true
        }
        guard changed else { return nil }
        out[markerKey] = ComplianceTime.format(now)
        return out
    }

    /// The record with redacted details and its hashes untouched; nil when the details do not
    /// mention the subject. Store only `details` back (the other fields are unchanged).
    public static func redact(_ record: AuditRecord, matching terms: SubjectSearchTerms, salt: [UInt8],
                              now: Date) -> AuditRecord? {
        guard let details = redact(details: record.details, matching: terms, salt: salt, now: now) else { return nil }
        var redacted = record
        redacted.details = details
        return redacted
    }

    /// Whether the row's details mention the subject (what erasure can and must remove).
    public static func detailsMention(_ record: AuditRecord, terms: SubjectSearchTerms) -> Bool {
        record.details.contains { !$0.key.hasPrefix("_") && terms.matches(text: $0.value) }
    }

    /// Names of hash-covered columns that mention the subject (kept; see the type's comment).
    public static func hashCoveredMentions(_ record: AuditRecord, terms: SubjectSearchTerms) -> [String] {
        let fields: [(String, String?)] = [
            ("actor_id", record.actorID), ("action", record.action), ("resource_type", record.resourceType),
            ("resource_id", record.resourceID), ("source_ip", record.sourceIP), ("correlation_id", record.correlationID),
        ]
        return fields.compactMap { name, value in value.map { terms.matches(text: $0) } == true ? name : nil }
    }

    /// One stable spelling per subject field, so `Alice@Example.com`, `alice@example.com` and the
    /// email's pseudonym token all become the same erasure pseudonym within a run.
    static func representativeValues(_ terms: SubjectSearchTerms) -> [String: String] {
        let rank: [SubjectSearchTerms.Origin: Int] = [.normalized: 0, .raw: 1, .pseudonymToken: 2]
        var out: [String: (rank: Int, value: String)] = [:]
        for term in terms.terms {
            let r = rank[term.origin]!
            if let existing = out[term.field], (existing.rank, existing.value) <= (r, term.value) { continue }
            out[term.field] = (r, term.value)
        }
        return out.mapValues(\.value)
    }
}
