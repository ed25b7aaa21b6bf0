/// A dashboard's time window as the request gave it (`?window=24` is hours for
/// task-idempotency, minutes elsewhere), with its length in minutes for the storage layer.
public struct DashboardWindow: Sendable, Hashable {
    public enum Unit: String, Sendable, Codable { case minutes, hours }

    /// The longest window any dashboard accepts: 90 days, the stats API's limit.
    public static let maxMinutes = 90 * 24 * 60

    public let value: Int
    public let unit: Unit

    /// Use `parse` for untrusted input; this initializer does not check the range.
    public init(value: Int, unit: Unit) {
        self.value = value
        self.unit = unit
    }

    public var minutes: Int { unit == .hours ? value * 60 : value }
    public var seconds: Double { Double(minutes) * 60 }

    /// Reads the `window` query parameter for `dashboard`: absent means the dashboard's
    /// default; otherwise a whole number from 1 up to 90 days in the dashboard's unit.
    public static func parse(_ raw: String?, for dashboard: DashboardID) throws(DashboardWindowError) -> DashboardWindow {
        let unit = dashboard.windowUnit
        guard let raw else { return DashboardWindow(value: dashboard.defaultWindowValue, unit: unit) }
        let limit = unit == .hours ? maxMinutes / 60 : maxMinutes
        guard let value = Int(raw), value >= 1, value <= limit else {
            throw DashboardWindowError(message: "window must be a whole number of \(unit.rawValue) from 1 to \(limit)")
        }
        return DashboardWindow(value: value, unit: unit)
    }
}

/// A `window` parameter the dashboard cannot use; answer 400 `invalid_request` with
/// `details.field = "window"`.
public struct DashboardWindowError: Error, Sendable, Equatable {
    public let field = "window"
    public let message: String
}
