/// Small inline SVG line charts for the digest: no script, no external resource, no `xmlns`
/// (inline SVG in HTML needs none, and it keeps every URL out of the document).
///
/// Geometry: values map linearly onto `[pad, height − pad]` (largest at the top, SVG's y grows
/// downwards) and spread evenly over `[pad, width − pad]`, `pad` being room for the stroke.
/// A single value or a constant series is a horizontal line at mid-height; negative values
/// need nothing special (min…max maps onto the box); non-finite values are dropped.
public enum Sparkline {
    public static let strokeWidth = 1.5
    public static let pad = 2.0
    public static let sizeRange: ClosedRange<Double> = 8...2000

    /// The polyline's points, in drawing order. Empty for no (finite) values; two points (a
    /// flat line across) for one value.
    public static func points(values: [Double], width: Double, height: Double) -> [(x: Double, y: Double)] {
        let ys = values.filter(\.isFinite)
        let w = clamp(width, default: 120), h = clamp(height, default: 24)
        guard let lo = ys.min(), let hi = ys.max() else { return [] }
        let series = ys.count == 1 ? [ys[0], ys[0]] : ys
        let last = Double(series.count - 1)
        let span = hi - lo
        return series.enumerated().map { i, v in
            let x = pad + (w - 2 * pad) * (Double(i) / last)  // the last x is exactly w − pad
            // span can overflow to +∞ for values near ±Double.greatestFiniteMagnitude; treat as flat.
            let y = span > 0 && span.isFinite ? pad + (hi - v) / span * (h - 2 * pad) : h / 2
            return (x, y)
        }
    }

    /// `<svg …><polyline points="…"/></svg>`, or an empty `<svg>` box without values.
    public static func svg(values: [Double], width: Double = 120, height: Double = 24, color: String = "#1976D2",
                           label: String = "trend") -> String {
        let w = clamp(width, default: 120), h = clamp(height, default: 24)
        var out = "<svg width=\"\(number(w))\" height=\"\(number(h))\" viewBox=\"0 0 \(number(w)) \(number(h))\" role=\"img\" "
            + "aria-label=\"\(NotifyText.html(label))\" style=\"display:block;\">"
        let pts = points(values: values, width: w, height: h)
        if !pts.isEmpty {
            let list = pts.map { number($0.x) + "," + number($0.y) }.joined(separator: " ")
            out += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(NotifyText.html(color))\" "
                + "stroke-width=\"\(number(strokeWidth))\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>"
        }
        return out + "</svg>"
    }

    /// Into `sizeRange`; a non-finite size takes the default.
    private static func clamp(_ size: Double, default fallback: Double) -> Double {
        size.isFinite ? Swift.min(Swift.max(size, sizeRange.lowerBound), sizeRange.upperBound) : fallback
    }

    /// At most two decimals, no trailing zeros, never `-0`: short, stable attribute values.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return DashboardMath.format(rounded == 0 ? 0 : rounded, places: 2)
    }
}
