import Foundation

/// The file a report is delivered as.
///
/// - `json`: one canonical JSON document `{"manifest": …, "sections": [...]}`.
/// - `csv`: one RFC 4180 file per section. A single-section report (retention) is that one
///   `text/csv` file; a multi-section report is necessarily several files, delivered as a zip of
///   `<table>.csv` plus `manifest.json` (see `ReportBundleLayout`).
/// - `zip`: `manifest.json`, `report.json` and `csv/<table>.csv` for every section.
public enum ReportFormat: String, Sendable, Codable, CaseIterable {
    case json, csv, zip

    public var contentType: String {
        switch self {
        case .json: "application/json"
        case .csv: "text/csv; charset=utf-8"
        case .zip: "application/zip"
        }
    }

    public var fileExtension: String { rawValue }
}

/// The files inside a report and the download's type, by format and section count.
public struct ReportBundleLayout: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// Path inside the zip, or the download's own file name when `isBundle` is false.
        public var path: String
        public var content: Content
    }

    public enum Content: Sendable, Equatable {
        case manifestJSON
        case reportJSON
        case sectionCSV(table: String)
    }

    /// Whether the download is a zip of `entries` (else it is the single entry itself).
    public var isBundle: Bool
    public var contentType: String
    public var fileExtension: String
    public var entries: [Entry]

    public static func make(format: ReportFormat, sectionTables: [String]) -> ReportBundleLayout {
        switch format {
        case .json:
            return ReportBundleLayout(isBundle: false, contentType: ReportFormat.json.contentType, fileExtension: "json",
                                      entries: [Entry(path: "report.json", content: .reportJSON)])
        case .csv where sectionTables.count == 1:
            return ReportBundleLayout(isBundle: false, contentType: ReportFormat.csv.contentType, fileExtension: "csv",
                                      entries: [Entry(path: csvName(sectionTables[0]), content: .sectionCSV(table: sectionTables[0]))])
        case .csv:
            return ReportBundleLayout(isBundle: true, contentType: ReportFormat.zip.contentType, fileExtension: "zip",
                                      entries: [Entry(path: "manifest.json", content: .manifestJSON)]
                                          + sectionTables.map { Entry(path: csvName($0), content: .sectionCSV(table: $0)) })
        case .zip:
            return ReportBundleLayout(isBundle: true, contentType: ReportFormat.zip.contentType, fileExtension: "zip",
                                      entries: [Entry(path: "manifest.json", content: .manifestJSON),
                                                Entry(path: "report.json", content: .reportJSON)]
                                          + sectionTables.map { Entry(path: "csv/" + csvName($0), content: .sectionCSV(table: $0)) })
        }
    }

    /// A safe file name for a section: table names are ours, but keep only `[a-z0-9_-]` anyway.
    static func csvName(_ table: String) -> String {
        let safe = table.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "_" }
        return String(safe.isEmpty ? ["_"] : safe) + ".csv"
    }

    /// The download's file name: `vigil-<workspace>-<kind>-<yyyy-mm-dd>-<report id prefix>.<ext>`.
    public func fileName(workspaceSlug: String, kind: ReportKind, reportID: UUID, createdAt: Date) -> String {
        let day = String(ComplianceTime.format(createdAt).prefix(10))
        let id = String(reportID.uuidString.lowercased().prefix(8))
        return "vigil-\(workspaceSlug)-\(kind.rawValue.replacingOccurrences(of: "_", with: "-"))-\(day)-\(id).\(fileExtension)"
    }
}
