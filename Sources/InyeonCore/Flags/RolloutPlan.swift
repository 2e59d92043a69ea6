import Foundation

/// A flag's rollout plan, the seed's 10 % → 50% → 100 %: steps of people, each held for at least a
/// minimum time and until enough people have had the feature in it, under guardrails that compare
/// the people who have it with those who do not (`SequentialGuardrail`) and under the phase's
/// absolute KPI ceilings. `decide` is the whole policy, a pure function of what was observed and
/// the time, so a test can drive it with any clock.
public struct RolloutPlan: Sendable, Equatable, Codable {
    public var flag: FeatureFlag
    /// Percentages of people, ascending; the last is 100 (reaching it completes the plan).
    public var steps: [Int]
    /// How long each step is held at least.
    public var minimumStepSeconds: Int
    /// How many people must have had the feature during a step before it is left.
    public var minimumPeoplePerStep: Int
    public var guardrails: [Guardrail]
    /// The phase's absolute ceilings (the seed's KPI table), for the people who have the feature.
    public var ceilings: Ceilings
    /// A request slower than this counts as slow (`slowRequests`).
    public var slowRequestMilliseconds: Double

    public struct Guardrail: Sendable, Equatable, Codable {
        /// What is compared between the cohorts.
        public enum Measure: String, Sendable, Codable, CaseIterable {
            /// Requests answered 5xx.
            case serverErrors
            /// Requests slower than the plan's latency bound.
            case slowRequests
            /// Chat sockets that broke or were closed by the service (of all that ended).
            case socketDrops
            /// Likes made during the step that have not become a match (the like → match rate, turned round).
            case likesWithoutMatch
            /// Matches made during the step with no message yet (match → conversation).
            case matchesWithoutConversation
            /// Messages sent during the step that the other person has not answered.
            case messagesUnanswered
            /// "We met" answers during the step that say they did not meet.
            case meetingsNotHappened
            /// Feedback given during the step rated 1 or 2 of 5.
            case lowRatings

            /// Counted by each instance as requests and sockets pass (the others are read from the
            /// service's own tables by `CohortProductMeasures`).
            public var isCountedInFlight: Bool { [.serverErrors, .slowRequests, .socketDrops].contains(self) }
        }

        public var measure: Measure
        public var test: SequentialGuardrail

        public init(measure: Measure, test: SequentialGuardrail = SequentialGuardrail()) {
            self.measure = measure
            self.test = test
        }
    }

    public struct Ceilings: Sendable, Equatable, Codable {
        /// The on-cohort's p95 latency must stay under this (milliseconds).
        public var p95Milliseconds: Double?
        /// Every instance's resident memory must stay under this (megabytes).
        public var memoryMegabytes: Double?

        public init(p95Milliseconds: Double? = nil, memoryMegabytes: Double? = nil) {
            self.p95Milliseconds = p95Milliseconds
            self.memoryMegabytes = memoryMegabytes
        }
    }

    public init(
        flag: FeatureFlag, steps: [Int] = [10, 50, 100], minimumStepSeconds: Int = 3600, minimumPeoplePerStep: Int = 100,
        guardrails: [Guardrail] = [.init(measure: .serverErrors), .init(measure: .slowRequests)], ceilings: Ceilings = Ceilings(),
        slowRequestMilliseconds: Double = 500
    ) {
        self.slowRequestMilliseconds = slowRequestMilliseconds
        self.flag = flag
        self.steps = steps
        self.minimumStepSeconds = minimumStepSeconds
        self.minimumPeoplePerStep = minimumPeoplePerStep
        self.guardrails = guardrails
        self.ceilings = ceilings
    }

    /// What is wrong with the plan as an operator wrote it, or nil.
    public var problem: String? {
        guard !steps.isEmpty, steps.last == 100 else { return "the steps must end at 100" }
        guard steps.allSatisfy({ (1...100).contains($0) }), zip(steps, steps.dropFirst()).allSatisfy({ $0 < $1 }) else {
            return "the steps must be percentages from 1 to 100, each above the one before"
        }
        guard minimumStepSeconds >= 0, minimumPeoplePerStep >= 0 else { return "the minimum time and people cannot be negative" }
        guard slowRequestMilliseconds > 0 else { return "the slow-request bound must be above 0 ms" }
        for guardrail in guardrails {
            let test = guardrail.test
            guard test.alpha > 0, test.alpha < 1, test.tolerance >= 0, test.mixingVariance > 0, test.minimumTrials >= 1 else {
                return "a guardrail needs 0 < alpha < 1, a tolerance of at least 0, a positive mixing variance and at least one trial"
            }
        }
        return nil
    }

