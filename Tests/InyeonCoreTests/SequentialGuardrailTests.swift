import InyeonCore
import Testing

/// The rollout guardrail's sequential test, on simulated rollouts looked at after every batch of
/// requests, as the rollout driver looks at them.
@Suite struct SequentialGuardrailTests {
    /// SplitMix64: a small seeded generator, so every run of these tests sees the same traffic.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// One simulated rollout: `batches` batches of `batchSize` requests, `onShare` of them from
    /// people who have the feature; the guardrail is asked after every batch. The batch at which it
    /// first failed, or nil.
    static func firstFailure(
        _ guardrail: SequentialGuardrail, onRate: Double, offRate: Double, onShare: Double, batches: Int, batchSize: Int,
        generator: inout SeededGenerator
    ) -> Int? {
        var on = SequentialGuardrail.Counts(trials: 0, events: 0), off = on
        for batch in 1...batches {
            for _ in 0..<batchSize {
                if Double.random(in: 0..<1, using: &generator) < onShare {
                    on.trials += 1
                    if Double.random(in: 0..<1, using: &generator) < onRate { on.events += 1 }
                } else {
                    off.trials += 1
                    if Double.random(in: 0..<1, using: &generator) < offRate { off.events += 1 }
                }
            }
            if guardrail.verdict(on: on, off: off).failed { return batch }
        }
        return nil
    }

    static func alarmRate(
        _ guardrail: SequentialGuardrail, onRate: Double, offRate: Double, onShare: Double, runs: Int, batches: Int = 100, batchSize: Int = 200,
        seed: UInt64
    ) -> Double {
        var generator = SeededGenerator(state: seed)
        var alarms = 0
        for _ in 0..<runs {
            if firstFailure(guardrail, onRate: onRate, offRate: offRate, onShare: onShare, batches: batches, batchSize: batchSize, generator: &generator) != nil {
                alarms += 1
            }
        }
        return Double(alarms) / Double(runs)
    }

    /// A/A: the same behaviour in both cohorts (error rates of 1 %, 2 %, 5 % and a latency share of
    /// 20 %; the feature at 10 % and at 50 % of people), looked at after each of 100 batches of 200
    /// requests: false alarms in at most 5 % of 500 runs each.
    @Test(arguments: [(0.01, 0.1), (0.02, 0.5), (0.05, 0.1), (0.2, 0.5)])
    func anAATestRaisesFalseAlarmsInAtMostFivePercentOfRuns(rate: Double, onShare: Double) {
        let alarms = Self.alarmRate(SequentialGuardrail(), onRate: rate, offRate: rate, onShare: onShare, runs: 500, seed: 42)
        print("A/A at a rate of \(rate), the feature at \(Int(onShare * 100)) %: false alarms in \(alarms * 100) % of 500 runs of 100 looks")
        #expect(alarms <= 0.05, "false alarms in \(alarms * 100) % of A/A runs")
    }

    /// A feature that triples the errors (2 % to 6 %) at 10 % of people is caught in nearly every run.
    @Test func aClearlyWorseFeatureIsCaught() {
        let rate = Self.alarmRate(SequentialGuardrail(), onRate: 0.06, offRate: 0.02, onShare: 0.1, runs: 200, seed: 7)
        print("2 % to 6 % errors at 10 % of people: caught in \(rate * 100) % of 200 runs")
        #expect(rate >= 0.95, "caught in only \(rate * 100) % of runs")
    }

    /// Worse, but within the tolerance given (half a point worse with a tolerance of a point): left alone.
    @Test func aDifferenceWithinTheToleranceIsLeftAlone() {
        let guardrail = SequentialGuardrail(tolerance: 0.01)
        let rate = Self.alarmRate(guardrail, onRate: 0.025, offRate: 0.02, onShare: 0.5, runs: 300, seed: 11)
        #expect(rate <= 0.05, "alarms in \(rate * 100) % of runs")
    }

    /// A better feature never fails its guardrail: the test is one-sided.
    @Test func aBetterFeatureNeverFails() {
        let rate = Self.alarmRate(SequentialGuardrail(), onRate: 0.01, offRate: 0.05, onShare: 0.5, runs: 200, seed: 3)
        #expect(rate == 0)
    }

    /// Why not a t-test: the same A/A traffic, a one-sided z-test at 5 % asked after every batch,
    /// raises far more false alarms than its 5 %.
    @Test func aFixedSampleTestAskedAfterEveryBatchRaisesManyMoreFalseAlarms() {
        var generator = SeededGenerator(state: 42)
        var alarms = 0
        let runs = 300
        for _ in 0..<runs {
            var on = SequentialGuardrail.Counts(trials: 0, events: 0), off = on
            peeking: for _ in 1...100 {
                for _ in 0..<200 {
                    if Double.random(in: 0..<1, using: &generator) < 0.5 {
                        on.trials += 1
                        if Double.random(in: 0..<1, using: &generator) < 0.02 { on.events += 1 }
                    } else {
                        off.trials += 1
                        if Double.random(in: 0..<1, using: &generator) < 0.02 { off.events += 1 }
                    }
                }
                let pooled = Double(on.events + off.events) / Double(on.trials + off.trials)
                let standardError = (pooled * (1 - pooled) * (1 / Double(on.trials) + 1 / Double(off.trials))).squareRoot()
                if standardError > 0, (on.rate - off.rate) / standardError > 1.645 {
                    alarms += 1
                    break peeking
                }
            }
        }
        print("a one-sided z-test at 5 % asked after each of 100 batches: false alarms in \(alarms) of \(runs) A/A runs")
        #expect(Double(alarms) / Double(runs) > 0.15, "the peeked z-test alarmed in \(alarms) of \(runs) A/A runs")
    }

    @Test func noVerdictBeforeEachCohortHasItsMinimum() {
        let guardrail = SequentialGuardrail(minimumTrials: 200)
        #expect(guardrail.verdict(on: .init(trials: 199, events: 199), off: .init(trials: 10_000, events: 0)) == .notEnoughData)
        #expect(guardrail.verdict(on: .init(trials: 200, events: 200), off: .init(trials: 10_000, events: 0)).failed)
    }
}
