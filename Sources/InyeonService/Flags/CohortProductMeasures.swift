import Foundation
import InyeonCore
import Logging
import PostgresNIO

/// The product measures of a rollout's two cohorts, from the service's own tables: of what people
/// did during the step (their likes, their matches, their messages, their "we met" answers, their
/// feedback), how much went badly, split by whether the flag is on for them (the same sticky
/// bucket every evaluation uses, at the plan's percentage). Each is a rate of bad events, so the
/// same sequential test judges it as it judges server errors.
///
/// The cost does not grow with the membership: each measure reads at most `sample` of the step's
/// newest rows, through an index on their time.
struct CohortProductMeasures: Sendable {
    /// The most rows one measure reads (the newest of the step).
    var sample = 5_000

    typealias Cohorts = (on: SequentialGuardrail.Counts, off: SequentialGuardrail.Counts)

    /// Every product measure for `stored`'s current step, as the system (they read people's rows).
    func measure(_ stored: RolloutRepository.Stored, on connection: DatabaseConnection, logger: Logger) async throws
        -> [RolloutPlan.Guardrail.Measure: Cohorts] {
        let flag = stored.plan.flag, setting = stored.setting, since = stored.progress.stepStartedAt
        var cohorts: [RolloutPlan.Guardrail.Measure: Cohorts] = [:]
        func add(_ measure: RolloutPlan.Guardrail.Measure, person: UUID, bad: Bool) {
            var pair = cohorts[measure] ?? (.init(trials: 0, events: 0), .init(trials: 0, events: 0))
            let withFeature = setting.isEnabled(flag: flag, subject: person.uuidString.lowercased())
            if withFeature {
                pair.on.trials += 1
                if bad { pair.on.events += 1 }
            } else {
                pair.off.trials += 1
                if bad { pair.off.events += 1 }
            }
            cohorts[measure] = pair
        }
        // Likes that have not (yet) become a match, by who liked.
        for try await (person, matched) in try await connection.query(
            """
            SELECT l.from_user_id, m.id IS NOT NULL FROM (
                SELECT from_user_id, to_user_id FROM likes WHERE kind IN ('like', 'super_like') AND decided_at >= \(since)
                ORDER BY decided_at DESC LIMIT \(sample)
            ) AS l
            LEFT JOIN matches m ON m.user_low = least(l.from_user_id, l.to_user_id) AND m.user_high = greatest(l.from_user_id, l.to_user_id)
            """,
            logger: logger
        ).decode((UUID, Bool).self) {
            add(.likesWithoutMatch, person: person, bad: !matched)
        }
        // Matches with no message yet, for each of the two people.
        for try await (low, high, talked) in try await connection.query(
            """
            SELECT m.user_low, m.user_high, coalesce(c.last_sequence, 0) > 0 FROM (
                SELECT id, user_low, user_high FROM matches WHERE matched_at >= \(since) ORDER BY matched_at DESC LIMIT \(sample)
            ) AS m LEFT JOIN conversations c ON c.match_id = m.id
            """,
            logger: logger
        ).decode((UUID, UUID, Bool).self) {
            add(.matchesWithoutConversation, person: low, bad: !talked)
            add(.matchesWithoutConversation, person: high, bad: !talked)
        }
        // Messages the other person has not answered, by who sent them.
        for try await (sender, answered) in try await connection.query(
            """
            SELECT msg.sender_id, EXISTS (
                SELECT 1 FROM messages reply WHERE reply.match_id = msg.match_id AND reply.sequence > msg.sequence AND reply.sender_id <> msg.sender_id
            ) FROM (
                SELECT match_id, sequence, sender_id FROM messages WHERE sent_at >= \(since) AND deleted_at IS NULL
                ORDER BY sent_at DESC LIMIT \(sample)
            ) AS msg
            """,
            logger: logger
        ).decode((UUID, Bool).self) {
            add(.messagesUnanswered, person: sender, bad: !answered)
        }
        for try await (person, met) in try await connection.query(
            "SELECT user_id, met FROM meeting_feedback WHERE answered_at >= \(since) ORDER BY answered_at DESC LIMIT \(sample)", logger: logger
        ).decode((UUID, Bool).self) {
            add(.meetingsNotHappened, person: person, bad: !met)
        }
        for try await (person, rating) in try await connection.query(
            """
            SELECT user_id, rating FROM feedback WHERE created_at >= \(since) AND user_id IS NOT NULL ORDER BY created_at DESC LIMIT \(sample)
            """,
            logger: logger
        ).decode((UUID, Int).self) {
            add(.lowRatings, person: person, bad: rating <= 2)
        }
        return cohorts
    }
}
