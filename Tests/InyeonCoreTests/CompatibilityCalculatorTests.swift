import InyeonCore
import Testing

@Suite struct CompatibilityCalculatorTests {
    let calculator = CompatibilityCalculator(currentYear: 2026)

    func person(
        id: String = "a", birthYear: Int = 1972, gender: Gender = .female, seeking: SeekingGender = .male,
        marital: MaritalStatus = .divorced, children: Int = 1, grown: Bool = true, wants: ChildrenPreference = .noPreference,
        latitude: Double = 37.5172, longitude: Double = 127.0473, interests: [String] = ["등산", "독서"],
        ageRange: ClosedRange<Int> = 45...60, maxDistance: Int = 30, values: [String: Double] = ["family": 80, "career": 40]
    ) -> MatchingProfile {
        MatchingProfile(
            id: id, birthYear: birthYear, gender: gender, seeking: seeking, maritalStatus: marital, childrenCount: children,
            childrenAllGrown: grown, childrenPreference: wants, industry: .education, livingArrangement: .alone,
            fitnessLevel: .moderate, socialLevel: .moderate, travelFrequency: .yearly, city: "서울", district: "강남구",
            latitude: latitude, longitude: longitude, interests: interests, communicationStyle: .supportive,
            preferredAgeMin: ageRange.lowerBound, preferredAgeMax: ageRange.upperBound, maxDistanceKm: maxDistance,
            occupationImportance: 3, lifestyleImportance: 3, values: values
        )
    }

    /// The optional facts count only where both people share them: one who keeps a fact to herself
    /// changes nothing, so no score can reveal it; shared and alike raises the lifestyle match,
    /// shared and different lowers it.
    @Test func sharedFactsCountOnlyWhenBothShareThem() {
        var her = person(id: "a")
        var him = person(id: "b", gender: .male, seeking: .female)
        him.fitnessLevel = .high  // so their lifestyles are not already a perfect fit
        let plain = calculator.compatibility(her, him).breakdown.lifestyleMatch
        her.smoking = .no
        #expect(calculator.compatibility(her, him).breakdown.lifestyleMatch == plain, "only she shares: nothing changes")
        him.smoking = .no
        let alike = calculator.compatibility(her, him).breakdown.lifestyleMatch
        him.smoking = .yes
        let apart = calculator.compatibility(her, him).breakdown.lifestyleMatch
        #expect(alike > plain && apart < plain, "\(plain) \(alike) \(apart)")
        (her.religion, him.religion) = (.buddhist, .buddhist)
        let sameFaith = calculator.compatibility(her, him).breakdown.lifestyleMatch
        him.religion = .catholic
        let otherFaith = calculator.compatibility(her, him).breakdown.lifestyleMatch
        him.religion = Religion.none
        let noFaith = calculator.compatibility(her, him).breakdown.lifestyleMatch
        #expect(sameFaith > noFaith && noFaith > otherFaith)
        #expect(calculator.compatibility(her, him).totalScore == calculator.compatibility(him, her).totalScore)
    }

    @Test func isSymmetric() {
        let a = person(id: "a", interests: ["등산", "골프"], values: ["family": 90, "career": 20])
        let b = person(id: "b", birthYear: 1968, gender: .male, seeking: .female, marital: .widowed, children: 0, wants: .grownChildren,
                       latitude: 37.48, longitude: 127.03, interests: ["골프"], values: ["family": 70, "career": 50])
        let ab = calculator.compatibility(a, b)
        let ba = calculator.compatibility(b, a)
        #expect(ab.totalScore == ba.totalScore)
        #expect(ab.breakdown == ba.breakdown)
        #expect((0...100).contains(ab.totalScore))
    }

    @Test func identicalValuesAlignFullyAndDistantValuesDoNot() {
        let same = calculator.compatibility(person(), person(id: "b", gender: .male, seeking: .female))
        #expect(same.breakdown.valuesAlignment == 100)
        let far = calculator.compatibility(
            person(values: ["family": 100, "career": 0]), person(id: "b", values: ["family": 0, "career": 100])
        )
        #expect(far.breakdown.valuesAlignment == 0)
        let unknown = calculator.compatibility(person(values: [:]), person(id: "b"))
        #expect(unknown.breakdown.valuesAlignment == 50)
    }

    @Test func ageOutsideThePreferredRangeLowersTheScore() {
        let inside = calculator.compatibility(person(ageRange: 45...60), person(id: "b", birthYear: 1974, ageRange: 45...60))
        let outside = calculator.compatibility(person(ageRange: 40...45), person(id: "b", birthYear: 1966, ageRange: 40...45))
        #expect(inside.breakdown.ageCompatibility == 100)
        #expect(outside.breakdown.ageCompatibility < inside.breakdown.ageCompatibility)
    }

    @Test func distanceIsMeasuredAgainstTheNearerLimit() {
        let busan = person(id: "b", latitude: 35.1631, longitude: 129.1635)
        let seoul = person(maxDistance: 100)
        let result = calculator.compatibility(seoul, busan)
        #expect(result.distanceKm > 300 && result.distanceKm < 350)
        #expect(result.breakdown.locationCompatibility == 0)
        let neighbour = calculator.compatibility(seoul, person(id: "b", latitude: 37.4837, longitude: 127.0324))
        #expect(neighbour.breakdown.locationCompatibility > 80)
    }

