/// Computes how well two people suit each other from their profiles alone.
///
/// Every component is symmetric (the same score whichever person is first) and explainable:
/// it compares one kind of fact, and the total is a weighted mean whose weights follow how much
/// both people said occupation and lifestyle matter to them.
public struct CompatibilityCalculator: Sendable {
    public var currentYear: Int

    public init(currentYear: Int) {
        self.currentYear = currentYear
    }

    /// The score and its breakdown alone: what ranking needs, without the words (cheap enough to
    /// run for thousands of candidates per request).
    public func score(_ a: MatchingProfile, _ b: MatchingProfile) -> CompatibilityScore {
        func warmth(_ trait: String) -> (Double, Double) { (a.personality[trait] ?? .nan, b.personality[trait] ?? .nan) }
        var sharedCount = 0
        for (index, interest) in a.interests.enumerated() where b.interests.contains(interest) && !a.interests[..<index].contains(interest) {
            sharedCount += 1
        }
        let aFacts = ScoringFacts(a), bFacts = ScoringFacts(b)
        return score(
            aFacts, bFacts, distanceKm: aFacts.distanceKm(to: bFacts),
            values: Self.valuesAlignment(Self.meanDifference(a.values, b.values)),
            personality: Self.personalityFit(
                meanDifference: Self.meanDifference(a.personality, b.personality),
                warmth: warmth(Self.warmthTraits[0]), warmth(Self.warmthTraits[1]), warmth(Self.warmthTraits[2])
            ),
            sharedInterests: a.interests.isEmpty || b.interests.isEmpty ? 50
                : Self.sharedInterests(shared: sharedCount, fewer: min(Self.distinct(a.interests), Self.distinct(b.interests)))
        )
    }

    static func distinct(_ list: [String]) -> Int {
        var count = 0
        for (index, item) in list.enumerated() where !list[..<index].contains(item) { count += 1 }
        return count
    }

    /// The components that read scores and interests come computed, so the same arithmetic serves
    /// `MatchingProfile`s and the rows of a `ScoringTable`.
    func score(
        _ a: ScoringFacts, _ b: ScoringFacts, distanceKm distance: Double, values: Int, personality: Int, sharedInterests: Int
    ) -> CompatibilityScore {
        let breakdown = CompatibilityBreakdown(
            valuesAlignment: values,
            lifestyleMatch: Self.lifestyle(a, b),
            maritalStatusCompatibility: Self.maritalStatus(a.maritalStatus, b.maritalStatus),
            childrenCompatibility: (Self.children(wanted: a.childrenPreference, of: b) + Self.children(wanted: b.childrenPreference, of: a)) / 2,
            occupationCompatibility: Self.occupation(a.industry, b.industry),
            ageCompatibility: (ageFit(of: b.birthYear, within: a) + ageFit(of: a.birthYear, within: b)) / 2,
            locationCompatibility: Self.location(distanceKm: distance, limitKm: min(a.maxDistanceKm, b.maxDistanceKm)),
            personalityFit: personality,
            sharedInterests: sharedInterests,
            communicationStyle: Self.communication(a.communicationStyle, b.communicationStyle)
        )
        let occupationWeight = 0.06 * Double(a.occupationImportance + b.occupationImportance) / 6
        let lifestyleWeight = 0.12 * Double(a.lifestyleImportance + b.lifestyleImportance) / 6
        var weightedSum = 0.0
        var totalWeight = 0.0
        func add(_ component: Int, _ weight: Double) {
            weightedSum += Double(component) * weight
            totalWeight += weight
        }
        add(breakdown.valuesAlignment, 0.22)
        add(breakdown.personalityFit, 0.12)
        add(breakdown.lifestyleMatch, lifestyleWeight)
        add(breakdown.maritalStatusCompatibility, 0.06)
        add(breakdown.childrenCompatibility, 0.12)
        add(breakdown.occupationCompatibility, occupationWeight)
        add(breakdown.ageCompatibility, 0.10)
        add(breakdown.locationCompatibility, 0.08)
        add(breakdown.sharedInterests, 0.08)
        add(breakdown.communicationStyle, 0.06)
        return CompatibilityScore(totalScore: Int((weightedSum / totalWeight).rounded()), breakdown: breakdown, distanceKm: distance)
    }

