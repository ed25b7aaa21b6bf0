/// Character checks shared by the KPI, SLO and digest inputs.
enum KPIText {
    /// C0 controls, DEL and C1 controls: never wanted in names, units or dimension values.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
    }
}
