import InyeonCore
import Testing

/// What a person says after meeting teaches the reciprocal model more than a tap on a card.
@Suite struct AfterMeetingWeightTests {
    static let prior = ReciprocalModel.Prior(likeRate: 0.3, featureWeights: [0])
    static func train(_ decisions: [LikeDecision]) -> ReciprocalModel {
        ReciprocalModel.train(decisions: decisions, features: { _ in [0] }, prior: prior)
    }

    /// Three people liked "x"; three passed "y". One liker of "x" met them and wants to meet again,
    /// one did not: the first raises x's appeal above what a like alone does, the second lowers it.
    @Test func wantingToMeetAgainCountsMoreThanALikeAndNotWantingToTurnsItIntoANo() {
        var plain: [LikeDecision] = []
        for person in ["a", "b", "c"] {
            plain.append(LikeDecision(from: person, to: "x", liked: true))
            plain.append(LikeDecision(from: person, to: "y", liked: false))
        }
        let base = Self.train(plain)
        var confirmed = plain
        confirmed[0] = LikeDecision.like(from: "a", to: "x", wantAgainAfterMeeting: "yes")
        var regretted = plain
        regretted[0] = LikeDecision.like(from: "a", to: "x", wantAgainAfterMeeting: "no")
        var unsure = plain
        unsure[0] = LikeDecision.like(from: "a", to: "x", wantAgainAfterMeeting: "unsure")

        let appeal = { (model: ReciprocalModel) in model.appeal["x"] ?? 0 }
        #expect(confirmed[0].weight == LikeDecision.afterMeetingWeight && confirmed[0].liked)
        #expect(!regretted[0].liked && regretted[0].weight == LikeDecision.afterMeetingWeight)
        #expect(appeal(Self.train(confirmed)) > appeal(base) + 0.05)
        #expect(appeal(Self.train(regretted)) < appeal(base) - 0.3)
        #expect(appeal(Self.train(unsure)) == appeal(base), "unsure leaves the like as it was")
    }
}