    public func compatibility(_ a: MatchingProfile, _ b: MatchingProfile) -> CompatibilityResult {
        let score = score(a, b)
        let breakdown = score.breakdown
        let shared = a.interests.filter(b.interests.contains)
        let union = Set(a.interests).union(b.interests)
        let novelty = union.isEmpty ? 0 : 1 - Double(shared.count) / Double(union.count)
        // Serendipity: aligned values (the foundation) met with pastimes the other can introduce.
        let serendipity = 0.6 * Double(breakdown.valuesAlignment) + 40 * novelty

        return CompatibilityResult(
            totalScore: score.totalScore,
            breakdown: breakdown,
            serendipityScore: Int(serendipity.rounded()),
            sharedInterests: shared,
            distanceKm: score.distanceKm,
            matchReason: Self.reason(breakdown: breakdown, sharedInterests: shared)
        )
    }

    /// 100 minus the mean absolute difference of value scores on the dimensions both have; 50 when unknown.
    static func valuesAlignment(_ meanDifference: Double?) -> Int {
        guard let meanDifference else { return 50 }
        return clamp(100 - meanDifference * 1.5)
    }

    /// Mean absolute difference over the dimensions both have; nil when they share none.
    static func meanDifference(_ a: [String: Double], _ b: [String: Double]) -> Double? {
        var total = 0.0
        var count = 0
        for (dimension, x) in a {
            guard let y = b[dimension] else { continue }
            total += abs(x - y)
            count += 1
        }
        return count == 0 ? nil : total / Double(count)
    }

    /// Similar temperaments suit each other best, and warmth and steadiness in both help any pair:
    /// 70% similarity across the shared dimensions, 30% the two people's mean agreeableness,
    /// emotional stability and empathy. 50 when either has not taken the assessment.
    static func personalityFit(
        meanDifference: Double?, warmth first: (Double, Double), _ second: (Double, Double), _ third: (Double, Double)
    ) -> Int {
        guard let meanDifference else { return 50 }
        let similarity = max(0, 100 - meanDifference * 1.5)
        var warmth = 0.0
        var traits = 0
        for (x, y) in [first, second, third] where !x.isNaN && !y.isNaN {
            warmth += (x + y) / 2
            traits += 1
        }
        let steadiness = traits == 0 ? 50 : warmth / Double(traits)
        return clamp(0.7 * similarity + 0.3 * steadiness)
    }

    static let warmthTraits = ["agreeableness", "emotionalStability", "empathy"]

    static func sharedInterests(shared: Int, fewer: Int) -> Int {
        guard fewer > 0 else { return 50 }
        return clamp(40 + 60 * Double(shared) / Double(fewer))
    }

    /// How easily two ways of talking meet: the same style, or styles that complement (diplomatic with
    /// supportive, direct with analytical), score high; blunt with gentle scores lowest.
    static func communication(_ a: CommunicationStyle, _ b: CommunicationStyle) -> Int {
        if a == b { return 90 }
        switch (a, b) {
        case (.diplomatic, .supportive), (.supportive, .diplomatic): return 85
        case (.direct, .analytical), (.analytical, .direct): return 80
        case (.diplomatic, .analytical), (.analytical, .diplomatic): return 75
        case (.direct, .diplomatic), (.diplomatic, .direct): return 70
        case (.supportive, .analytical), (.analytical, .supportive): return 65
        default: return 60  // direct with supportive
        }
    }

    static func lifestyle(_ a: ScoringFacts, _ b: ScoringFacts) -> Int {
        func similarity(_ x: Int, _ y: Int, levels: Int) -> Double {
            1 - Double(abs(x - y)) / Double(levels - 1)
        }
        let fitness = similarity(a.fitnessLevel.ordinal, b.fitnessLevel.ordinal, levels: 3)
        let social = similarity(a.socialLevel.ordinal, b.socialLevel.ordinal, levels: 3)
        let travel = similarity(a.travelFrequency.ordinal, b.travelFrequency.ordinal, levels: 4)
        var total = fitness + social + travel
        var parts = 3.0
        // The optional facts count only where both people share them.
        if a.smoking > 0, b.smoking > 0 {
            total += similarity(Int(a.smoking), Int(b.smoking), levels: 3)
            parts += 1
        }
        if a.drinking > 0, b.drinking > 0 {
            total += similarity(Int(a.drinking), Int(b.drinking), levels: 3)
            parts += 1
        }
        if a.religion > 0, b.religion > 0 {
            // The same faith (or both none) fits best; one with a faith and one without, less; two faiths, least.
            let noneIndex = UInt8(1 + (Religion.allCases.firstIndex(of: .none) ?? 0))
            total += a.religion == b.religion ? 1 : (a.religion == noneIndex || b.religion == noneIndex) ? 0.5 : 0.35
            parts += 1
        }
        return clamp(100 * total / parts)
    }

