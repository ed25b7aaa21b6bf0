/// Dense bucket counts for one sign of a `QuantileSketch`: `counts[k]` is the count of bucket
/// `offset + k`. Dense arrays make the hot path of `add` one subtraction, one bounds check and
/// one increment, and merging a loop over contiguous memory.
///
/// Collapse rule: a store spans at most `maxBuckets` consecutive indexes. When a value lands
/// more than `maxBuckets - 1` buckets below the highest index seen, it is counted in the lowest
/// kept bucket instead; when a new highest index raises that floor, lower buckets fold into
/// it. So the final state depends only on the multiset of values (order-independent, and a
/// merge equals adding everything to one sketch): effective index = max(i, top - maxBuckets + 1).
/// High magnitudes (the latency tail) keep full accuracy; only the smallest magnitudes of a
/// sign, more than γ^maxBuckets below its largest, lose it.
struct SketchBucketStore: Sendable {
    private(set) var counts: [Int] = []
    private(set) var offset = 0
    let maxBuckets: Int

    init(maxBuckets: Int) {
        self.maxBuckets = maxBuckets
    }

    var isEmpty: Bool { counts.isEmpty }
    /// Highest index covered; meaningful only when not empty (it is always a non-zero bucket).
    var top: Int { offset + counts.count - 1 }

    @inline(__always)
    mutating func add(index: Int, count: Int) {
        let k = index &- offset
        if k >= 0 && k < counts.count {
            counts[k] &+= count
        } else {
            addSlow(index: index, count: count)
        }
    }

    private mutating func addSlow(index: Int, count: Int) {
        ensureRange(low: index, high: index)
        counts[Swift.max(index, offset) - offset] &+= count
    }

    /// Makes the array cover [low, high] as far as the collapse rule allows (folding buckets
    /// below the new floor into it). Call only when a non-zero count is then added at `high`
    /// or above the current top, so `top` stays a non-zero bucket.
    mutating func ensureRange(low: Int, high: Int) {
        if counts.isEmpty {
            offset = Swift.max(low, high - maxBuckets + 1)
            counts = Array(repeating: 0, count: high - offset + 1)
            return
        }
        let newTop = Swift.max(top, high)
        let floor = newTop - maxBuckets + 1
        let newOffset = Swift.max(Swift.min(low, offset), floor)
        if newOffset > offset {
            let drop = newOffset - offset
            if drop >= counts.count {
                counts = [counts.reduce(0, &+)]
            } else {
                let folded = counts[..<drop].reduce(0, &+)
                counts.removeFirst(drop)
                counts[0] &+= folded
            }
            offset = newOffset
        } else if newOffset < offset {
            counts.insert(contentsOf: repeatElement(0, count: offset - newOffset), at: 0)
            offset = newOffset
        }
        if newTop > top {
            counts.append(contentsOf: repeatElement(0, count: newTop - top))
        }
    }

    /// Adds every bucket of `other` (same mapping), applying this store's collapse rule.
    mutating func merge(_ other: SketchBucketStore) {
        guard !other.isEmpty else { return }
        ensureRange(low: other.offset, high: other.top)
        let shift = other.offset - offset
        if shift >= 0 {
            // Common case: other's range lies inside ours.
            counts.withUnsafeMutableBufferPointer { mine in
                other.counts.withUnsafeBufferPointer { theirs in
                    for k in 0..<theirs.count { mine[k + shift] &+= theirs[k] }
                }
            }
        } else {
            for (k, c) in other.counts.enumerated() where c != 0 {
                counts[Swift.max(other.offset + k, offset) - offset] &+= c
            }
        }
    }

    /// Non-zero buckets in ascending index order.
    func forEachNonZero(_ body: (_ index: Int, _ count: Int) -> Void) {
        for (k, c) in counts.enumerated() where c != 0 { body(offset + k, c) }
    }
}