    /// Where a plan stands.
    public struct Progress: Sendable, Equatable, Codable {
        public enum Status: String, Sendable, Codable {
            case running, paused, completed
            case rolledBack = "rolled_back"
        }

        public var status: Status
        /// The index of the current step in `steps`.
        public var step: Int
        public var stepStartedAt: Date

        public init(status: Status, step: Int, stepStartedAt: Date) {
            self.status = status
            self.step = step
            self.stepStartedAt = stepStartedAt
        }
    }

    /// What was observed during the current step, across every instance.
    public struct Observations: Sendable, Equatable {
        /// Per measure: the on- and off-cohort's trials and bad events.
        public var cohorts: [Guardrail.Measure: (on: SequentialGuardrail.Counts, off: SequentialGuardrail.Counts)]
        /// Distinct people who had the feature during the step.
        public var peopleWithTheFeature: Int
        /// The on-cohort's p95 latency, and the highest resident memory of any instance.
        public var onP95Milliseconds: Double?
        public var memoryMegabytes: Double?

        public init(
            cohorts: [Guardrail.Measure: (on: SequentialGuardrail.Counts, off: SequentialGuardrail.Counts)] = [:], peopleWithTheFeature: Int = 0,
            onP95Milliseconds: Double? = nil, memoryMegabytes: Double? = nil
        ) {
            self.cohorts = cohorts
            self.peopleWithTheFeature = peopleWithTheFeature
            self.onP95Milliseconds = onP95Milliseconds
            self.memoryMegabytes = memoryMegabytes
        }

        public static func == (lhs: Observations, rhs: Observations) -> Bool {
            lhs.peopleWithTheFeature == rhs.peopleWithTheFeature && lhs.onP95Milliseconds == rhs.onP95Milliseconds
                && lhs.memoryMegabytes == rhs.memoryMegabytes && lhs.cohorts.keys == rhs.cohorts.keys
                && lhs.cohorts.allSatisfy { key, value in rhs.cohorts[key].map { $0.on == value.on && $0.off == value.off } ?? false }
        }
    }

    public enum Decision: Sendable, Equatable {
        /// Stay at the current step, and why.
        case hold(String)
        /// Go on to the next step (its index and percentage).
        case advance(step: Int, percentage: Int)
        /// The next step is 100 %: the feature is on for everyone and the plan is done.
        case complete
        /// Turn the feature off for everyone at once, and why.
        case rollBack(String)
    }

    /// The policy: a failed guardrail or ceiling rolls back at once, at any step and whatever the
    /// time; otherwise a step is left only after its minimum time and people.
    public func decide(_ progress: Progress, observations: Observations, now: Date) -> Decision {
        guard progress.status == .running else { return .hold("the plan is \(progress.status.rawValue)") }
        for guardrail in guardrails {
            guard let (on, off) = observations.cohorts[guardrail.measure] else { continue }
            if case .worse(let ratio) = guardrail.test.verdict(on: on, off: off) {
                return .rollBack(String(
                    format: "%@: %.2f %% of %d with the feature against %.2f %% of %d without (likelihood ratio %.0f ≥ %.0f)",
                    guardrail.measure.rawValue, on.rate * 100, on.trials, off.rate * 100, off.trials, ratio, 1 / guardrail.test.alpha
                ))
            }
        }
        if let ceiling = ceilings.p95Milliseconds, let p95 = observations.onP95Milliseconds, p95 > ceiling {
            return .rollBack(String(format: "p95 latency with the feature %.0f ms, above the ceiling of %.0f ms", p95, ceiling))
        }
        if let ceiling = ceilings.memoryMegabytes, let memory = observations.memoryMegabytes, memory > ceiling {
            return .rollBack(String(format: "an instance holds %.0f MB, above the ceiling of %.0f MB", memory, ceiling))
        }
        let held = now.timeIntervalSince(progress.stepStartedAt)
        if held < Double(minimumStepSeconds) {
            return .hold(String(format: "at %d %% for %.0f of at least %d s", steps[progress.step], held, minimumStepSeconds))
        }
        if observations.peopleWithTheFeature < minimumPeoplePerStep {
            return .hold("at \(steps[progress.step]) %: \(observations.peopleWithTheFeature) of at least \(minimumPeoplePerStep) people have had the feature")
        }
        let next = progress.step + 1
        guard next < steps.count else { return .complete }
        return steps[next] == 100 ? .complete : .advance(step: next, percentage: steps[next])
    }
}
