import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import PostgresNIO
import Testing

/// "나에게 관심 보낸 분" and "내가 관심 보낸 분" through HTTP with real PostgreSQL: a like becomes
/// readable by its receiver (never a pass), answering it from the list makes the match, a like can be
/// withdrawn, and a block hides it both ways at once, under row-level security.
@Suite struct InterestListsTests {
    typealias Member = MatchLifecycleTests.Member

    static func list(_ accounts: AccountHelper, _ which: String, of member: Member) async throws -> [[String: Any]] {
        let response = try await accounts.get("/api/likes/\(which)", token: member.token)
        #expect(response.status == .ok, "\(response.text)")
        return try JSONBody(response)["data"] as? [[String: Any]] ?? []
    }

    static func ids(_ list: [[String: Any]]) -> [String] {
        list.compactMap { ($0["user"] as? [String: Any])?["id"] as? String }
    }

    /// The likes `member` can read with raw SQL as themself, sent to them by `sender`.
    static func rawLikes(to member: Member, from sender: Member) async throws -> Int {
        try await TestDatabase.withAppRoleClient { client in
            try await Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey)
                .transaction(as: .user(UUID(uuidString: member.id)!), logger: TestDatabase.logger) { connection in
                    try await connection.query(
                        "SELECT count(*)::int FROM likes WHERE from_user_id = \(UUID(uuidString: sender.id)!)", logger: TestDatabase.logger
                    ).decode(Int.self).reduce(0, +)
                }
        }
    }

    @Test func aLikeIsShownToItsReceiverWhoCanAnswerItThere() async throws {
        try await withAccounts(MatchLifecycleTests.overrides) { accounts in
            let her = try await MatchLifecycleTests.member(accounts, "female", name: "김정숙")
            let him = try await MatchLifecycleTests.member(accounts, "male", name: "박영수")
            let other = try await MatchLifecycleTests.member(accounts, "male", name: "이준호")
            _ = try await MatchLifecycleTests.decide(accounts, him, "like", about: her)
            _ = try await MatchLifecycleTests.decide(accounts, other, "super_like", about: her)

            let received = try await Self.list(accounts, "received", of: her)
            #expect(Self.ids(received) == [other.id, him.id], "the super-like first")
            #expect(received.first?["kind"] as? String == "super_like" && received.last?["kind"] as? String == "like")
            #expect((received.last?["user"] as? [String: Any])?["name"] as? String == "박영수")
            let expires = try #require(received.last?["expiresAt"] as? String).prefix(10)
            let inSevenDays = ISO8601DateFormatter().string(from: Date().addingTimeInterval(7 * 86400)).prefix(10)
            #expect(expires == inSevenDays, "a like lasts seven days")
            #expect(Self.ids(try await Self.list(accounts, "sent", of: him)) == [her.id])
            #expect(try await Self.list(accounts, "sent", of: her).isEmpty)

            // She answers from the list: a match, and both lists move on.
            let matched = try await MatchLifecycleTests.decide(accounts, her, "like", about: him)
            #expect(matched["data.matched"] as? Bool == true)
            #expect(Self.ids(try await Self.list(accounts, "received", of: her)) == [other.id])
            #expect(try await Self.list(accounts, "sent", of: him).isEmpty)
            // She passes the other: gone from her list, and he is never told.
            _ = try await MatchLifecycleTests.decide(accounts, her, "pass", about: other)
            #expect(try await Self.list(accounts, "received", of: her).isEmpty)
            #expect(Self.ids(try await Self.list(accounts, "sent", of: other)) == [her.id], "still waiting, as far as he can tell")
            #expect(try await Self.rawLikes(to: other, from: her) == 0, "a pass is never readable by its receiver")
        }
    }

    @Test func aLikeCanBeWithdrawnAndABlockHidesItBothWaysAtOnce() async throws {
        try await withAccounts(MatchLifecycleTests.overrides) { accounts in
            let her = try await MatchLifecycleTests.member(accounts, "female", name: "최영희")
            let him = try await MatchLifecycleTests.member(accounts, "male", name: "정민수")
            _ = try await MatchLifecycleTests.decide(accounts, him, "like", about: her)
            #expect(try await Self.rawLikes(to: her, from: him) == 1)

            let withdrawn = try await accounts.client.execute(uri: "/api/likes/\(her.id)", method: .delete, headers: [.authorization: "Bearer \(him.token)"])
            #expect(withdrawn.status == .ok)
            #expect(try await Self.list(accounts, "received", of: her).isEmpty)
            #expect(try await Self.rawLikes(to: her, from: him) == 0)
            #expect(try await NotificationTests.notices(accounts, of: her).list.isEmpty, "the notice went with the like: nothing tells her")
            let again = try await accounts.client.execute(uri: "/api/likes/\(her.id)", method: .delete, headers: [.authorization: "Bearer \(him.token)"])
            #expect(again.status == .notFound)

            // Liked again, then she blocks him: neither sees it any more, at once.
            _ = try await MatchLifecycleTests.decide(accounts, him, "like", about: her)
            #expect(Self.ids(try await Self.list(accounts, "received", of: her)) == [him.id])
            let blocked = try await accounts.post("/api/blocks", ["userId": him.id], token: her.token)
            #expect(blocked.status == .ok)
            #expect(try await Self.list(accounts, "received", of: her).isEmpty)
            #expect(try await Self.rawLikes(to: her, from: him) == 0, "RLS hides it, not only the list")
            #expect(try await Self.list(accounts, "sent", of: him).isEmpty)
        }
    }

    @Test func thePageListsBothAndAnswersAndWithdraws() async throws {
        try await withAccounts(MatchLifecycleTests.overrides) { accounts in
            let email = AccountHelper.uniqueEmail("page")
            let her = try await MatchLifecycleTests.member(accounts, "female", name: "한미경", email: email)
            let him = try await MatchLifecycleTests.member(accounts, "male", name: "오성훈")
            let other = try await MatchLifecycleTests.member(accounts, "male", name: "윤재석")
            _ = try await MatchLifecycleTests.decide(accounts, him, "like", about: her)
            _ = try await MatchLifecycleTests.decide(accounts, her, "like", about: other)

            let browser = WebPageTests.Browser(accounts.client)
            _ = try await browser.get("/login")
            let login = try await browser.post("/login", [("_csrf", browser.csrf), ("email", email), ("password", "a calm morning walk")])
            #expect(login.status == .seeOther)
            let page = try await browser.get("/likes")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"id="received-\#(him.id)""#) && page.text.contains("오성훈"))
            #expect(page.text.contains(#"id="sent-\#(other.id)""#) && page.text.contains("윤재석"))
            #expect(try await browser.get("/notifications").text.contains(#"href="/likes""#), "reached from 알림 in the menu")
            // Withdraw her waiting like, then answer his from the list: a match.
            let withdrawn = try await browser.post("/likes/\(other.id)/withdraw", [("_csrf", browser.csrf)])
            #expect(withdrawn.status == .seeOther && withdrawn.headers[.location] == "/likes?notice=withdrawn")
            #expect(try await Self.list(accounts, "received", of: other).isEmpty)
            let answered = try await browser.post("/likes/decide", [("_csrf", browser.csrf), ("userId", him.id), ("decision", "like")])
            #expect(answered.status == .seeOther && answered.headers[.location]?.hasPrefix("/matches?new=") == true)
            let after = try await browser.get("/likes")
            #expect(!after.text.contains(#"id="received-\#(him.id)""#) && !after.text.contains(#"id="sent-\#(other.id)""#))
        }
    }
}
