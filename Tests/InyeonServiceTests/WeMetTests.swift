import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
@testable import InyeonService
import PostgresNIO
import Testing

/// "만나 보셨나요?" through HTTP with real PostgreSQL: asked only after a real conversation and some
/// days, answered privately, counted in the operators' funnel, and read by the recommendation
/// engine's training as a stronger signal than a like.
@Suite(.serialized) struct WeMetTests {
    static func asks(_ accounts: AccountHelper, of member: MatchLifecycleTests.Member) async throws -> [String] {
        let response = try await accounts.get("/api/we-met", token: member.token)
        #expect(response.status == .ok, "\(response.text)")
        return (try JSONBody(response)["data"] as? [[String: Any]] ?? []).compactMap { $0["matchId"] as? String }
    }

    @Test func askedAfterARealConversationAnsweredPrivatelyCountedAndLearnedFrom() async throws {
        try await withAccounts(MatchLifecycleTests.overrides) { accounts in
            let pair = try await ChatPair.make(accounts)
            let (her, him) = (pair.first, pair.second)
            let match = UUID(uuidString: pair.conversation)!
            for number in 1...3 {
                try await NotificationTests.send(accounts, pair, from: her, "안녕하세요 \(number)")
                #expect(try await Self.asks(accounts, of: her).isEmpty, "not before a real conversation and some days")
                try await NotificationTests.send(accounts, pair, from: him, "반갑습니다 \(number)")
            }
            #expect(try await Self.asks(accounts, of: her).isEmpty, "three days have not passed")
            try await SessionEndTests.asSystem { connection in
                try await connection.query("UPDATE matches SET matched_at = now() - interval '4 days' WHERE id = \(match)", logger: TestDatabase.logger)
            }
            #expect(try await Self.asks(accounts, of: her) == [pair.conversation])
            #expect(try await Self.asks(accounts, of: him) == [pair.conversation])

            let answered = try await accounts.post("/api/matches/\(pair.conversation)/we-met", ["met": true, "wantAgain": "yes"], token: her.token)
            #expect(answered.status == .ok)
            #expect(try await Self.asks(accounts, of: her).isEmpty)
            #expect(try await Self.asks(accounts, of: him) == [pair.conversation], "his question stays his")
            // Hers alone: he cannot read it, even with raw SQL.
            let seen = try await TestDatabase.withAppRoleClient { client in
                try await Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey)
                    .transaction(as: .user(UUID(uuidString: him.id)!), logger: TestDatabase.logger) { connection in
                        try await connection.query("SELECT count(*)::int FROM meeting_feedback WHERE match_id = \(match)", logger: TestDatabase.logger)
                            .decode(Int.self).reduce(0, +)
                    }
            }
            #expect(seen == 0)
            // Someone else's match cannot be answered.
            let stranger = try await MatchLifecycleTests.member(accounts, "female", name: "남궁희")
            let refused = try await accounts.post("/api/matches/\(pair.conversation)/we-met", ["met": true], token: stranger.token)
            #expect(refused.status == .notFound)
            let invalid = try await accounts.post("/api/matches/\(pair.conversation)/we-met", ["met": "maybe"], token: her.token)
            #expect(invalid.status == .badRequest)

            // The operators' funnel counts it.
            let token = try await OperatorToken.opsRead()
            let funnel = try JSONBody(try await accounts.get("/api/admin/matching-funnel?days=30", token: token))
            #expect((funnel["data.met"] as? Int ?? 0) >= 1 && (funnel["data.wantAgain"] as? Int ?? 0) >= 1)
            #expect((funnel["data.conversations"] as? Int ?? 0) >= 1 && (funnel["data.matches"] as? Int ?? 0) >= 1)

            // The engine's training reads her like with the weight of an answer after meeting.
            let decisions = try await withPostgresClient(try TestDatabase.configuration().databaseURL, logger: TestDatabase.logger) { client in
                try await MatchingRepository(database: Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey))
                    .allDecisions(logger: TestDatabase.logger)
            }
            let hers = try #require(decisions.first { $0.from == her.id && $0.to == him.id })
            #expect(hers.liked && hers.weight == LikeDecision.afterMeetingWeight)
            let his = try #require(decisions.first { $0.from == him.id && $0.to == her.id })
            #expect(his.weight == 1, "he has not answered")
        }
    }

    @Test func theConversationsPageAsksAndThanks() async throws {
        try await withAccounts(MatchLifecycleTests.overrides) { accounts in
            let email = AccountHelper.uniqueEmail("wemet")
            let her = try await MatchLifecycleTests.member(accounts, "female", name: "서정미", email: email)
            let him = try await MatchLifecycleTests.member(accounts, "male", name: "조현우")
            _ = try await MatchLifecycleTests.decide(accounts, her, "like", about: him)
            let matched = try await MatchLifecycleTests.decide(accounts, him, "like", about: her)
            let pair = ChatPair(first: her, second: him, conversation: try #require(matched["data.matchId"] as? String))
            for number in 1...3 {
                try await NotificationTests.send(accounts, pair, from: her, "안녕하세요 \(number)")
                try await NotificationTests.send(accounts, pair, from: him, "반갑습니다 \(number)")
            }
            try await SessionEndTests.asSystem { connection in
                try await connection.query(
                    "UPDATE matches SET matched_at = now() - interval '4 days' WHERE id = \(UUID(uuidString: pair.conversation)!)", logger: TestDatabase.logger
                )
            }
            let browser = WebPageTests.Browser(accounts.client)
            _ = try await browser.get("/login")
            _ = try await browser.post("/login", [("_csrf", browser.csrf), ("email", email), ("password", "a calm morning walk")])
            let page = try await browser.get("/matches")
            #expect(page.text.contains(#"id="we-met-\#(pair.conversation)""#) && page.text.contains("조현우님과 직접 만나 보셨나요?"))
            let answered = try await browser.post("/matches/\(pair.conversation)/we-met", [("_csrf", browser.csrf), ("met", "no")])
            #expect(answered.status == .seeOther && answered.headers[.location] == "/matches?thanks=1")
            let after = try await browser.get("/matches?thanks=1")
            #expect(after.text.contains(#"id="we-met-thanks""#) && !after.text.contains(#"id="we-met-\#(pair.conversation)""#))
        }
    }
}
