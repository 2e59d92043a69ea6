import Foundation
import Testing

/// One chat message and whether it carries a romance-scam signal, for measuring `ScamSignalDetector`.
struct ScamExample: Sendable, CustomTestStringConvertible {
    let text: String
    let isScam: Bool
    /// Why it is labelled so (for a reader; the detector never sees it).
    let note: String

    var testDescription: String { "\(isScam ? "scam" : "benign"): \(text.prefix(40))" }
}

/// Precision and recall of a detector's flags against labelled examples.
struct DetectionScore: CustomStringConvertible {
    var truePositives = 0, falsePositives = 0, falseNegatives = 0, trueNegatives = 0

    init(examples: [ScamExample], flags: (String) -> Bool) {
        for example in examples {
            switch (example.isScam, flags(example.text)) {
            case (true, true): truePositives += 1
            case (false, true): falsePositives += 1
            case (true, false): falseNegatives += 1
            case (false, false): trueNegatives += 1
            }
        }
    }

    var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
    var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
    var description: String {
        let total = truePositives + falsePositives + falseNegatives + trueNegatives
        return "\(total) examples: precision \(String(format: "%.3f", precision)), recall \(String(format: "%.3f", recall))"
            + " (TP \(truePositives), FP \(falsePositives), FN \(falseNegatives), TN \(trueNegatives))"
    }
}