    @Test func childrenPreferencesAreRespectedBothWays() {
        let wantsNone = person(wants: .noChildren)
        let hasYoungChildren = person(id: "b", children: 2, grown: false)
        #expect(calculator.compatibility(wantsNone, hasYoungChildren).breakdown.childrenCompatibility == 60)
        #expect(calculator.compatibility(person(), person(id: "b")).breakdown.childrenCompatibility == 100)
    }

    @Test func reasonNamesSharedInterestsWithCorrectParticles() {
        let result = calculator.compatibility(person(interests: ["등산", "요가"]), person(id: "b", interests: ["요가", "등산"]))
        #expect(result.sharedInterests == ["등산", "요가"])
        #expect(result.matchReason.hasSuffix("등산과 요가를 함께 즐기실 수 있습니다."))
    }

    @Test func serendipityRewardsAlignedValuesWithNewPastimes() {
        let familiar = calculator.compatibility(person(interests: ["등산"]), person(id: "b", interests: ["등산"]))
        let novel = calculator.compatibility(person(interests: ["등산"]), person(id: "b", interests: ["와인"]))
        #expect(novel.serendipityScore > familiar.serendipityScore)
    }
}

@Suite struct CompatibilityComponentTests {
    let calculator = CompatibilityCalculator(currentYear: 2026)
    let base = CompatibilityCalculatorTests()

    @Test func personalityFitRewardsSimilarAndSteadyTemperaments() {
        var a = base.person()
        var b = base.person(id: "b")
        a.personality = ["openness": 70, "agreeableness": 80, "emotionalStability": 75, "empathy": 80]
        b.personality = ["openness": 65, "agreeableness": 85, "emotionalStability": 70, "empathy": 75]
        let close = calculator.compatibility(a, b).breakdown.personalityFit
        b.personality = ["openness": 10, "agreeableness": 20, "emotionalStability": 15, "empathy": 10]
        let apart = calculator.compatibility(a, b).breakdown.personalityFit
        #expect(close > 80 && apart < close - 30)
        b.personality = [:]
        #expect(calculator.compatibility(a, b).breakdown.personalityFit == 50)
    }

    @Test func sharedInterestsAndCommunicationStyleAreScored() {
        let same = calculator.compatibility(base.person(interests: ["등산", "독서"]), base.person(id: "b", interests: ["등산", "독서", "요리"]))
        #expect(same.breakdown.sharedInterests == 100)
        let none = calculator.compatibility(base.person(interests: ["등산"]), base.person(id: "b", interests: ["요리"]))
        #expect(none.breakdown.sharedInterests == 40)
        #expect(same.breakdown.communicationStyle == 90, "both supportive")
        var direct = base.person(id: "b")
        direct.communicationStyle = .direct
        #expect(calculator.compatibility(base.person(), direct).breakdown.communicationStyle == 60)
    }

    @Test func hardFiltersAdmitOnlyWhomEachSeeks() {
        let her = base.person(seeking: .male, ageRange: 50...60)
        var him = base.person(id: "b", birthYear: 1970, gender: .male, seeking: .female)
        #expect(her.admits(him, currentYear: 2026))
        him.birthYear = 1990
        #expect(!her.admits(him, currentYear: 2026), "too young for her range")
        let busan = base.person(id: "c", gender: .male, seeking: .female, latitude: 35.18, longitude: 129.07)
        #expect(!her.admits(busan, currentYear: 2026), "beyond the distance limit")
        var picky = her
        picky.preferredMaritalStatuses = [.widowed]
        #expect(!picky.admits(base.person(id: "d", birthYear: 1970, gender: .male, marital: .divorced), currentYear: 2026))
    }
}

@Suite struct ScoringTableTests {
    @Test func theTableScoreIsExactlyTheProfileScore() {
        let generator = DemoPeopleGenerator(currentYear: 2026)
        var people = (0..<400).map { generator.person(at: $0).matchingProfile }
        // Missing assessments, repeated and unknown interests, no interests at all.
        people[3].values = [:]
        people[3].personality = [:]
        people[5].interests = ["등산", "등산", "뜨개질"]
        people[7].interests = []
        people[9].preferredMaritalStatuses = [.widowed, .divorced]
        let vocabulary = InterestVocabulary(Array(people.prefix(200)))
        let table = ScoringTable(people, vocabulary: vocabulary)
        let calculator = CompatibilityCalculator(currentYear: 2026)
        var admittedPairs = 0
        for index in 0..<400 {
            for other in 0..<400 where other != index {
                #expect(calculator.score(table, index, table, other) == calculator.score(people[index], people[other]), "\(index) & \(other)")
                let admitted = people[index].admits(people[other], currentYear: 2026) && people[other].admits(people[index], currentYear: 2026)
                #expect(table.facts[index].admitsEachOther(table.facts[other], currentYear: 2026) == admitted)
                if admitted { admittedPairs += 1 }
            }
            #expect(calculator.score(people[index], people[(index + 1) % 400])
                == calculator.compatibility(people[index], people[(index + 1) % 400]).score)
        }
        // Both outcomes of the filter are compared, many times.
        #expect(admittedPairs > 200)
    }
}