    static func maritalStatus(_ a: MaritalStatus, _ b: MaritalStatus) -> Int {
        switch (a, b) {
        case _ where a == b: 90
        case (.divorced, .separated), (.separated, .divorced): 80
        case (.divorced, .widowed), (.widowed, .divorced): 75
        case (.single, _), (_, .single): 70
        default: 65
        }
    }

    /// How well `other`'s children fit what the person `wanted`.
    static func children(wanted: ChildrenPreference, of other: ScoringFacts) -> Int {
        switch wanted {
        case .noPreference: 100
        case .hasChildren: other.childrenCount > 0 ? 100 : 50
        case .noChildren: other.childrenCount == 0 ? 100 : 20
        case .grownChildren: other.childrenAllGrown ? 100 : 35
        }
    }

    static func occupation(_ a: Industry, _ b: Industry) -> Int {
        if a == b { return a == .other ? 70 : 90 }
        func isLifeStage(_ industry: Industry) -> Bool { industry == .retired || industry == .selfEmployed }
        if isLifeStage(a) && isLifeStage(b) { return 80 }
        if a == .retired || b == .retired { return 60 }
        return 70
    }

    /// 100 when `person`'s age lies in `seeker`'s preferred range, 12 points less per year outside.
    public func ageFit(of person: MatchingProfile, within seeker: MatchingProfile) -> Int {
        ageFit(of: person.birthYear, preferredMin: seeker.preferredAgeMin, preferredMax: seeker.preferredAgeMax)
    }

    func ageFit(of birthYear: Int, within seeker: ScoringFacts) -> Int {
        ageFit(of: birthYear, preferredMin: seeker.preferredAgeMin, preferredMax: seeker.preferredAgeMax)
    }

    private func ageFit(of birthYear: Int, preferredMin: Int, preferredMax: Int) -> Int {
        let age = AgeBracket.age(birthYear: birthYear, currentYear: currentYear)
        let outside = max(preferredMin - age, age - preferredMax, 0)
        return Self.clamp(100 - Double(outside) * 12)
    }

    /// Full marks nearby, falling to 60 at the nearer person's distance limit, and towards 0 beyond it.
    static func location(distanceKm: Double, limitKm: Int) -> Int {
        let limit = Double(max(limitKm, 1))
        if distanceKm <= limit { return clamp(100 - 40 * distanceKm / limit) }
        return clamp(60 - 60 * (distanceKm - limit) / limit)
    }

    static func reason(breakdown: CompatibilityBreakdown, sharedInterests: [String]) -> String {
        let named: [(String, Int)] = [
            ("가치관이 잘 맞고", breakdown.valuesAlignment),
            ("성격이 잘 어울리고", breakdown.personalityFit),
            ("대화하는 방식이 잘 맞고", breakdown.communicationStyle),
            ("생활 방식이 비슷하며", breakdown.lifestyleMatch),
            ("자녀에 대한 생각이 맞고", breakdown.childrenCompatibility),
            ("원하시는 나이대가 맞고", breakdown.ageCompatibility),
            ("가까운 곳에 사시며", breakdown.locationCompatibility),
            ("비슷한 삶의 경험을 지나오셨고", breakdown.maritalStatusCompatibility),
        ]
        let top = named.sorted { $0.1 > $1.1 }.prefix(2).map(\.0)
        let ending: String
        switch sharedInterests.count {
        case 0: ending = "서로 새로운 취미를 나눌 수 있습니다."
        case 1: ending = "\(KoreanParticle.object.attached(to: sharedInterests[0])) 함께 즐기실 수 있습니다."
        default:
            ending = "\(KoreanParticle.and.attached(to: sharedInterests[0])) \(KoreanParticle.object.attached(to: sharedInterests[1])) 함께 즐기실 수 있습니다."
        }
        return top.joined(separator: " ") + " " + ending
    }

    static func clamp(_ value: Double) -> Int {
        Int(min(100, max(0, value)).rounded())
    }
}
