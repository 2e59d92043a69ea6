import Foundation
import InyeonCore
import Testing

@Suite struct RecommendationEngineTests {
    static let noFeatures = ReciprocalModel.Prior(likeRate: 0.4, featureWeights: [])

    /// 30 deciders judge 30 receivers; receivers r0...r9 are liked far more often, deciders d0...d9
    /// like almost everyone. Generated deterministically.
    static func decisions() -> [LikeDecision] {
        var rng = SeededGenerator(seed: 7)
        var decisions: [LikeDecision] = []
        for d in 0..<30 {
            for r in 0..<30 where (d + r) % 3 != 0 {
                var chance = 0.3
                if r < 10 { chance += 0.45 }
                if d < 10 { chance += 0.2 }
                decisions.append(LikeDecision(from: "d\(d)", to: "r\(r)", liked: Double.random(in: 0..<1, using: &rng) < chance))
            }
        }
        return decisions
    }

    @Test func itLearnsWhoIsReceivedWellAndWhoIsSelective() {
        let engine = RecommendationEngine(decisions: Self.decisions(), prior: Self.noFeatures) { _, _, _ in [] }
        let appealing = (0..<10).map { engine.model.appeal["r\($0)"] ?? 0 }.reduce(0, +) / 10
        let others = (10..<30).map { engine.model.appeal["r\($0)"] ?? 0 }.reduce(0, +) / 20
        #expect(appealing > others + 1)
        let generous = (0..<10).map { engine.model.selectivity["d\($0)"] ?? 0 }.reduce(0, +) / 10
        let choosy = (10..<30).map { engine.model.selectivity["d\($0)"] ?? 0 }.reduce(0, +) / 20
        #expect(generous > choosy + 0.4)
        // A pair never seen: a generous decider and an appealing receiver are more likely than the opposite.
        #expect(engine.likeProbability(from: "d0", to: "r0", features: []) > engine.likeProbability(from: "d20", to: "r20", features: []))
    }

    @Test func trainingIsDeterministic() {
        let a = RecommendationEngine(decisions: Self.decisions(), prior: Self.noFeatures) { _, _, _ in [] }
        let b = RecommendationEngine(decisions: Self.decisions(), prior: Self.noFeatures) { _, _, _ in [] }
        #expect(a.likeProbability(from: "d3", to: "r4", features: []) == b.likeProbability(from: "d3", to: "r4", features: []))
    }

    @Test func stoppingOnceConvergedGivesTheModelOfEveryRound() {
        var everyRound = ReciprocalModel.TrainingOptions()
        everyRound.tolerance = 0
        let features: (String, String, DecisionGraph) -> [Double] = { from, to, graph in
            [Double(from.count % 3) - 1, graph.tasteAgreement(decider: from, receiver: to)]
        }
        let prior = ReciprocalModel.Prior(likeRate: 0.4, featureWeights: [0.2, 1])
        let full = RecommendationEngine(decisions: Self.decisions(), prior: prior, features: features, options: everyRound)
        let early = RecommendationEngine(decisions: Self.decisions(), prior: prior, features: features)
        #expect(full.model.trainingRounds == everyRound.iterations)
        #expect(early.model.trainingRounds < everyRound.iterations / 2)
        for (d, r) in [(0, 0), (3, 17), (12, 4), (29, 29)] {
            let x = [0.5, 0.1]
            #expect(abs(full.likeProbability(from: "d\(d)", to: "r\(r)", features: x) - early.likeProbability(from: "d\(d)", to: "r\(r)", features: x)) < 1e-4)
        }
    }

    @Test func withoutHistoryTheFeaturesRank() {
        let engine = RecommendationEngine(prior: ProfilePairFeatures.prior)
        let close = engine.mutualProbability("new1", "new2", aToB: [1.5, 0.5, 1, 0], bToA: [1.5, 0.5, 1, 0])
        let poor = engine.mutualProbability("new1", "new3", aToB: [-1.5, -0.5, -1, 0], bToA: [-1.5, -0.5, -1, 0])
        #expect(close > poor)
        #expect((0...1).contains(close) && (0...1).contains(poor))
    }

