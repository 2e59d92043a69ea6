import Foundation

/// Writes an insight from the compatibility breakdown and the shared traits alone: no network,
/// deterministic (the same pair always reads the same), in plain Korean or English. It is the
/// provider when no external one is configured, and the fallback whenever one fails.
public struct LocalInsightWriter: Sendable {
    public init() {}

    public func write(_ facts: InsightFacts, language: InsightLanguage) -> InsightText {
        InsightText(
            recommendation: recommendation(facts, language),
            conversationStarters: starters(facts, language),
            strengths: strengths(facts, language),
            considerations: considerations(facts, language)
        )
    }

    // MARK: Components in words

    struct Component {
        var score: Int
        var strengthKo: String, strengthEn: String
        var considerationKo: String, considerationEn: String
    }

    func components(_ facts: InsightFacts) -> [Component] {
        let b = facts.breakdown
        return [
            Component(score: b.valuesAlignment, strengthKo: "중요하게 여기는 가치가 잘 맞습니다.", strengthEn: "You value the same things in life.",
                      considerationKo: "중요하게 여기는 것이 다른 부분이 있으니 천천히 이야기 나눠 보세요.", considerationEn: "Some of your priorities differ; take time to talk them through."),
            Component(score: b.personalityFit, strengthKo: "성격이 서로 잘 어울립니다.", strengthEn: "Your temperaments suit each other.",
                      considerationKo: "성격의 결이 달라 서로의 속도를 존중해 주시면 좋겠습니다.", considerationEn: "Your temperaments differ; respect each other's pace."),
            Component(score: b.communicationStyle, strengthKo: "대화하는 방식이 잘 맞습니다.", strengthEn: "You talk in ways that fit together.",
                      considerationKo: "말하는 방식이 달라 오해가 없도록 천천히 대화해 보세요.", considerationEn: "You express yourselves differently; go slowly to avoid misunderstandings."),
            Component(score: b.lifestyleMatch, strengthKo: "생활 리듬이 비슷합니다.", strengthEn: "Your daily rhythms are alike.",
                      considerationKo: "생활 리듬이 달라 서로 맞춰 가는 시간이 필요합니다.", considerationEn: "Your daily rhythms differ and will need some give and take."),
            Component(score: b.childrenCompatibility, strengthKo: "자녀에 대한 생각이 맞습니다.", strengthEn: "You see eye to eye about children.",
                      considerationKo: "자녀에 대한 생각을 일찍 나눠 보시면 좋겠습니다.", considerationEn: "Share your thoughts about children early on."),
            Component(score: b.sharedInterests, strengthKo: "함께 즐길 수 있는 취미가 있습니다.", strengthEn: "You have pastimes to enjoy together.",
                      considerationKo: "취미가 달라 서로의 즐거움을 소개해 주는 재미가 있을 거예요.", considerationEn: "Different pastimes mean new things to show each other."),
            Component(score: b.locationCompatibility, strengthKo: "가까이 사셔서 만나기 편합니다.", strengthEn: "You live close enough to meet easily.",
                      considerationKo: "거리가 있어 만남 계획을 미리 세우시면 좋겠습니다.", considerationEn: "There is some distance; plan meetings ahead."),
            Component(score: b.ageCompatibility, strengthKo: "서로 원하시는 나이대에 맞습니다.", strengthEn: "You are each in the age range the other hoped for.",
                      considerationKo: "원하시던 나이대와 조금 다르니 마음을 열고 만나 보세요.", considerationEn: "The age difference is a little outside what you hoped; keep an open mind."),
        ]
    }

    func strengths(_ facts: InsightFacts, _ language: InsightLanguage) -> [String] {
        let ranked = components(facts).sorted { $0.score > $1.score }
        let strong = ranked.filter { $0.score >= 75 }.prefix(3)
        let chosen = strong.isEmpty ? Array(ranked.prefix(1)) : Array(strong)
        return chosen.map { language == .ko ? $0.strengthKo : $0.strengthEn }
    }

