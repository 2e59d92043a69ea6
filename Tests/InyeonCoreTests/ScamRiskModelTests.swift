import Foundation
@testable import InyeonCore
import Testing

/// The scam-risk model: its features, its file, its training (reproducible) and its judgement
/// with and without the sender's earlier messages.
@Suite struct ScamRiskModelTests {
    static let tinyCorpus: [ScamCorpusConversation] = (0..<12).map { index in
        let scam = index.isMultiple(of: 2)
        return ScamCorpusConversation(
            conversation: "t-\(index)", writer: "test", lang: "en", family: scam ? "story-medical" : "ordinary-meeting",
            kind: scam ? "scam" : "ordinary",
            messages: scam
                ? [
                    .init(from: "them", text: "My son is in hospital abroad and the bill is due \(index).", scam: false),
                    .init(from: "me", text: "I am sorry to hear that.", scam: false),
                    .init(from: "them", text: "Could you wire me \(index)00 dollars today? I will pay you back.", scam: true),
                ]
                : [
                    .init(from: "them", text: "Shall we have coffee near the station on Saturday \(index)?", scam: false),
                    .init(from: "me", text: "Yes, I would like that.", scam: false),
                    .init(from: "them", text: "Great, see you at two. I will bring the book I mentioned.", scam: false),
                ]
        )
    }

    @Test func featuresAreTheSameForTheSameTextAndUnitLengthPerGroup() {
        let first = ScamRiskFeatures("Could you send 300 dollars?", earlier: ["I am stuck abroad."])
        let second = ScamRiskFeatures("Could you send 300 dollars?", earlier: ["I am stuck abroad."])
        #expect(first.slots == second.slots && first.values == second.values)
        #expect(first.slots.allSatisfy { (0..<Int32(ScamRiskFeatures.dimension)).contains($0) })
        // Digits fold to 0, so amounts are alike.
        #expect(ScamRiskFeatures("send 300", earlier: []).slots.sorted() == ScamRiskFeatures("send 500", earlier: []).slots.sorted())
        // The earlier messages add features of their own.
        #expect(first.slots.count > ScamRiskFeatures("Could you send 300 dollars?", earlier: []).slots.count)
    }

    @Test func trainingIsReproducibleAndTheModelFileRoundTrips() throws {
        var settings = ScamRiskTraining.Settings()
        settings.epochs = 5
        settings.folds = 3
        let (first, _) = ScamRiskTraining.train(Self.tinyCorpus, settings: settings)
        let (second, _) = ScamRiskTraining.train(Self.tinyCorpus, settings: settings)
        #expect(first.text == second.text, "the same corpus and seed give the same file")
        let read = try ScamRiskModel(text: first.text)
        #expect(read.threshold == first.threshold && read.scale == first.scale && read.offset == first.offset)
        let features = ScamRiskFeatures("Could you wire me 500 dollars today?", earlier: [])
        #expect(abs(read.risk(features) - first.risk(features)) < 1e-3)
        #expect(first.risk(features) > first.risk(ScamRiskFeatures("See you at two near the station.", earlier: [])))
        #expect(throws: ScamRiskModel.ModelFileError.self) { try ScamRiskModel(text: "not a model") }
    }

    @Test func theShippedModelReadsTheEarlierMessagesAndExplainsAFlag() throws {
        let model = try #require(ScamRiskModel.bundled, "the model file ships with InyeonCore")
        let request = "Whatever you can manage would mean the world to me."
        let story = [
            "My daughter was in a car accident in Lagos and the hospital will not treat her until the bill is settled.",
            "I have not slept for two days. I feel so helpless here.",
        ]
        let alone = model.assess(request)
        let afterStory = model.assess(request, earlier: story)
        #expect(!alone.flagged && afterStory.flagged, "alone \(alone.risk), after the story \(afterStory.risk)")
        #expect(!afterStory.reasons.isEmpty && afterStory.reasons.count <= 5)
        #expect(model.assess("Shall we have coffee near the station on Saturday?").risk < 0.1)
    }
}
