/// What a runtime database login is for (`vigil db create-login NAME --for api|worker`). The
/// API login gets tenant privileges only; the worker login also the cross-tenant operator
/// functions (claiming jobs in every workspace, fan-out, partition upkeep, `vigil jobs …`).
public enum LoginPurpose: String, Sendable, CaseIterable {
    case api
    case worker
}

/// Rules for the names `vigil db create-login` accepts: a plain lower-case identifier, so it
/// needs no quoting anywhere an operator types it (conninfo, pg_hba.conf, PgBouncer's userlist).
public enum LoginName {
    public static let maxLength = 63   // PostgreSQL's NAMEDATALEN - 1

    /// Why `name` is refused, or nil when it is fine.
    public static func problem(with name: String) -> String? {
        guard !name.isEmpty, name.utf8.count <= maxLength else {
            return "a login name has 1 to \(maxLength) characters"
        }
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) || first == "_" else {
            return "a login name starts with a lower-case letter or an underscore"
        }
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard allowed else { return "a login name has only lower-case letters, digits and underscores" }
        guard !name.hasPrefix("pg_"), !reserved.contains(name) else {
            return "'\(name)' is reserved: pick another login name"
        }
        return nil
    }

    /// Vigil's group roles and PostgreSQL's own names: a login must never be one of them.
    static let reserved: Set<String> = ["vigil_owner", "vigil_app", "vigil_worker", "postgres", "public"]
}

/// What PostgreSQL says about the login a process connected as (its session user).
public struct LoginPrivileges: Sendable, Equatable {
    public var superuser: Bool
    public var bypassesRLS: Bool
    /// Member of vigil_owner, or of the role owning any table: it could SET ROLE to the owner,
    /// which row-level security does not confine where it is not forced.
    public var ownerMember: Bool

    public init(superuser: Bool, bypassesRLS: Bool, ownerMember: Bool) {
        self.superuser = superuser
        self.bypassesRLS = bypassesRLS
        self.ownerMember = ownerMember
    }

    /// Why this login may not run the application (each a short word for `/readyz`), empty
    /// when it is confined by row-level security. Tenant isolation must not rest on every
    /// transaction remembering to change role: a login that could read across tenants on its
    /// own is refused.
    public var problems: [String] {
        var problems: [String] = []
        if superuser { problems.append("superuser") }
        if bypassesRLS { problems.append("bypassrls") }
        if ownerMember { problems.append("owner_member") }
        return problems
    }

    /// The readiness check's word: `ok`, or the problems joined by commas.
    public var readinessWord: String {
        problems.isEmpty ? "ok" : problems.joined(separator: ",")
    }
}
