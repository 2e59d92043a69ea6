import InyeonCore
import Testing

@Suite struct LocalInsightWriterTests {
    static let year = 2026

    static func pairs(_ count: Int) -> [(MatchingProfile, MatchingProfile)] {
        let generator = DemoPeopleGenerator(currentYear: year)
        return (0..<count).map { (generator.person(at: 2 * $0).matchingProfile, generator.person(at: 2 * $0 + 1).matchingProfile) }
    }

    @Test(arguments: InsightLanguage.allCases)
    func everyStarterNamesSomethingTheTwoShare(language: InsightLanguage) throws {
        let calculator = CompatibilityCalculator(currentYear: Self.year)
        let writer = LocalInsightWriter()
        var checked = 0
        for (a, b) in Self.pairs(300) {
            let facts = InsightFacts(a, b, compatibility: calculator.compatibility(a, b), mutualProbability: 0.2, currentYear: Self.year)
            let text = try writer.write(facts, language: language).validated()
            #expect((3...5).contains(text.conversationStarters.count), "\(a.id) & \(b.id)")
            let terms = facts.sharedTerms(language)
            for starter in text.conversationStarters {
                #expect(terms.contains { starter.contains($0) }, "'\(starter)' names none of \(terms)")
                checked += 1
            }
            // Shared interests, when there are any, are what the first starter is about.
            if let interest = facts.sharedInterests.first {
                #expect(text.conversationStarters[0].contains(interest))
            }
            #expect(!text.recommendation.isEmpty && !text.strengths.isEmpty)
            // Nothing that identifies either person.
            for person in [a, b] {
                #expect(!text.recommendation.contains(person.id) && !text.recommendation.contains(person.district))
            }
        }
        #expect(checked >= 900)
    }

    @Test func theSamePairAlwaysReadsTheSame() {
        let calculator = CompatibilityCalculator(currentYear: Self.year)
        let (a, b) = Self.pairs(1)[0]
        let facts = InsightFacts(a, b, compatibility: calculator.compatibility(a, b), mutualProbability: 0.31, currentYear: Self.year)
        #expect(LocalInsightWriter().write(facts, language: .ko) == LocalInsightWriter().write(facts, language: .ko))
        #expect(facts.successProbability == 31)
    }

    @Test func providerAnswersThatBreakTheRulesAreRefused() {
        let good = InsightText(recommendation: "좋아요", conversationStarters: ["a", "b", "c"], strengths: ["s"], considerations: [])
        #expect(throws: Never.self) { try good.validated() }
        var short = good
        short.conversationStarters = ["a", "b"]
        #expect(throws: InsightText.Problem.self) { try short.validated() }
        var empty = good
        empty.recommendation = "  "
        #expect(throws: InsightText.Problem.self) { try empty.validated() }
        var long = good
        long.conversationStarters[0] = String(repeating: "가", count: 300)
        #expect(throws: InsightText.Problem.self) { try long.validated() }
    }

    @Test func aHiddenAgeIsNeverStatedEvenWhenItIsTheViewersOwn() throws {
        var (a, b) = try #require(Self.pairs(1).first)
        b.birthYear = a.birthYear
        a.ageDisclosed = false
        let facts = InsightFacts(a, b, compatibility: CompatibilityCalculator(currentYear: Self.year).compatibility(a, b),
                                 mutualProbability: 0.3, currentYear: Self.year)
        #expect(facts.ageBrackets == [AgeBracket(birthYear: b.birthYear, currentYear: Self.year).rawValue])
        #expect(facts.sharedAgeBracket == nil, "one hidden bracket cannot be shared")
    }
}
