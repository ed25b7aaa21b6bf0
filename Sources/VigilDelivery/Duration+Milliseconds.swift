extension Duration {
    /// Whole milliseconds for curl's *_MS options, rounded and saturating
    /// (Duration stores seconds + attoseconds).
    var milliseconds: Int {
        let millis = fractionalMilliseconds
        return millis >= Double(Int.max) ? Int.max : Int(millis.rounded())
    }

    /// For DeliveryOutcome.durationMilliseconds.
    var fractionalMilliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
