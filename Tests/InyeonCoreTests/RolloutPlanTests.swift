import Foundation
import InyeonCore
import Testing

/// The rollout policy, driven with an injected clock: when a step is held, left, completed or
/// rolled back.
@Suite struct RolloutPlanTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let plan = RolloutPlan(
        flag: .aiInsights, steps: [10, 50, 100], minimumStepSeconds: 600, minimumPeoplePerStep: 50,
        ceilings: .init(p95Milliseconds: 800, memoryMegabytes: 400)
    )

    func progress(step: Int = 0, status: RolloutPlan.Progress.Status = .running) -> RolloutPlan.Progress {
        .init(status: status, step: step, stepStartedAt: start)
    }

    /// Both cohorts alike: 2 % server errors, 5 % slow requests.
    func alike(on: Int = 1_000, off: Int = 9_000, people: Int = 80) -> RolloutPlan.Observations {
        .init(
            cohorts: [
                .serverErrors: (.init(trials: on, events: on / 50), .init(trials: off, events: off / 50)),
                .slowRequests: (.init(trials: on, events: on / 20), .init(trials: off, events: off / 20)),
            ],
            peopleWithTheFeature: people, onP95Milliseconds: 120, memoryMegabytes: 150
        )
    }

    @Test func aStepIsHeldForItsMinimumTimeThenForItsMinimumPeople() {
        #expect(plan.decide(progress(), observations: alike(), now: start + 599) == .hold("at 10 % for 599 of at least 600 s"))
        #expect(plan.decide(progress(), observations: alike(people: 49), now: start + 600)
            == .hold("at 10 %: 49 of at least 50 people have had the feature"))
        #expect(plan.decide(progress(), observations: alike(), now: start + 600) == .advance(step: 1, percentage: 50))
    }

    @Test func theStepBeforeOneHundredPercentCompletesThePlan() {
        #expect(plan.decide(progress(step: 1), observations: alike(on: 5_000, off: 5_000), now: start + 700) == .complete)
    }

    @Test func clearlyMoreErrorsWithTheFeatureRollBackAtOnceWhateverTheTime() {
        var observed = alike()
        observed.cohorts[.serverErrors] = (.init(trials: 1_000, events: 80), .init(trials: 9_000, events: 180))
        guard case .rollBack(let reason) = plan.decide(progress(), observations: observed, now: start + 10) else {
            Issue.record("not rolled back")
            return
        }
        #expect(reason.hasPrefix("serverErrors: 8.00 % of 1000 with the feature against 2.00 % of 9000 without"))
    }

    @Test func theSeedsCeilingsRollBackToo() {
        var slow = alike()
        slow.onP95Milliseconds = 812
        #expect(plan.decide(progress(), observations: slow, now: start + 10)
            == .rollBack("p95 latency with the feature 812 ms, above the ceiling of 800 ms"))
        var heavy = alike()
        heavy.memoryMegabytes = 401
        #expect(plan.decide(progress(), observations: heavy, now: start + 10) == .rollBack("an instance holds 401 MB, above the ceiling of 400 MB"))
    }

    @Test func aPausedPlanStaysWhereItIs() {
        #expect(plan.decide(progress(status: .paused), observations: alike(), now: start + 6_000) == .hold("the plan is paused"))
    }

    @Test func aPlanThatCannotBeRunSaysWhy() {
        #expect(plan.problem == nil)
        #expect(RolloutPlan(flag: .aiInsights, steps: [10, 50]).problem == "the steps must end at 100")
        #expect(RolloutPlan(flag: .aiInsights, steps: [50, 10, 100]).problem == "the steps must be percentages from 1 to 100, each above the one before")
        #expect(RolloutPlan(flag: .aiInsights, guardrails: [.init(measure: .serverErrors, test: .init(alpha: 0))]).problem != nil)
    }

    /// An A/A rollout through the whole policy: same behaviour in both cohorts, looked at every
    /// minute of a 10 %, then 50 % rollout; it reaches 100 % in at least 95 % of 200 runs.
    @Test func anAARolloutIsPromotedInAtLeastNinetyFivePercentOfRuns() {
        var generator = SequentialGuardrailTests.SeededGenerator(state: 2026)
        var promoted = 0
        let runs = 200
        for _ in 0..<runs {
            var progress = progress()
            var observed = RolloutPlan.Observations(peopleWithTheFeature: 0)
            var on = [SequentialGuardrail.Counts](repeating: .init(trials: 0, events: 0), count: 2), off = on
            var now = start
            run: for _ in 0..<60 {
                now += 60
                let share = Double(plan.steps[progress.step]) / 100
                for _ in 0..<150 {
                    let withFeature = Double.random(in: 0..<1, using: &generator) < share
                    for (index, rate) in [0.02, 0.05].enumerated() {
                        let bad = Double.random(in: 0..<1, using: &generator) < rate
                        if withFeature {
                            on[index].trials += 1
                            on[index].events += bad ? 1 : 0
                        } else {
                            off[index].trials += 1
                            off[index].events += bad ? 1 : 0
                        }
                    }
                }
                observed.cohorts = [.serverErrors: (on[0], off[0]), .slowRequests: (on[1], off[1])]
                observed.peopleWithTheFeature = on[0].trials / 3
                switch plan.decide(progress, observations: observed, now: now) {
                case .hold: continue
                case .advance(let step, _):
                    progress = .init(status: .running, step: step, stepStartedAt: now)
                    on = [.init(trials: 0, events: 0), .init(trials: 0, events: 0)]
                    off = on
                case .complete:
                    promoted += 1
                    break run
                case .rollBack:
                    break run
                }
            }
        }
        print("A/A rollouts through the policy: promoted to 100 % in \(promoted) of \(runs)")
        #expect(Double(promoted) / Double(runs) >= 0.95, "promoted in \(promoted) of \(runs) A/A runs")
    }
}
