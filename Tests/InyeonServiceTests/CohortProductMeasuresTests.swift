import Foundation
import InyeonCore
import Logging
import PostgresNIO
import Testing

@testable import InyeonService

/// The rollout cohorts' product measures, read from the service's own tables: for people with the
/// feature and without, their likes that became matches or not, their matches with a conversation
/// or not, their messages answered or not, their "we met" answers and their ratings. Arranged in one
/// transaction that is rolled back, so nothing stays in the shared test database.
@Suite struct CohortProductMeasuresTests {
    struct RollBack: Error {}

    @Test func eachMeasureCountsWhatWentBadlyForEachCohort() async throws {
        let flag = FeatureFlag.realTimeChat
        let setting = FlagSetting.percentage(50)
        // Two people with the feature at 50 % and two without, by the sticky bucket.
        var on: [UUID] = [], off: [UUID] = []
        while on.count < 2 || off.count < 2 {
            let id = UUID()
            if setting.isEnabled(flag: flag, subject: id.uuidString.lowercased()) { if on.count < 2 { on.append(id) } } else if off.count < 2 { off.append(id) }
        }
        let (a1, a2, b1, b2) = (on[0], on[1], off[0], off[1])
        // As the owner role (with RLS forced on it too), as the system: the service's own role may not
        // write conversations and messages directly (only through app.send_message, as a person).
        try await TestDatabase.withOwnerClient { client in
            let database = Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey)
            let logger = TestDatabase.logger
            do {
                try await database.transaction(as: .system, logger: logger) { connection in
                    // The step began at this transaction's start: only its own rows are in it.
                    let started = try await connection.query("SELECT now()", logger: logger).decode(Date.self).first { _ in true } ?? Date()
                    for id in [a1, a2, b1, b2] { try await connection.query("INSERT INTO accounts (id) VALUES (\(id))", logger: logger) }
                    func pair(_ x: UUID, _ y: UUID) -> (UUID, UUID) { x.uuidString < y.uuidString ? (x, y) : (y, x) }
                    // A1 and B1 like each other and match, and talk: A1 writes, B1 answers. A2 likes B2: no match yet.
                    for (from, to) in [(a1, b1), (b1, a1), (a2, b2)] {
                        try await connection.query("INSERT INTO likes (from_user_id, to_user_id, kind) VALUES (\(from), \(to), 'like')", logger: logger)
                    }
                    let talked = UUID(), silent = UUID()
                    for (id, people) in [(talked, pair(a1, b1)), (silent, pair(a1, b2))] {
                        try await connection.query(
                            "INSERT INTO matches (id, user_low, user_high) VALUES (\(id), \(people.0), \(people.1))", logger: logger
                        )
                    }
                    try await connection.query("INSERT INTO conversations (match_id, last_sequence) VALUES (\(talked), 2)", logger: logger)
                    for (sequence, sender, body) in [(1, a1, "안녕하세요"), (2, b1, "반갑습니다")] {
                        try await connection.query(
                            """
                            INSERT INTO messages (match_id, sequence, revision, sender_id, client_message_id, body)
                            VALUES (\(talked), \(sequence), \(sequence), \(sender), \("c\(sequence)"), \(body))
                            """,
                            logger: logger
                        )
                    }
                    for (person, met) in [(a1, true), (b1, false)] {
                        try await connection.query(
                            "INSERT INTO meeting_feedback (match_id, user_id, met) VALUES (\(talked), \(person), \(met))", logger: logger
                        )
                    }
                    // Feedback is written by its person only: for a moment, in this transaction, each of them.
                    func act(as identity: RequestIdentity) async throws {
                        let token = TestDatabase.identityKey.token(for: identity, anonymousCards: false, validFor: .seconds(60))
                        try await connection.query("SELECT set_config('app.identity', \(token), true)", logger: logger)
                    }
                    for (person, rating) in [(a2, 5), (b2, 1)] {
                        try await act(as: .user(person))
                        try await connection.query(
                            "INSERT INTO feedback (user_id, topic, rating, phase, flags) VALUES (\(person), 'service', \(rating), 3, '{}')", logger: logger
                        )
                    }
                    try await act(as: .system)
                    let stored = RolloutRepository.Stored(
                        plan: RolloutPlan(flag: flag, steps: [50, 100]), progress: .init(status: .running, step: 0, stepStartedAt: started),
                        reason: nil, updatedAt: started
                    )
                    let measured = try await CohortProductMeasures().measure(stored, on: connection, logger: logger)
                    func expect(_ measure: RolloutPlan.Guardrail.Measure, on: (Int, Int), off: (Int, Int), _ location: SourceLocation = #_sourceLocation) {
                        let found = measured[measure]
                        #expect(found?.on == .init(trials: on.0, events: on.1), "\(measure) with the feature", sourceLocation: location)
                        #expect(found?.off == .init(trials: off.0, events: off.1), "\(measure) without", sourceLocation: location)
                    }
                    // A1's like matched, A2's did not; B1's matched.
                    expect(.likesWithoutMatch, on: (2, 1), off: (1, 0))
                    // A1 and B1 talk; A1 and B2 have not: each person of each match counted.
                    expect(.matchesWithoutConversation, on: (2, 1), off: (2, 1))
                    // A1's message was answered; B1's (the last) was not.
                    expect(.messagesUnanswered, on: (1, 0), off: (1, 1))
                    expect(.meetingsNotHappened, on: (1, 0), off: (1, 1))
                    expect(.lowRatings, on: (1, 0), off: (1, 1))
                    throw RollBack()
                }
            } catch is RollBack {
            } catch {
                Issue.record("\(String(reflecting: error))")
            }
        }
    }

    @Test func aSocketThatBrokeIsADropAndOneClosedByItsPersonIsNot() async throws {
        let counter = CohortCounter()
        let started = Date()
        counter.count([.init(flag: .realTimeChat, started: started, slowRequestMilliseconds: 500)])
        var people: [Bool: UUID] = [:]
        while people.count < 2 {
            let id = UUID()
            people[FlagSetting.percentage(50).isEnabled(flag: .realTimeChat, subject: id.uuidString.lowercased())] = id
        }
        let (with, without) = (people[true]!, people[false]!)
        try await TestDatabase.withAppRoleClient { client in
            // The environment's setting only (never reloaded here).
            let flags = FlagStore(
                defaults: [.realTimeChat: .percentage(50)], database: Database(client: client, poolSize: 1, identityKey: TestDatabase.identityKey),
                logger: TestDatabase.logger
            )
            counter.recordSocketEnd(person: with, dropped: true, flags: flags)
            counter.recordSocketEnd(person: with, dropped: false, flags: flags)
            counter.recordSocketEnd(person: without, dropped: false, flags: flags)
        }
        let batch = counter.take()
        #expect(batch.counts[.init(flag: .realTimeChat, started: started, withFeature: true, measure: .socketDrops)] == .init(trials: 2, events: 1))
        #expect(batch.counts[.init(flag: .realTimeChat, started: started, withFeature: false, measure: .socketDrops)] == .init(trials: 1, events: 0))
    }
}