    @Test func tasteAgreementFollowsPeopleWhoJudgeAlike() {
        // a and b agree on x, y, z; b liked t. c disagrees with a everywhere and passed on t.
        let decisions = DecisionGraph([
            LikeDecision(from: "a", to: "x", liked: true), LikeDecision(from: "a", to: "y", liked: false),
            LikeDecision(from: "a", to: "z", liked: true),
            LikeDecision(from: "b", to: "x", liked: true), LikeDecision(from: "b", to: "y", liked: false),
            LikeDecision(from: "b", to: "z", liked: true), LikeDecision(from: "b", to: "t", liked: true),
            LikeDecision(from: "c", to: "x", liked: false), LikeDecision(from: "c", to: "y", liked: true),
            LikeDecision(from: "c", to: "z", liked: false), LikeDecision(from: "c", to: "u", liked: false),
        ])
        // b judged x, y, z as a did (3 in common, 3 agreed) and liked t: 1 · 3 / (3 + 5).
        #expect(abs(decisions.tasteAgreement(decider: "a", receiver: "t") - 0.375) < 1e-12)
        // c, who judges opposite to a, passed on u: that speaks for u.
        #expect(decisions.tasteAgreement(decider: "a", receiver: "u") > 0.2)
        #expect(decisions.tasteAgreement(decider: "a", receiver: "nobody") == 0)
        // a's own decision on x is never used to predict it.
        #expect(abs(decisions.tasteAgreement(decider: "a", receiver: "x")) < 1)
    }

    @Test func aJudgeWithALongHistoryIsComparedAsAShortOne() {
        // j judged 60 people, agreeing with a on x1 and disagreeing on x2, and liked t; a judged only
        // x1 and x2 (the long run is searched by halving rather than walked).
        var decisions = (0..<60).map { LikeDecision(from: "j", to: "p\($0)", liked: $0 % 2 == 0) }
        decisions += [
            LikeDecision(from: "j", to: "x1", liked: true), LikeDecision(from: "j", to: "x2", liked: true),
            LikeDecision(from: "j", to: "t", liked: true),
            LikeDecision(from: "a", to: "x1", liked: true), LikeDecision(from: "a", to: "x2", liked: false),
            LikeDecision(from: "a", to: "p3", liked: false),
        ]
        let graph = DecisionGraph(decisions)
        // In common: x1 (agree), x2 (disagree), p3 (j passed p3 too: agree): similarity 2·2/3 − 1 = 1/3.
        #expect(abs(graph.tasteAgreement(decider: "a", receiver: "t") - (1.0 / 3) * 3 / 8) < 1e-12)
        #expect(graph.decision(from: "j", to: "p59") == false)
        #expect(graph.decision(from: "j", to: "p58") == true)
        #expect(graph.decision(from: "a", to: "p58") == nil)
    }

    @Test func aLaterDecisionReplacesAnEarlierOne() {
        let graph = DecisionGraph([LikeDecision(from: "a", to: "b", liked: true), LikeDecision(from: "a", to: "b", liked: false)])
        #expect(graph.decisions.count == 1)
        #expect(graph.decision(from: "a", to: "b") == false)
    }

    @Test func theEvaluationCopesWithMissingFieldsAndScoresEveryPair() throws {
        let profiles = Data("""
            {"id": "p1", "gender": "female", "seeking": ["male"], "age": 30, "interests": {"hiking": 5, "movies": 9, "art": 2}}
            {"id": "p2"}

            {"id": "p3", "attributes": {"goal": "fun", "importance": 3}, "interests": {"hiking": 6, "movies": 8, "art": 1}}
            """.utf8)
        let interactions = Data("""
            {"from": "p1", "to": "p2", "decision": "like", "at": 1, "group": "g"}
            {"from": "p2", "to": "p1", "decision": "pass", "at": 1, "group": "g"}
            """.utf8)
        let people = try InterchangeFormat.lines(InterchangeFormat.Person.self, from: profiles, file: "profiles")
        #expect(people.count == 3)
        let observed = try InterchangeFormat.lines(InterchangeFormat.Interaction.self, from: interactions, file: "interactions")
        let scores = MatchingEvaluation(people: people, interactions: observed)
            .score([.init(a: "p1", b: "p3"), .init(a: "p2", b: "p3"), .init(a: "p1", b: "unknown")])
        #expect(scores.count == 3)
        #expect(scores.allSatisfy { (0...1).contains($0.score) })
        #expect(throws: InterchangeFormat.LineError.self) {
            try InterchangeFormat.lines(InterchangeFormat.Pair.self, from: Data("{\"a\": 1}\n".utf8), file: "pairs")
        }
        #expect(InterestSimilarity.correlation(["a": 1, "b": 5, "c": 9], ["a": 2, "b": 6, "c": 10]) > 0.99)
    }
}
