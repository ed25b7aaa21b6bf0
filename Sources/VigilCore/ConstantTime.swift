/// Comparison whose duration does not depend on where two secrets first differ, so the
/// platform admin token cannot be guessed byte by byte from response times.
public enum ConstantTime {
    public static func equals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: x.count ^ y.count)
        // Always walk the longer input so the length is not leaked by an early exit either.
        for i in 0..<max(x.count, y.count) {
            let l = i < x.count ? x[i] : 0
            let r = i < y.count ? y[i] : 0
            difference |= l ^ r
        }
        return difference == 0 && x.count == y.count
    }
}
