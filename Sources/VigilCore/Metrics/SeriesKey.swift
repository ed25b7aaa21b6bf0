import Crypto
import VigilPrimitives

/// The identity of a time series: metric name plus tags in canonical (key byte) order.
///
/// Identity is by UTF-8 bytes, as PostgreSQL compares text, not by Swift's canonical
/// equivalence: "é" precomposed and "e"+U+0301 are two series, in the database and here.
///
/// `seriesID` is a 64-bit id that is stable across processes, machines and releases, so it can
/// be stored and used as a key: the first 8 bytes (big-endian) of SHA-256 over `canonicalEncoding`,
/// read as a two's-complement Int64. Changing the encoding would re-key every stored series, so
/// it is versioned (leading byte) and pinned by tests with fixed expected values.
public struct SeriesKey: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    /// Sorted by key in UTF-8 byte order; keys are unique.
    public let tags: [MetricTag]

    /// `tags` may be in any order; duplicate keys keep the last occurrence.
    public init(name: String, tags: [MetricTag]) {
        var byKey: [String: String] = [:]
        for tag in tags { byKey[tag.key] = tag.value }
        self.init(name: name, sortedTags: MetricTag.sorted(byKey))
    }

    public init(name: String, tags: [String: String]) {
        self.init(name: name, sortedTags: MetricTag.sorted(tags))
    }

    /// For tags already sorted and unique (a validated `MetricPoint`'s).
    init(name: String, sortedTags: [MetricTag]) {
        self.name = name
        self.tags = sortedTags
    }

    /// Version 1 encoding, unambiguous because every string is length-prefixed:
    /// `0x01`, u32be(len name) name, u32be(tag count), then per tag u32be(len key) key
    /// u32be(len value) value; lengths in UTF-8 bytes.
    public var canonicalEncoding: [UInt8] {
        var fields = LengthPrefixed(.uint32BigEndian, header: [1])
        fields.reserveCapacity(9 + name.utf8.count + tags.reduce(0) { $0 + 8 + $1.key.utf8.count + $1.value.utf8.count })
        fields.append(name)
        fields.appendUInt32(tags.count)
        for tag in tags {
            fields.append(tag.key)
            fields.append(tag.value)
        }
        return fields.bytes
    }

    /// First 8 bytes of SHA-256(canonicalEncoding), big-endian, as Int64. In PostgreSQL:
    /// `('x' || encode(substring(sha256(enc) from 1 for 8), 'hex'))::bit(64)::bigint`.
    public var seriesID: Int64 {
        let digest = SHA256.hash(data: canonicalEncoding)
        var id: UInt64 = 0
        for byte in digest.prefix(8) { id = id << 8 | UInt64(byte) }
        return Int64(bitPattern: id)
    }

    /// The id of a metric's *total* rollup series: all its points whatever their tags, so a
    /// query with no tag filter and no group-by reads one series instead of every tag
    /// combination. Encoded with version byte 2, so it can never equal a real series' id.
    public static func totalSeriesID(name: String) -> Int64 {
        var fields = LengthPrefixed(.uint32BigEndian, header: [2])
        fields.append(name)
        let digest = SHA256.hash(data: fields.bytes)
        var id: UInt64 = 0
        for byte in digest.prefix(8) { id = id << 8 | UInt64(byte) }
        return Int64(bitPattern: id)
    }

    public static func == (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        lhs.name.utf8.elementsEqual(rhs.name.utf8)
            && lhs.tags.count == rhs.tags.count
            && zip(lhs.tags, rhs.tags).allSatisfy {
                $0.key.utf8.elementsEqual($1.key.utf8) && $0.value.utf8.elementsEqual($1.value.utf8)
            }
    }

    /// Hashes the parts directly (no encoding is built: ingest hashes a key per point). Keys
    /// equal byte for byte are canonically equal strings, so they hash alike.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(tags.count)
        for tag in tags {
            hasher.combine(tag.key)
            hasher.combine(tag.value)
        }
    }

    /// `name{k="v",…}` for logs and test messages.
    public var description: String {
        tags.isEmpty ? name : name + "{" + tags.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
    }
}