    func considerations(_ facts: InsightFacts, _ language: InsightLanguage) -> [String] {
        components(facts).filter { $0.score < 60 }.sorted { $0.score < $1.score }.prefix(2)
            .map { language == .ko ? $0.considerationKo : $0.considerationEn }
    }

    func recommendation(_ facts: InsightFacts, _ language: InsightLanguage) -> String {
        let strengths = strengths(facts, language)
        let considerations = considerations(facts, language)
        var sentences: [String] = []
        switch language {
        case .ko:
            sentences.append("두 분은 " + strengths.joined(separator: " ").replacingOccurrences(of: "습니다. ", with: "고, ")
                .replacingOccurrences(of: "니다.", with: "니다."))
            if let first = facts.sharedInterests.first {
                sentences.append("\(KoreanParticle.object.attached(to: first)) 함께 즐기시며 자연스럽게 가까워지실 수 있을 거예요.")
            } else if let value = facts.sharedValues.first {
                sentences.append("두 분 모두 \(KoreanParticle.object.attached(to: InsightVocabulary.value(value.dimension, .ko))) 소중히 여기셔서 이야기가 잘 통하실 거예요.")
            }
            sentences.append(considerations.first.map { "다만 " + $0 } ?? "편안한 첫 만남을 가져 보세요.")
        case .en:
            sentences.append("You may suit each other: " + strengths.map { $0.prefix(1).lowercased() + $0.dropFirst() }.joined(separator: " "))
            if let first = facts.sharedInterests.first {
                sentences.append("Enjoying \(first) together could bring you closer naturally.")
            } else if let value = facts.sharedValues.first {
                sentences.append("You both hold \(InsightVocabulary.value(value.dimension, .en)) dear, which gives you much to talk about.")
            }
            sentences.append(considerations.first.map { "One thing to keep in mind: " + $0.prefix(1).lowercased() + $0.dropFirst() }
                ?? "Enjoy a relaxed first meeting.")
        }
        return sentences.joined(separator: " ")
    }

    // MARK: Conversation starters, each about something both share

