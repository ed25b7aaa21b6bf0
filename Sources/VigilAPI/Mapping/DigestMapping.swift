import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

/// Digest history and previews to response bodies (schedules share the core type's JSON shape
/// and go through `convert`/`response`).

extension Components.Schemas.DigestSentList {
    init(_ rows: [(key: String, frequency: String, firstDay: String, lastDay: String, sentAt: Date, channels: Int)]) {
        self.init(items: rows.map {
            .init(uniqueKey: $0.key, frequency: $0.frequency, firstDay: $0.firstDay, lastDay: $0.lastDay, sentAt: $0.sentAt, channels: $0.channels)
        })
    }
}

extension Operations.PreviewDigest.Output.Ok.Body {
    /// The preview in the requested format: `text`, `json` (served as `application/json`, the
    /// renderer's document read back as an object for the generated encoder), or HTML (the
    /// default).
    init(_ content: DigestContent, format: String?) throws {
        switch format ?? "html" {
        case "text": self = .plainText(HTTPBody(DigestRenderer.text(content)))
        case "json": self = .json(try JSONDecoder().decode(JsonPayload.self, from: Data(DigestRenderer.json(content))))
        default: self = .html(HTTPBody(DigestRenderer.html(content)))
        }
    }
}
