import Foundation
import Testing
@testable import InyeonCore

/// A model trained by one instance and loaded by another scores every pair exactly as the original.
struct StoredModelTests {
    static func trainedModel() -> ReciprocalModel {
        var decisions: [LikeDecision] = []
        for from in 0..<40 {
            for to in 0..<12 where (from + to) % 3 != 0 {
                decisions.append(LikeDecision(from: "사람-\(from)", to: "person-\(to)", liked: (from * 7 + to * 3) % 5 < 2))
            }
        }
        return ReciprocalModel.train(
            decisions: decisions, features: { decision in [Double(decision.from.count % 4) / 4, Double(decision.to.count % 3) / 3, 0.1, -0.2] },
            prior: ProfilePairFeatures.prior
        )
    }

    @Test func aLoadedModelScoresEveryPairAsTheOneTrained() throws {
        let model = Self.trainedModel()
        #expect(model.selectivity.count == 40 && model.appeal.count == 12)
        let bytes = model.serialized()
        let loaded = try ReciprocalModel(serialized: bytes)
        #expect(loaded.intercept == model.intercept)
        #expect(loaded.featureWeights == model.featureWeights)
        #expect(loaded.selectivity == model.selectivity)
        #expect(loaded.appeal == model.appeal)
        #expect(loaded.trainingRounds == model.trainingRounds)
        for from in ["사람-3", "사람-39", "new"] {
            for to in ["person-0", "person-11", "new"] {
                let features = [0.5, -0.25, 0.75, 0.1]
                #expect(loaded.likeProbability(from: from, to: to, features: features) == model.likeProbability(from: from, to: to, features: features))
            }
        }
        #expect(loaded.serialized() == bytes, "the same model gives the same bytes")
    }

    @Test func bytesThatAreNotAModelAreRefused() throws {
        let bytes = Self.trainedModel().serialized()
        #expect(throws: ReciprocalModel.Malformed.self) { try ReciprocalModel(serialized: []) }
        #expect(throws: ReciprocalModel.Malformed.self) { try ReciprocalModel(serialized: Array("RM2".utf8) + bytes.dropFirst(3)) }
        #expect(throws: ReciprocalModel.Malformed.self) { try ReciprocalModel(serialized: Array(bytes.dropLast(5))) }
        #expect(throws: ReciprocalModel.Malformed.self) { try ReciprocalModel(serialized: bytes + [0]) }
        // A count that promises more entries than there are bytes.
        var inflated = bytes
        let countOffset = 3 + 8 + 4 + 4 + 8 * 4
        inflated.replaceSubrange(countOffset..<countOffset + 4, with: [0xff, 0xff, 0xff, 0x7f])
        #expect(throws: ReciprocalModel.Malformed.self) { try ReciprocalModel(serialized: inflated) }
        // A term that is not a number.
        var notANumber = bytes
        withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { notANumber.replaceSubrange(3..<11, with: $0) }
        #expect(throws: ReciprocalModel.Malformed.self) { try ReciprocalModel(serialized: notANumber) }
    }

    @Test func anEngineWithALoadedModelDescribesPairsByTheDecisionsOfNow() throws {
        let model = Self.trainedModel()
        let later = [LikeDecision(from: "사람-1", to: "person-2", liked: true), LikeDecision(from: "사람-2", to: "person-2", liked: true)]
        let engine = RecommendationEngine(decisions: later, model: model)
        #expect(engine.decisions.decisions.count == 2)
        #expect(engine.model.appeal == model.appeal)
    }
}
