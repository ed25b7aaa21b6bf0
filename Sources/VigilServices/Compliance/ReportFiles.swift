import Foundation
import VigilCore

/// The downloadable files of a finished report, laid out by `ReportBundleLayout`.
struct RenderedFile {
    var name: String
    var contentType: String
    var bytes: [UInt8]
}

enum ReportFiles {
    /// The report's main file (JSON, a CSV, or a zip of everything), plus extra files
    /// (the erasure certificate) listed after it.
    static func render(manifest: ReportManifest, sections: [ReportSection], format: ReportFormat, fileName: String,
                       extras: [RenderedFile] = [], createdAt: Date) throws -> [RenderedFile] {
        let layout = ReportBundleLayout.make(format: format, sectionTables: sections.map(\.table))
        var contents: [(path: String, bytes: [UInt8])] = []
        for entry in layout.entries {
            switch entry.content {
            case .manifestJSON: contents.append((entry.path, manifest.bytes))
            case .reportJSON: contents.append((entry.path, ReportJSONWriter.render(manifest: manifest, sections: sections)))
            case .sectionCSV(let table):
                guard let section = sections.first(where: { $0.table == table }) else { continue }
                contents.append((entry.path, try section.csvTable.render()))
            }
        }
        let main: RenderedFile
        if layout.isBundle {
            var zip = ZipStoreWriter(modified: createdAt)
            for item in contents { zip.add(path: item.path, bytes: item.bytes) }
            for extra in extras { zip.add(path: extra.name, bytes: extra.bytes) }
            main = RenderedFile(name: fileName, contentType: layout.contentType, bytes: zip.finish())
        } else {
            main = RenderedFile(name: fileName, contentType: layout.contentType, bytes: contents.first?.bytes ?? [])
        }
        return [main] + extras
    }
}
