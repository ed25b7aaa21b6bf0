/// What the platform admin token (`VIGIL_ADMIN_TOKEN`) must look like. It creates and lists
/// every workspace, so a short or copied-from-the-docs value is refused at startup rather than
/// left guessable: at least 32 characters, not a placeholder, not one character repeated.
public enum AdminTokenPolicy {
    public static let minimumLength = 32

    /// Placeholder words from examples (deploy/vigil.env.example, tutorials): a token containing
    /// one was pasted, not generated.
    static let placeholders = ["changeme", "change-me", "example", "replaceme", "replace-me", "placeholder",
                               "your-token", "yourtoken", "secret", "password"]

    /// Why `token` is refused, or nil when it is acceptable. Never echoes the token.
    public static func problem(with token: String) -> String? {
        if token.count < minimumLength {
            return "must be at least \(minimumLength) random characters (generate one with `openssl rand -hex 32`)"
        }
        let lowered = token.lowercased()
        if let word = placeholders.first(where: { lowered.contains($0) }) {
            return "looks like an example value (contains '\(word)'); generate one with `openssl rand -hex 32`"
        }
        if Set(token).count < 8 {
            return "is not random enough (fewer than 8 distinct characters); generate one with `openssl rand -hex 32`"
        }
        return nil
    }
}
