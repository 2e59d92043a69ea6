import Foundation

/// Everything an insight about two people may draw on, and nothing that identifies them: no names,
/// ids, e-mail, phone or exact place (the city only). The local writer uses all of it; an external
/// provider is sent less (`PromptFacts`: no interests, which people write themselves, and no city).
public struct InsightFacts: Sendable, Codable, Equatable {
    public struct SharedValue: Sendable, Codable, Equatable {
        public var dimension: String
        /// The lower of the two people's scores (0-100): how strongly both hold it.
        public var strength: Int
    }

    public var ageBrackets: [String]
    public var sharedInterests: [String]
    public var sharedValues: [SharedValue]
    /// Values the two see alike (scores within 10 points), beyond those both hold strongly.
    public var similarViews: [String]
    /// Personality traits the two have in like measure (scores within 10 points), most alike first.
    public var similarTraits: [String]
    /// The city when both live in it.
    public var sharedCity: String?
    /// The age bracket when both are in it.
    public var sharedAgeBracket: String?
    /// The line of work when both are in it (retired included).
    public var sharedIndustry: String?
    public var sameCommunicationStyle: Bool
    public var bothHaveChildren: Bool
    public var bothChildrenGrown: Bool
    public var bothTravelOften: Bool
    public var bothActive: Bool
    public var communicationStyles: [String]
    public var totalScore: Int
    public var breakdown: CompatibilityBreakdown
    public var successProbability: Double

    public init(_ a: MatchingProfile, _ b: MatchingProfile, compatibility: CompatibilityResult, mutualProbability: Double, currentYear: Int) {
        // Only brackets that are shown: a hidden age has a stand-in year, which must never be told as theirs.
        ageBrackets = [a, b].filter(\.ageDisclosed).map { AgeBracket(birthYear: $0.birthYear, currentYear: currentYear).rawValue }
        sharedInterests = compatibility.sharedInterests
        // Every value both scored, by how strongly both hold it; those both hold strongly are shared. When
        // none is, the one they come closest to holding dearly stands in, so there is always one to talk about.
        let byStrength = Set(a.values.keys).intersection(b.values.keys)
            .map { SharedValue(dimension: $0, strength: Int(min(a.values[$0]!, b.values[$0]!).rounded())) }
            .sorted { $0.strength != $1.strength ? $0.strength > $1.strength : $0.dimension < $1.dimension }
        let strongly = byStrength.filter { $0.strength >= 55 }
        sharedValues = strongly.isEmpty ? Array(byStrength.prefix(1)) : strongly
        let strong = Set(sharedValues.map(\.dimension))
        similarViews = Set(a.values.keys).intersection(b.values.keys)
            .filter { !strong.contains($0) && abs(a.values[$0]! - b.values[$0]!) <= 10 }
            .sorted { abs(a.values[$0]! - b.values[$0]!) != abs(a.values[$1]! - b.values[$1]!)
                ? abs(a.values[$0]! - b.values[$0]!) < abs(a.values[$1]! - b.values[$1]!) : $0 < $1 }
        similarTraits = Set(a.personality.keys).intersection(b.personality.keys)
            .filter { $0 != "neuroticism" && abs(a.personality[$0]! - b.personality[$0]!) <= 10 }
            .sorted { abs(a.personality[$0]! - b.personality[$0]!) != abs(a.personality[$1]! - b.personality[$1]!)
                ? abs(a.personality[$0]! - b.personality[$0]!) < abs(a.personality[$1]! - b.personality[$1]!) : $0 < $1 }
        sharedCity = a.city == b.city ? a.city : nil
        sharedAgeBracket = ageBrackets.count == 2 && ageBrackets[0] == ageBrackets[1] ? ageBrackets[0] : nil
        sharedIndustry = a.industry == b.industry && a.industry != .other ? a.industry.rawValue : nil
        sameCommunicationStyle = a.communicationStyle == b.communicationStyle
        bothHaveChildren = a.childrenCount > 0 && b.childrenCount > 0
        bothChildrenGrown = bothHaveChildren && a.childrenAllGrown && b.childrenAllGrown
        bothTravelOften = [a, b].allSatisfy { $0.travelFrequency == .quarterly || $0.travelFrequency == .monthly }
        bothActive = a.fitnessLevel == .high && b.fitnessLevel == .high
        communicationStyles = [a.communicationStyle.rawValue, b.communicationStyle.rawValue]
        totalScore = compatibility.totalScore
        breakdown = compatibility.breakdown
        successProbability = (mutualProbability * 1000).rounded() / 10
    }

