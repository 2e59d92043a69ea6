import Foundation
@testable import InyeonCore
import Testing

/// The service's fast path (the candidate index's flat columns, the two-stage ranking) against the
/// plain definition: every profile checked with `MatchingProfile.admits` both ways, every pair scored
/// with `ProfilePairFeatures` on whole profiles.
@Suite struct CandidateRankingTests {
    static let year = 2026

    /// 3,000 demo people and a history of likes and passes among them, the engine trained as the
    /// service trains it.
    static let world: (people: [MatchingProfile], engine: RecommendationEngine, index: CandidateIndex) = {
        let generator = DemoPeopleGenerator(currentYear: year)
        var people = (0..<3000).map { generator.person(at: $0).matchingProfile }
        people[11].preferredMaritalStatuses = [.widowed]
        people[12].values = [:]
        people[12].personality = [:]
        let calculator = CompatibilityCalculator(currentYear: year)
        var random = SeededGenerator(seed: 31)
        var decisions: [LikeDecision] = []
        for decider in people.prefix(1500) {
            for _ in 0..<15 {
                let other = people[Int.random(in: 0..<people.count, using: &random)]
                guard other.id != decider.id else { continue }
                let chance = Double(calculator.score(decider, other).totalScore) / 100
                decisions.append(LikeDecision(from: decider.id, to: other.id, liked: Double.random(in: 0..<1, using: &random) < chance))
            }
        }
        let byID = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) })
        let engine = RecommendationEngine(decisions: decisions, prior: ProfilePairFeatures.prior) { from, to, graph in
            let (a, b) = (byID[from]!, byID[to]!)
            return ProfilePairFeatures.features(from: a, to: b, compatibility: calculator.score(a, b), calculator: calculator, decisions: graph)
        }
        return (people, engine, CandidateIndex(people, model: engine.model))
    }()

    static func plainRanking(for viewer: MatchingProfile, excluding excluded: Set<String>) -> [(id: String, probability: Double)] {
        let (people, engine, _) = world
        let calculator = CompatibilityCalculator(currentYear: year)
        return people
            .filter { $0.id != viewer.id && !excluded.contains($0.id) && viewer.admits($0, currentYear: year) && $0.admits(viewer, currentYear: year) }
            .map { other in
                let score = calculator.score(viewer, other)
                let probability = engine.mutualProbability(
                    viewer.id, other.id,
                    aToB: ProfilePairFeatures.features(from: viewer, to: other, compatibility: score, calculator: calculator, decisions: engine.decisions),
                    bToA: ProfilePairFeatures.features(from: other, to: viewer, compatibility: score, calculator: calculator, decisions: engine.decisions)
                )
                return (other.id, probability)
            }
            .sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.id < $1.id }
    }

    @Test(arguments: [0, 7, 11, 12, 250, 1499, 1500, 2222, 2999])
    func theIndexFindsAndRanksExactlyWhatThePlainDefinitionDoes(viewerNumber: Int) {
        let (people, engine, index) = Self.world
        let viewer = people[viewerNumber]
        // The plain first choice (say the viewer passed on them), and someone unknown to the index, are excluded.
        let everyone = Self.plainRanking(for: viewer, excluding: [])
        let excluded: Set<String> = [everyone[0].id, "not-a-member"]
        let plain = Self.plainRanking(for: viewer, excluding: excluded)
        #expect(plain.count == everyone.count - 1)
        #expect(plain.count >= 10, "a viewer with fewer than 10 candidates would test little")
        let asker = index.viewer(viewer, model: engine.model)
        let eligible = index.eligible(for: asker, excluding: excluded, currentYear: Self.year)
        #expect(Set(eligible.map { index.people[Int($0.row)].id }) == Set(plain.map(\.id)))
        for candidate in eligible {
            let other = index.people[Int(candidate.row)]
            #expect(candidate.distanceKm == GreatCircle.distanceKm(
                latitude1: viewer.latitude, longitude1: viewer.longitude, latitude2: other.latitude, longitude2: other.longitude
            ))
        }
        let calculator = CompatibilityCalculator(currentYear: Self.year)
        // With a shortlist as long as the list, both stages see everyone: the order must be the plain one.
        let ranked = engine.rank(eligible, in: index, for: asker, calculator: calculator, limit: 10, shortlist: eligible.count)
        #expect(ranked.map(\.profile.id) == plain.prefix(10).map(\.id))
        for (fast, expected) in zip(ranked, plain) {
            #expect(abs(fast.mutualProbability - expected.probability) < 1e-12)
        }
        // With the service's shortlist of 120: the same when everyone fits in it; otherwise each chance
        // is still the plain one, in order.
        let served = engine.rank(eligible, in: index, for: asker, calculator: calculator, limit: 10)
        if eligible.count <= 120 {
            #expect(served.map(\.profile.id) == ranked.map(\.profile.id))
        }
        let plainChance = Dictionary(uniqueKeysWithValues: plain.map { ($0.id, $0.probability) })
        for candidate in served {
            #expect(abs(candidate.mutualProbability - plainChance[candidate.profile.id]!) < 1e-12)
        }
        #expect(zip(served, served.dropFirst()).allSatisfy { $0.mutualProbability >= $1.mutualProbability })
    }

    @Test func anIndexGivenAnotherModelIsTheIndexBuiltWithIt() {
        let (people, engine, index) = Self.world
        let untrained = CandidateIndex(people)
        #expect(untrained.selectivity.allSatisfy { $0 == 0 } && untrained.appeal.allSatisfy { $0 == 0 })
        let given = untrained.with(model: engine.model)
        #expect(given.people.map(\.id) == index.people.map(\.id))
        #expect(given.selectivity == index.selectivity && given.appeal == index.appeal)
        #expect(given.selectivity.contains { $0 != 0 }, "the trained terms are not all zero, so the comparison tells something")
    }

    @Test func theServiceTrainsTheSameModelFromItsTableOfProfiles() {
        let (people, engine, _) = Self.world
        // Someone who has left: their decisions are not learned from.
        let departed = LikeDecision(from: "departed", to: people[0].id, liked: true)
        let fromTable = RecommendationEngine.trained(on: engine.decisions.decisions + [departed], profiles: people, currentYear: Self.year)
        #expect(fromTable.decisions.decisions.count == engine.decisions.decisions.count)
        #expect(abs(fromTable.model.intercept - engine.model.intercept) < 1e-12)
        for (index, weight) in engine.model.featureWeights.enumerated() {
            #expect(abs(fromTable.model.featureWeights[index] - weight) < 1e-12)
        }
        for person in people.prefix(200) {
            #expect(abs((fromTable.model.appeal[person.id] ?? 0) - (engine.model.appeal[person.id] ?? 0)) < 1e-12)
            #expect(abs((fromTable.model.selectivity[person.id] ?? 0) - (engine.model.selectivity[person.id] ?? 0)) < 1e-12)
        }
    }

    @Test func aViewerMissingFromTheIndexIsRankedFromTheirFreshProfile() {
        let (people, engine, index) = Self.world
        var newcomer = people[40]
        newcomer.id = "newcomer"
        newcomer.preferredAgeMin = 40
        newcomer.preferredAgeMax = 70
        let asker = index.viewer(newcomer, model: engine.model)
        let eligible = index.eligible(for: asker, excluding: [], currentYear: Self.year)
        let ranked = engine.rank(
            eligible, in: index, for: asker, calculator: CompatibilityCalculator(currentYear: Self.year), limit: 5, shortlist: eligible.count
        )
        let plain = Self.plainRanking(for: newcomer, excluding: [])
        // people[40] themself is a different person to the newcomer, and may be recommended.
        #expect(Set(eligible.map { index.people[Int($0.row)].id }) == Set(plain.map(\.id)))
        #expect(ranked.count == 5)
        #expect(ranked.map(\.profile.id) == plain.prefix(5).map(\.id))
    }

    @Test func someoneDueEastAtTheEdgeOfTheDistanceIsFound() {
        // 29.99 km due east of the viewer, across a grid line that a box measured on a slightly
        // different Earth (111.320 km a degree instead of the sphere's 111.195) would stop short of.
        let generator = DemoPeopleGenerator(currentYear: Self.year)
        func person(_ id: String, _ gender: Gender, _ seeking: SeekingGender, longitude: Double) -> MatchingProfile {
            var profile = generator.person(at: 0).matchingProfile
            profile.id = id
            (profile.gender, profile.seeking, profile.birthYear) = (gender, seeking, 1970)
            (profile.preferredAgeMin, profile.preferredAgeMax, profile.preferredMaritalStatuses) = (40, 70, [])
            (profile.latitude, profile.longitude, profile.maxDistanceKm) = (37.5, longitude, 30)
            return profile
        }
        let viewer = person("viewer", .male, .female, longitude: 127.0602)
        let radians = Double.pi / 180
        let span = 2 * asin(sin(29.99 / (2 * 6371.0088)) / cos(37.5 * radians)) / radians
        let edge = person("edge", .female, .male, longitude: 127.0602 + span)
        #expect(Int(edge.longitude / 0.2) > Int((viewer.longitude + 30 / (111.320 * cos(37.5 * radians))) / 0.2))
        #expect(viewer.admits(edge, currentYear: Self.year) && edge.admits(viewer, currentYear: Self.year))
        let index = CandidateIndex([viewer, edge])
        let found = index.eligible(for: index.viewer(viewer, model: ReciprocalModel(prior: ProfilePairFeatures.prior)), excluding: [], currentYear: Self.year)
        #expect(found.count == 1)
    }

    @Test func anUpsideDownAgeRangeFindsNobodyRatherThanFailing() {
        let (people, engine, index) = Self.world
        var viewer = people[3]
        viewer.preferredAgeMin = 60
        viewer.preferredAgeMax = 50
        #expect(index.eligible(for: index.viewer(viewer, model: engine.model), excluding: [], currentYear: Self.year).isEmpty)
    }
}
