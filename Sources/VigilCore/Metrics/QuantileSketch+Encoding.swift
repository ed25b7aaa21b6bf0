/// Why bytes could not be decoded as a `QuantileSketch`.
public enum QuantileSketchDecodingError: Error, Sendable, Equatable {
    case truncated
    case unsupportedVersion(UInt8)
    case invalid(String)
}

/// Binary format, version 1 (what rollup rows store; stable: bump the version to change it).
///
///     u8       version = 1
///     f64 LE   relative accuracy α
///     uvarint  max buckets per sign
///     uvarint  count (all values, zeros included)
///     f64 LE   sum, min, max           — only when count > 0
///     uvarint  zero count
///     store    positive, then negative (indexed by magnitude):
///              uvarint bins; if bins > 0: svarint first index, uvarint its count,
///              then per further bin: uvarint index delta (≥ 1), uvarint count (≥ 1)
///
/// uvarint is LEB128; svarint is zigzag then LEB128. Only non-zero buckets are written, so the
/// encoding is canonical: equal sketches encode to equal bytes. Decoding checks everything
/// (bounds, overflow, index range, bucket span, counts adding up, min ≤ max, no trailing
/// bytes) and throws on any inconsistency instead of trapping.
extension QuantileSketch: Equatable, Hashable {
    public static let encodingVersion: UInt8 = 1

    public func encoded() -> [UInt8] {
        var w = SketchByteWriter()
        w.bytes.append(Self.encodingVersion)
        w.double(relativeAccuracy)
        w.uvarint(maxBucketsPerSign)
        w.uvarint(count)
        if count > 0 {
            w.double(sum)
            w.double(minValue)
            w.double(maxValue)
        }
        w.uvarint(zeroCount)
        for store in [positive, negative] {
            var bins: [(Int, Int)] = []
            store.forEachNonZero { bins.append(($0, $1)) }
            w.uvarint(bins.count)
            var previous = 0
            for (n, (index, c)) in bins.enumerated() {
                if n == 0 { w.svarint(index) } else { w.uvarint(index - previous) }
                w.uvarint(c)
                previous = index
            }
        }
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws(QuantileSketchDecodingError) {
        var r = SketchByteReader(bytes: bytes)
        let version = try r.byte()
        guard version == Self.encodingVersion else { throw .unsupportedVersion(version) }
        let accuracy = try r.double()
        guard Self.relativeAccuracyRange.contains(accuracy) else { throw .invalid("relative accuracy out of range") }
        let limit = try r.uvarint()
        guard Self.maxBucketsRange.contains(limit) else { throw .invalid("bucket limit out of range") }
        self.init(relativeAccuracy: accuracy, maxBucketsPerSign: limit)
        let total = try r.uvarint()
        if total > 0 {
            sum = try r.double()
            minValue = try r.double()
            maxValue = try r.double()
            guard !sum.isNaN, minValue.isFinite, maxValue.isFinite, minValue <= maxValue else {
                throw .invalid("sum, min or max not valid")
            }
        }
        zeroCount = try r.uvarint()
        var seen = zeroCount
        positive = try Self.decodeStore(&r, mapping: mapping, limit: limit, seen: &seen)
        negative = try Self.decodeStore(&r, mapping: mapping, limit: limit, seen: &seen)
        guard r.isAtEnd else { throw .invalid("trailing bytes") }
        guard seen == total else { throw .invalid("bucket counts do not add up to the count") }
        count = total
        // The exact extremes must agree with where the buckets are.
        guard total == 0 || ((negative.isEmpty || minValue < 0) && (positive.isEmpty || maxValue > 0)
                             && (zeroCount == 0 || (minValue <= 0 && maxValue >= 0))) else {
            throw .invalid("min or max disagree with the buckets")
        }
    }

    private static func decodeStore(
        _ r: inout SketchByteReader, mapping: SketchIndexMapping, limit: Int, seen: inout Int
    ) throws(QuantileSketchDecodingError) -> SketchBucketStore {
        var store = SketchBucketStore(maxBuckets: limit)
        let bins = try r.uvarint()
        guard bins <= limit, bins <= r.remaining / 2 else { throw .invalid("too many buckets") }
        var index = 0, first = 0
        var decoded: [(index: Int, count: Int)] = []
        decoded.reserveCapacity(bins)
        for n in 0..<bins {
            if n == 0 {
                index = try r.svarint()
                first = index
            } else {
                let delta = try r.uvarint()
                guard delta >= 1, delta < limit else { throw .invalid("bucket indexes not increasing within the limit") }
                index += delta
            }
            guard index >= mapping.minIndex, index <= mapping.maxIndex, index - first < limit else {
                throw .invalid("bucket index out of range")
            }
            let c = try r.uvarint()
            guard c >= 1 else { throw .invalid("empty bucket") }
            let (sum, overflow) = seen.addingReportingOverflow(c)
            guard !overflow else { throw .invalid("counts overflow") }
            seen = sum
            decoded.append((index, c))
        }
        // One allocation for the whole (validated, at most `limit` wide) span.
        if let last = decoded.last { store.ensureRange(low: first, high: last.index) }
        for bin in decoded { store.add(index: bin.index, count: bin.count) }
        return store
    }

    public static func == (lhs: QuantileSketch, rhs: QuantileSketch) -> Bool {
        lhs.encoded() == rhs.encoded()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(encoded())
    }
}
