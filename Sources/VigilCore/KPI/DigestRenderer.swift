/// Renders a `DigestContent` as HTML (`html`), plain text (`text`) and JSON (`json`): the
/// email's two parts and the webhook body / preview API. Pure functions of the content, so a
/// digest renders the same bytes wherever and whenever it is rendered.
public enum DigestRenderer {
    /// `Vigil daily digest · Acme · 2025-03-30`: the HTML title and an email subject.
    public static func subject(_ content: DigestContent) -> String {
        NotifyText.truncated(NotifyText.singleLine("Vigil \(content.period.frequency) digest · \(content.workspaceName) · \(content.period.label)"),
                             maxScalars: EmailContent.maxSubjectLength)
    }

    // Colours shared by the HTML renderer.
    static let green = "#2E7D32"
    static let red = "#C62828"
    static let orange = "#EF6C00"
    static let grey = "#757575"

    static func color(_ status: KPIStatus) -> String {
        switch status {
        case .onTarget: green
        case .offTarget: red
        case .noTarget, .noData: grey
        }
    }

    static func color(_ status: SLOStatus) -> String {
        switch status {
        case .healthy: green
        case .atRisk: orange
        case .breached: red
        case .noData: grey
        }
    }

    static func color(_ assessment: Trend.Assessment?) -> String {
        switch assessment {
        case .good?: green
        case .bad?: red
        case .neutral?, nil: grey
        }
    }

    /// `↑ +12.5%`, `→ 0%`, `–`.
    static func trendText(_ arrow: Trend.Arrow?, percent: Double?) -> String {
        guard let arrow else { return DigestFormat.missing }
        return percent == nil ? arrow.symbol : arrow.symbol + " " + DigestFormat.change(percent)
    }

    /// Fingerprints are 64 hex characters; 12 identify one in practice and fit a table cell.
    static func shortFingerprint(_ fingerprint: String) -> String {
        fingerprint.unicodeScalars.count > 12 ? String(String.UnicodeScalarView(fingerprint.unicodeScalars.prefix(12))) : fingerprint
    }
}
