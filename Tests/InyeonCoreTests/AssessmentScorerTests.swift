import InyeonCore
import Testing

@Suite struct AssessmentScorerTests {
    let dimensions = Set(AssessmentScorer.personalityDimensions + AssessmentScorer.valueDimensions)

    func answers(_ choice: (AssessmentQuestion) -> String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: AssessmentCatalog.questions.map { ($0.id, choice($0)) })
    }

    @Test func theCatalogHasTwentyQuestionsMovingKnownDimensionsBothWays() {
        let questions = AssessmentCatalog.questions
        #expect(questions.count == 20)
        #expect(Set(questions.map(\.id)).count == 20)
        var directions: [String: Set<Int>] = [:]
        for question in questions {
            #expect(question.options.count == 4)
            #expect(!question.korean.isEmpty && !question.english.isEmpty)
            for option in question.options {
                #expect(!option.effects.isEmpty)
                for (dimension, effect) in option.effects {
                    #expect(dimensions.contains(dimension), "\(dimension) in \(question.id)")
                    directions[dimension, default: []].insert(effect.signum())
                }
            }
        }
        let movedDown = directions.filter { $0.value.contains(-1) }.keys
        #expect(movedDown.count >= 8, "answers lower scores as well as raise them")
    }

    @Test func answersMoveScoresAndAllScoresStayInRange() throws {
        let first = try AssessmentScorer.score(answers { $0.options[0].id })
        let third = try AssessmentScorer.score(answers { $0.options[2].id })
        #expect(first.values["family"]! > 50)
        #expect(first.values != third.values)
        for score in first.values.values.map({ $0 }) + first.personality.values.map({ $0 }) {
            #expect((0...100).contains(score))
        }
        #expect(first.communicationStyle == .direct)
        #expect(third.communicationStyle == .supportive)
    }

    @Test func inconsistentAnsweringLowersReliability() throws {
        // Consistently outgoing: talks first, sees people at weekends, talks out stress, many friends.
        var outgoing = answers { $0.options[1].id }
        outgoing["meeting_people"] = "a"
        outgoing["stress"] = "b"
        let consistent = try AssessmentScorer.score(outgoing)
        // The same person, but shy where it counts: takes time with strangers, rests alone, few friends.
        var mixed = outgoing
        mixed["meeting_people"] = "c"
        mixed["stress"] = "a"
        mixed["friendship"] = "a"
        let inconsistent = try AssessmentScorer.score(mixed)
        #expect(inconsistent.reliability < consistent.reliability)
        #expect((0...1).contains(inconsistent.reliability))
    }

    @Test func everyQuestionOnceWithKnownOptions() {
        var incomplete = answers { $0.options[0].id }
        incomplete["money"] = nil
        #expect(throws: AssessmentScorer.Problem.unanswered(["money"])) { try AssessmentScorer.score(incomplete) }
        var unknown = answers { $0.options[0].id }
        unknown["money"] = "z"
        #expect(throws: AssessmentScorer.Problem.unknownOption(question: "money", option: "z")) { try AssessmentScorer.score(unknown) }
        var extra = answers { $0.options[0].id }
        extra["favourite_colour"] = "a"
        #expect(throws: AssessmentScorer.Problem.unknownQuestion("favourite_colour")) { try AssessmentScorer.score(extra) }
    }
}
