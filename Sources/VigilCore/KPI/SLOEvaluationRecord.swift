import Foundation

/// One stored SLO evaluation.
public struct SLOEvaluationRecord: Sendable {
    public var evaluatedAt: Date
    public var windowStart: Date
    public var good: Double
    public var total: Double
    public var compliance: Double?
    public var budgetRemaining: Double
    public var burn1h: Double
    public var burn6h: Double
    public var decision: String
    public var status: String

    public init(evaluatedAt: Date, windowStart: Date, good: Double, total: Double, compliance: Double?, budgetRemaining: Double,
                burn1h: Double, burn6h: Double, decision: String, status: String) {
        self.evaluatedAt = evaluatedAt; self.windowStart = windowStart; self.good = good; self.total = total; self.compliance = compliance
        self.budgetRemaining = budgetRemaining; self.burn1h = burn1h; self.burn6h = burn6h; self.decision = decision; self.status = status
    }
}
