import InyeonCore
import Testing

@Suite struct AgeBracketTests {
    @Test(arguments: [
        (40, "40-45"), (45, "40-45"), (46, "46-50"), (50, "46-50"), (51, "51-55"), (55, "51-55"),
        (56, "56-60"), (60, "56-60"), (61, "60+"), (75, "60+"), (39, "40 미만"),
    ])
    func bracketBoundaries(age: Int, bracket: String) {
        #expect(AgeBracket(age: age).rawValue == bracket)
    }

    @Test func bracketFromBirthYear() {
        #expect(AgeBracket(birthYear: 1973, currentYear: 2026) == .from51to55)
    }
}

@Suite struct KoreanParticleTests {
    @Test func choosesTheFormByFinalConsonant() {
        #expect(KoreanParticle.object.attached(to: "등산") == "등산을")
        #expect(KoreanParticle.object.attached(to: "요가") == "요가를")
        #expect(KoreanParticle.and.attached(to: "독서") == "독서와")
        #expect(KoreanParticle.and.attached(to: "바둑") == "바둑과")
        #expect(KoreanParticle.topic.attached(to: "golf") == "golf는")
    }
}