    func starters(_ facts: InsightFacts, _ language: InsightLanguage) -> [String] {
        var result: [String] = []
        let seed = Self.seed(facts)
        for (index, interest) in facts.sharedInterests.prefix(2).enumerated() {
            result.append(interestStarter(interest, variant: seed &+ UInt64(index), language))
        }
        for value in facts.sharedValues.prefix(2) {
            result.append(valueStarter(value.dimension, language))
        }
        if facts.bothChildrenGrown {
            result.append(language == .ko ? "두 분 모두 자녀분들이 다 자랐네요. 자녀분들이 독립한 뒤 새로 시작해 보신 일이 있으신가요?"
                                           : "Both your children are grown. Did you take up anything new once they left home?")
        } else if facts.bothHaveChildren {
            result.append(language == .ko ? "두 분 모두 자녀가 있으시네요. 자녀분들과 함께하는 시간은 주로 어떻게 보내시나요?"
                                           : "You both have children. How do you like to spend time with them?")
        }
        if facts.bothTravelOften {
            result.append(language == .ko ? "두 분 모두 여행을 자주 다니시네요. 최근 다녀오신 곳 중 다시 가고 싶은 곳은 어디인가요?"
                                           : "You both travel often. Where have you been lately that you would love to revisit?")
        }
        if facts.bothActive {
            result.append(language == .ko ? "두 분 모두 운동을 즐기시네요. 요즘 즐겨 하시는 운동은 무엇인가요?"
                                           : "You both keep active. What exercise do you enjoy most these days?")
        }
        if let city = facts.sharedCity {
            result.append(language == .ko ? "두 분 모두 \(city)에 사시네요. \(city)에서 즐겨 찾는 산책길이나 단골 가게가 있으신가요?"
                                           : "You both live in \(city). Is there a walk or a favourite place there you keep going back to?")
        }
        // Still short: the rest of what they share, most telling first.
        var more: [String] = facts.sharedValues.dropFirst(2).map { valueStarter($0.dimension, language) }
        more += facts.similarViews.map { similarViewStarter($0, language) }
        more += facts.similarTraits.prefix(2).map { trait in
            let name = InsightVocabulary.trait(trait, language)
            return language == .ko ? "두 분은 \(name) 면에서 닮으셨네요. 그런 면이 잘 드러났던 일이 있으신가요?"
                                   : "You are alike in \(name). When has that shown most in your life?"
        }
        if let industry = facts.sharedIndustry {
            let name = InsightVocabulary.industry(industry, language)
            more.append(language == .ko ? "두 분 모두 \(name) 분야에서 지내오셨네요. 그 일을 하시며 가장 보람 있었던 순간은 언제였나요?"
                                         : "You both know the world of \(name). What was the most rewarding moment of it for you?")
        }
        if let bracket = facts.sharedAgeBracket {
            more.append(language == .ko ? "두 분 모두 \(bracket)세 또래시네요. 젊은 시절 즐겨 듣던 노래가 있으신가요?"
                                        : "You are both \(bracket). Which songs from your younger days do you still love?")
        }
        if facts.sameCommunicationStyle {
            more.append(language == .ko ? "두 분은 대화하는 방식이 비슷하세요. 대화가 잘 통한다고 느끼는 순간은 언제인가요?"
                                        : "You have a similar way of conversation. When do you feel a conversation truly flows?")
        }
        // What every pair here shares: both came looking for a companion.
        more.append(language == .ko ? "두 분 모두 새로운 인연을 찾아 오셨네요. 함께하고 싶은 소박한 일상이 있다면 어떤 모습인가요?"
                                    : "You both came here hoping to meet someone. What everyday moment would you most like to share?")
        for starter in more where result.count < 3 { result.append(starter) }
        return Array(result.prefix(5))
    }

    func interestStarter(_ interest: String, variant: UInt64, _ language: InsightLanguage) -> String {
        switch (language, variant % 3) {
        case (.ko, 0): "두 분 모두 \(KoreanParticle.object.attached(to: interest)) 좋아하시네요. 처음 시작하시게 된 계기가 궁금해요."
        case (.ko, 1): "\(KoreanParticle.and.attached(to: interest)) 관련해 요즘 가장 즐거웠던 순간은 언제였나요?"
        case (.ko, _): "함께 \(KoreanParticle.object.attached(to: interest)) 한다면 어디서부터 시작해 보고 싶으세요?"
        case (.en, 0): "You both enjoy \(interest). How did you first get into it?"
        case (.en, 1): "What was your happiest moment with \(interest) lately?"
        case (.en, _): "If you tried \(interest) together, where would you like to start?"
        }
    }

    func valueStarter(_ dimension: String, _ language: InsightLanguage) -> String {
        let name = InsightVocabulary.value(dimension, language)
        return language == .ko
            ? "두 분 모두 \(KoreanParticle.object.attached(to: name)) 중요하게 여기시네요. \(KoreanParticle.and.attached(to: name)) 관련해 요즘 마음을 쓰고 계신 일이 있으신가요?"
            : "You both care about \(name). What does \(name) mean in your life these days?"
    }

    func similarViewStarter(_ dimension: String, _ language: InsightLanguage) -> String {
        let name = InsightVocabulary.value(dimension, language)
        return language == .ko
            ? "\(name)에 대한 두 분의 생각이 비슷하시네요. \(name)에 대해 요즘 어떤 생각을 하고 계신가요?"
            : "You see \(name) in much the same way. What are your thoughts on \(name) these days?"
    }

    /// A number fixed by the pair's facts, so the same pair always gets the same wording.
    static func seed(_ facts: InsightFacts) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (facts.sharedInterests.joined(separator: "|") + facts.ageBrackets.joined()).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
