import Configuration

/// Settings that refuse text they cannot read. swift-configuration's `int(forKey:default:)` and
/// `bool(forKey:default:)` fall back to the default when a value is present but does not
/// convert (`VIGIL_READ_CACHE_MB=lots`), so an operator's typo would run with a value nobody
/// chose; these throw a `SettingsError` naming the environment variable instead. An empty value
/// (`VIGIL_X=` in an env file) still means "not set".
extension ConfigReader {
    func strictInt(forKey key: ConfigKey) throws -> Int? {
        if let value = int(forKey: key) { return value }
        guard let text = string(forKey: key), !text.allSatisfy(\.isWhitespace) else { return nil }
        throw SettingsError("\(Self.environmentName(of: key)) must be a whole number, not '\(text)'")
    }

    func strictInt(forKey key: ConfigKey, default fallback: Int) throws -> Int {
        try strictInt(forKey: key) ?? fallback
    }

    func strictBool(forKey key: ConfigKey, default fallback: Bool) throws -> Bool {
        if let value = bool(forKey: key) { return value }
        guard let text = string(forKey: key), !text.allSatisfy(\.isWhitespace) else { return fallback }
        throw SettingsError("\(Self.environmentName(of: key)) must be true or false, not '\(text)'")
    }

    /// `vigil.read.cache.mb` → `VIGIL_READ_CACHE_MB`, as `EnvironmentVariablesProvider` maps it.
    static func environmentName(of key: ConfigKey) -> String {
        key.components.joined(separator: "_").uppercased()
    }
}