    public var level: RelationshipPrediction.Level {
        switch totalScore {
        case 85...: .veryHigh
        case 70..<85: .high
        case 55..<70: .moderate
        default: .low
        }
    }

    /// The words that name what the two share, in the language given; every conversation starter
    /// uses at least one of them.
    public func sharedTerms(_ language: InsightLanguage) -> [String] {
        var terms = sharedInterests + sharedValues.map { InsightVocabulary.value($0.dimension, language) }
            + similarViews.map { InsightVocabulary.value($0, language) } + similarTraits.map { InsightVocabulary.trait($0, language) }
        if let sharedCity { terms.append(sharedCity) }
        if let sharedAgeBracket { terms.append(sharedAgeBracket) }
        if let sharedIndustry { terms.append(InsightVocabulary.industry(sharedIndustry, language)) }
        if sameCommunicationStyle { terms.append(language == .ko ? "대화" : "conversation") }
        terms.append(language == .ko ? "인연" : "hoping to meet someone")
        if bothHaveChildren { terms.append(language == .ko ? "자녀" : "children") }
        if bothTravelOften { terms.append(language == .ko ? "여행" : "travel") }
        if bothActive { terms.append(language == .ko ? "운동" : "exercise") }
        return terms
    }
}

enum InsightVocabulary {
    static func trait(_ dimension: String, _ language: InsightLanguage) -> String {
        let names: [String: (String, String)] = [
            "openness": ("새로운 것에 대한 호기심", "curiosity for new things"), "conscientiousness": ("성실함", "conscientiousness"),
            "extraversion": ("사람들과 어울리는 즐거움", "enjoying company"), "agreeableness": ("배려심", "consideration for others"),
            "optimism": ("긍정적인 마음", "optimism"), "emotionalStability": ("차분함", "calmness"),
            "adventurousness": ("모험심", "a sense of adventure"), "intellectualCuriosity": ("배움에 대한 열의", "love of learning"),
            "empathy": ("공감하는 마음", "empathy"),
        ]
        guard let name = names[dimension] else { return dimension }
        return language == .ko ? name.0 : name.1
    }

    static func industry(_ raw: String, _ language: InsightLanguage) -> String {
        let names: [String: (String, String)] = [
            "education": ("교육", "education"), "healthcare": ("의료", "healthcare"), "finance": ("금융", "finance"),
            "technology": ("기술", "technology"), "manufacturing": ("제조", "manufacturing"), "public_service": ("공공", "public service"),
            "retail": ("유통", "retail"), "arts": ("예술", "the arts"), "construction": ("건설", "construction"),
            "hospitality": ("서비스", "hospitality"), "self_employed": ("자영업", "running your own business"), "retired": ("은퇴", "retirement"),
        ]
        guard let name = names[raw] else { return raw }
        return language == .ko ? name.0 : name.1
    }

    static func value(_ dimension: String, _ language: InsightLanguage) -> String {
        let names: [String: (String, String)] = [
            "family": ("가족", "family"), "career": ("일", "work"), "freedom": ("자유", "freedom"),
            "security": ("안정", "security"), "growth": ("성장", "growth"), "relationships": ("인간관계", "relationships"),
            "health": ("건강", "health"), "creativity": ("창의성", "creativity"), "spirituality": ("신앙과 마음의 평화", "spirituality"),
            "adventure": ("새로운 경험", "adventure"),
        ]
        guard let name = names[dimension] else { return dimension }
        return language == .ko ? name.0 : name.1
    }
}

extension InsightFacts {
    public static func valueName(_ dimension: String, _ language: InsightLanguage) -> String {
        InsightVocabulary.value(dimension, language)
    }

    /// The breakdown's components by plain name, for a provider to weigh.
    public var namedComponents: [(name: String, score: Int)] {
        [
            ("values", breakdown.valuesAlignment), ("personality", breakdown.personalityFit),
            ("communication", breakdown.communicationStyle), ("lifestyle", breakdown.lifestyleMatch),
            ("children", breakdown.childrenCompatibility), ("sharedInterests", breakdown.sharedInterests),
            ("distance", breakdown.locationCompatibility), ("age", breakdown.ageCompatibility),
            ("occupation", breakdown.occupationCompatibility), ("maritalStatus", breakdown.maritalStatusCompatibility),
        ]
    }
}
