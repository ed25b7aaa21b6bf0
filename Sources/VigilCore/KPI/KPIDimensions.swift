import VigilPrimitives

/// Dimensions on KPI events (`source=web_app`, `country=US`, `device_type=desktop`): what a
/// breakdown (`group_by`) splits by.
///
/// Keys follow the metric tag-name rule (1–64 characters of `A-Z a-z 0-9 _ . : -`), so the same
/// names work in both places; values are 1–256 characters without control characters. At most
/// 10 per event: each distinct combination becomes its own rollup row (see `canonicalID`), so
/// the limit bounds rollup cardinality as much as payload size.
public enum KPIDimensions {
    public static let maxCount = 10
    public static let maxKeyLength = 64
    public static let maxValueLength = 256

    /// The first problem, keys checked in byte order so the answer is deterministic.
    public static func validate(_ dimensions: [String: String], field: String = "dimensions") -> ValidationFailure? {
        if dimensions.count > maxCount {
            return ValidationFailure(field: field, message: "at most \(maxCount) dimensions")
        }
        for key in dimensions.keys.sorted(by: utf8Precedes) {
            if MetricNameRule.check(key, maxLength: maxKeyLength, what: "dimension name") != nil {
                return ValidationFailure(field: "\(field).\(MetricNameRule.excerpt(key))",
                                         message: "dimension names are 1-\(maxKeyLength) characters of A-Z a-z 0-9 _ . : -")
            }
            let value = dimensions[key]!
            if value.isEmpty || value.unicodeScalars.count > maxValueLength || value.unicodeScalars.contains(where: KPIText.isControl) {
                return ValidationFailure(field: "\(field).\(key)",
                                         message: "dimension values are 1-\(maxValueLength) characters, without control characters")
            }
        }
        return nil
    }

    /// Netstrings (`<byte count>:<bytes>,`) of `v1`, then each key and value, keys in byte
    /// order: unambiguous whatever the strings hold (the scheme of `AlertFingerprint`).
    public static func canonicalEncoding(_ dimensions: [String: String]) -> [UInt8] {
        var fields = LengthPrefixed(.netstring)
        fields.append("v1")
        for key in dimensions.keys.sorted(by: utf8Precedes) {
            fields.append(key)
            fields.append(dimensions[key]!)
        }
        return fields.bytes
    }

    /// Lowercase hex SHA-256 of `canonicalEncoding`: a fixed-size column to key rollup rows by
    /// (kpi, period, dimension set). Stored, so the derivation must never change.
    public static func canonicalID(_ dimensions: [String: String]) -> String {
        SHA256Hex.hex(of: canonicalEncoding(dimensions))
    }
}
