import InyeonCore
import Testing

/// The honest figure: examples written by someone who never saw the detector or its word lists.
@Suite struct ScamHeldOutTests {
    @Test func heldOutSetPrecisionAndRecall() {
        let detector = ScamSignalDetector()
        let score = DetectionScore(examples: ScamHeldOutExamples.all) { !detector.signals(in: $0).isEmpty }
        print("scam check, held-out set: \(score)")
        for example in ScamHeldOutExamples.all where detector.signals(in: example.text).isEmpty == example.isScam {
            print("scam check, held-out \(example.isScam ? "missed" : "false alarm"): \(example.text)")
        }
        #expect(ScamHeldOutExamples.all.count >= 50)
        // Measured when the set was first scored, before any change to the detector: precision 0.974,
        // recall 0.925. The detector is never tuned on these examples, so the figure stays honest.
        #expect(score.precision >= 0.9)
        #expect(score.recall >= 0.9)
    }
}
