/// Writes the one-line narrative of a breakdown row (DESIGN §5.2):
/// "Among Female 25-34 NCCS A in North (n=1,204; effective n=987), 38.2% (±3.0 pts) watched
/// Sports in the last 90 days."
///
/// Every number in the line is the row's own figure in ``NarrativeNumbers`` format, so a reader
/// (or a test) can match the text to the structured values.
public struct NarrativeBuilder: Sendable {
    public var measure: BreakdownMeasure.Kind
    public var wording: MeasureWording
    public var minBase: Int
    public var cautionBase: Int

    public init(measure: BreakdownMeasure.Kind, wording: MeasureWording, minBase: Int, cautionBase: Int) {
        self.measure = measure
        self.wording = wording
        self.minBase = minBase
        self.cautionBase = cautionBase
    }

    /// "Female 25-34 NCCS A in North", "respondents in North, Metro", "all respondents".
    public static func segmentLabel(persona: String?, groups: [String]) -> String {
        switch (persona, groups.isEmpty) {
        case (let persona?, true): persona
        case (let persona?, false): "\(persona) in \(groups.joined(separator: ", "))"
        case (nil, true): "all respondents"
        case (nil, false): "respondents in \(groups.joined(separator: ", "))"
        }
    }

    public func narrative(segment: String, _ estimate: BreakdownEstimate) -> String {
        let who = self.measure == .perUser ? "\(segment) \(self.wording.reached)\(self.wording.context)" : segment
        let n = NarrativeNumbers.count(estimate.unweightedN)
        guard !estimate.suppressed else {
            return "Among \(who) (n=\(n)), the base is below the minimum of \(NarrativeNumbers.count(self.minBase)) respondents: value withheld."
        }
        let base = "n=\(n); effective n=\(NarrativeNumbers.count(Int(estimate.effectiveN.rounded())))"
        guard let value = estimate.value else {
            return "Among \(who) (\(base)), the weights sum to zero: no estimate."
        }
        let unit = self.wording.unit.map { " " + $0 } ?? ""
        var line: String
        switch self.measure {
        case .share:
            let margin = estimate.interval.map { " (±\(NarrativeNumbers.percent($0.margin)) pts)" } ?? ""
            line = "Among \(who) (\(base)), \(NarrativeNumbers.percent(value))%\(margin) \(self.wording.predicate)."
        case .mean:
            line =
                "Among \(who) (\(base)), the weighted mean of \(self.wording.subject)\(self.wording.context) is \(NarrativeNumbers.decimal(value))\(unit)."
        case .total:
            line =
                "Among \(who) (\(base)), the projected total of \(self.wording.subject)\(self.wording.context) is \(NarrativeNumbers.decimal(value))\(unit)."
        case .perUser:
            line = "Among \(who) (\(base)), the weighted mean of \(self.wording.subject) per user is \(NarrativeNumbers.decimal(value))\(unit)."
        }
        if estimate.caution {
            line += " Small base (fewer than \(NarrativeNumbers.count(self.cautionBase)) respondents): read with caution."
        }
        return line
    }
}
