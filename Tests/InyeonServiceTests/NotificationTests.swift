import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import Logging
import PostgresNIO
import Testing

/// Notifications through HTTP with real PostgreSQL: in-app notices written by the database for a
/// like, a match and new messages, hidden across a block; and the notification mails, written by
/// the mailer under an injected clock: a match at once, a message digest outside the quiet hours
/// and at most once per conversation in the gap, and a one-click unsubscribe that holds.
@Suite(.serialized) struct NotificationTests {
    /// The app's own mailer looks only at start; the tests drive one with their own clock.
    static let overrides = MatchLifecycleTests.overrides.merging(["NOTIFY_INTERVAL": "1h", "MAIL_POLL_INTERVAL": "200ms"]) { $1 }

    static func notices(_ accounts: AccountHelper, of member: MatchLifecycleTests.Member) async throws -> (unread: Int, list: [[String: Any]]) {
        let response = try await accounts.get("/api/notifications", token: member.token)
        #expect(response.status == .ok, "\(response.text)")
        let body = try JSONBody(response)
        return (body["data.unreadCount"] as? Int ?? -1, body["data.notifications"] as? [[String: Any]] ?? [])
    }

    static func kinds(_ list: [[String: Any]]) -> [String] { list.compactMap { $0["kind"] as? String } }

    static func send(_ accounts: AccountHelper, _ pair: ChatPair, from member: MatchLifecycleTests.Member, _ text: String) async throws {
        let sent = try await accounts.post(
            "/api/conversations/\(pair.conversation)/messages", ["clientId": UUID().uuidString, "text": text], token: member.token
        )
        #expect(sent.status == .created || sent.status == .ok, "\(sent.text)")
    }

    @Test func aLikeAMatchAndMessagesAreNoticedInTheAppAndABlockHidesThem() async throws {
        try await withAccounts(Self.overrides) { accounts in
            let her = try await MatchLifecycleTests.member(accounts, "female", name: "김정숙")
            let him = try await MatchLifecycleTests.member(accounts, "male", name: "박영수")
            _ = try await MatchLifecycleTests.decide(accounts, him, "like", about: her)
            var mine = try await Self.notices(accounts, of: her)
            #expect(mine.unread == 1 && Self.kinds(mine.list) == ["like"])
            #expect(((mine.list.first?["user"] as? [String: Any])?["name"] as? String) == "박영수")
            #expect(try await Self.notices(accounts, of: him).unread == 0)

            // She likes back: a match for both, and her like notice is answered.
            let matched = try await MatchLifecycleTests.decide(accounts, her, "like", about: him)
            let conversation = try #require(matched["data.matchId"] as? String)
            mine = try await Self.notices(accounts, of: her)
            #expect(mine.unread == 1 && Self.kinds(mine.list) == ["match", "like"])
            #expect(Self.kinds(try await Self.notices(accounts, of: him).list) == ["match"])

            // Two messages: one notice that counts them; reading the conversation reads it.
            let pair = ChatPair(first: her, second: him, conversation: conversation)
            try await Self.send(accounts, pair, from: him, "안녕하세요, 반갑습니다.")
            try await Self.send(accounts, pair, from: him, "주말에 산책 좋아하세요?")
            mine = try await Self.notices(accounts, of: her)
            let message = try #require(mine.list.first)
            #expect(message["kind"] as? String == "message" && message["count"] as? Int == 2 && message["matchId"] as? String == conversation)
            let read = try await accounts.post("/api/conversations/\(conversation)/read", ["sequence": 2], token: her.token)
            #expect(read.status == .ok)
            #expect(try await Self.notices(accounts, of: her).list.first?["read"] as? Bool == true)
            // Marking all read.
            #expect(try await accounts.post("/api/notifications/read", [:], token: her.token).status == .ok)
            #expect(try await Self.notices(accounts, of: her).unread == 0)

            // He blocks her: her notices about him are gone at once.
            try await Self.send(accounts, pair, from: him, "혹시 시간 되세요?")
            #expect(try await Self.notices(accounts, of: her).unread == 1)
            #expect(try await accounts.post("/api/blocks", ["userId": her.id], token: him.token).status == .ok)
            mine = try await Self.notices(accounts, of: her)
            #expect(mine.unread == 0 && mine.list.isEmpty)
        }
    }

    /// Mails written to the outbox for `email` (other tests' notices may be mailed by the same call).
    static func mailsWritten(to email: String) async throws -> Int {
        try await MailDeliveryTests.outboxRows(to: email).count
    }

    /// The next moment at `hour`:00 Korean time after `date`.
    static func next(hour: Int, after date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Seoul")!
        return calendar.nextDate(after: date, matching: DateComponents(hour: hour, minute: 0), matchingPolicy: .nextTime)!
    }

    @Test func mailsGoAtOnceForAMatchAndAsADigestOutsideQuietHoursAndStopWhenUnsubscribed() async throws {
        try await withAccounts(Self.overrides) { accounts in
            let configuration = try TestDatabase.configuration()
            let pair = try await ChatPair.make(accounts)
            let (her, him) = (pair.first, pair.second)
            let herEmail = try await SessionEndTests.email(of: her)
            let clock = TestClock(Self.next(hour: 23, after: Date().addingTimeInterval(20 * 60)))
            try await withPostgresClient(configuration.databaseURL, logger: TestDatabase.logger) { client in
                let database = Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey)
                let sealer = try DataSealer(base64Key: configuration.secrets.dataEncryptionKey)
                let mailer = NotificationMailer(
                    database: database, outbox: MailOutbox(database: database, sealer: sealer, domain: "localhost"),
                    unsubscribe: UnsubscribeLinks(sealer: sealer), publicBaseURL: "http://localhost",
                    settings: .init(interval: .seconds(3600), messageDelay: .seconds(15 * 60), digestGap: .seconds(3 * 3600)),
                    now: { clock.now }, logger: TestDatabase.logger
                )
                // The match: mailed at once, even at 23:00, to both, once.
                _ = try await mailer.mailDue()
                #expect(try await Self.mailsWritten(to: herEmail) == 2, "the sign-up's and the match's")
                let matchMail = try #require(try await accounts.mails(to: herEmail, atLeast: 2).last)
                #expect(MailDeliveryTests.decodedHeader("Subject", in: matchMail) == "[인연] 박영수님과 서로 관심을 보이셨습니다")
                #expect(matchMail.contains("\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n"))
                let unsubscribe = try #require(matchMail.replacingOccurrences(of: "\n ", with: " ")
                    .firstMatch(of: /List-Unsubscribe: <http:\/\/localhost(\/unsubscribe\?[^>]+)>/)?.1)
                _ = try await mailer.mailDue()
                #expect(try await Self.mailsWritten(to: herEmail) == 2, "each notice is mailed once")

                // Two messages at 23:00: quiet hours, so nothing tonight.
                try await Self.send(accounts, pair, from: him, "오늘 하루 어떠셨어요?")
                try await Self.send(accounts, pair, from: him, "내일 날씨가 좋대요.")
                clock.now = clock.now.addingTimeInterval(30 * 60)
                _ = try await mailer.mailDue()
                #expect(try await Self.mailsWritten(to: herEmail) == 2, "quiet hours")
                // 09:00: one digest, without the messages' text.
                clock.now = Self.next(hour: 9, after: clock.now)
                _ = try await mailer.mailDue()
                #expect(try await Self.mailsWritten(to: herEmail) == 3, "one digest at \(clock.now)")
                let digest = try #require(try await accounts.mails(to: herEmail, atLeast: 3).last)
                #expect(MailDeliveryTests.decodedHeader("Subject", in: digest) == "[인연] 박영수님이 메시지 2개를 보냈습니다")
                #expect(!digest.contains("날씨"), "the mail never carries the messages' text")
                // More messages, read, then more: within the gap no second mail; after it, one.
                try await Self.send(accounts, pair, from: him, "점심은 드셨어요?")
                #expect(try await accounts.post("/api/conversations/\(pair.conversation)/read", ["sequence": 3], token: her.token).status == .ok)
                try await Self.send(accounts, pair, from: him, "답장 기다릴게요.")
                clock.now = clock.now.addingTimeInterval(3600)
                _ = try await mailer.mailDue()
                #expect(try await Self.mailsWritten(to: herEmail) == 3, "at most one mail per conversation in three hours")
                clock.now = clock.now.addingTimeInterval(3 * 3600)
                _ = try await mailer.mailDue()
                #expect(try await Self.mailsWritten(to: herEmail) == 4)

                // One click (RFC 8058) turns message mails off; the in-app notice stays.
                var oneClick = try await accounts.client.execute(
                    uri: String(unsubscribe).replacingOccurrences(of: "k=match", with: "k=message"), method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "List-Unsubscribe=One-Click")
                )
                #expect(oneClick.status == .badRequest, "a link's signature covers its kind: it cannot be edited into another")
                let messageLink = try #require(try await accounts.mails(to: herEmail, atLeast: 4).last?.replacingOccurrences(of: "\n ", with: " ")
                    .firstMatch(of: /List-Unsubscribe: <http:\/\/localhost(\/unsubscribe\?[^>]+)>/)?.1)
                oneClick = try await accounts.client.execute(
                    uri: String(messageLink), method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "List-Unsubscribe=One-Click")
                )
                #expect(oneClick.status == .ok)
                let settings = try await accounts.get("/api/me/notification-settings", token: her.token)
                #expect(try JSONBody(settings)["data.message"] as? Bool == false && JSONBody(settings)["data.match"] as? Bool == true)
                #expect(try await accounts.post("/api/conversations/\(pair.conversation)/read", ["sequence": 4], token: her.token).status == .ok)
                try await Self.send(accounts, pair, from: him, "잘 지내시죠?")
                clock.now = clock.now.addingTimeInterval(4 * 3600)
                _ = try await mailer.mailDue()
                #expect(try await Self.mailsWritten(to: herEmail) == 4, "unsubscribed")
                let newest = try await Self.notices(accounts, of: her).list.first
                #expect(newest?["kind"] as? String == "message" && newest?["read"] as? Bool == false, "the app still tells her")
            }
        }
    }

    @Test func aLikeAboutToLapseIsNoticedOnce() async throws {
        try await withAccounts(Self.overrides) { accounts in
            let configuration = try TestDatabase.configuration()
            let her = try await MatchLifecycleTests.member(accounts, "female", name: "문숙자")
            let him = try await MatchLifecycleTests.member(accounts, "male", name: "강대호")
            _ = try await MatchLifecycleTests.decide(accounts, him, "like", about: her)
            try await withPostgresClient(configuration.databaseURL, logger: TestDatabase.logger) { client in
                let database = Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey)
                let sealer = try DataSealer(base64Key: configuration.secrets.dataEncryptionKey)
                let clock = TestClock(Date())
                let mailer = NotificationMailer(
                    database: database, outbox: MailOutbox(database: database, sealer: sealer, domain: "localhost"),
                    unsubscribe: UnsubscribeLinks(sealer: sealer), publicBaseURL: "http://localhost", now: { clock.now }, logger: TestDatabase.logger
                )
                _ = try await mailer.noticeExpiringLikes()
                #expect(Self.kinds(try await Self.notices(accounts, of: her).list) == ["like"], "a week away: nothing yet")
                clock.now = Date().addingTimeInterval(6.5 * 86400)
                _ = try await mailer.noticeExpiringLikes()
                _ = try await mailer.noticeExpiringLikes()
                let notices = try await Self.notices(accounts, of: her)
                #expect(Self.kinds(notices.list) == ["like_expiring", "like"], "once")
                #expect(((notices.list.first?["user"] as? [String: Any])?["name"] as? String) == "강대호")
            }
        }
    }

    @Test func noMailTellsAnyoneAboutSomeoneAcrossABlock() async throws {
        try await withAccounts(Self.overrides) { accounts in
            let configuration = try TestDatabase.configuration()
            let pair = try await ChatPair.make(accounts)
            let herEmail = try await SessionEndTests.email(of: pair.first)
            try await Self.send(accounts, pair, from: pair.second, "오늘 시간 괜찮으세요?")
            // She blocks him before any mail went: neither the match nor his message is mailed to her.
            #expect(try await accounts.post("/api/blocks", ["userId": pair.second.id], token: pair.first.token).status == .ok)
            let clock = TestClock(Self.next(hour: 10, after: Date().addingTimeInterval(20 * 60)))
            try await withPostgresClient(configuration.databaseURL, logger: TestDatabase.logger) { client in
                let database = Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey)
                let sealer = try DataSealer(base64Key: configuration.secrets.dataEncryptionKey)
                let mailer = NotificationMailer(
                    database: database, outbox: MailOutbox(database: database, sealer: sealer, domain: "localhost"),
                    unsubscribe: UnsubscribeLinks(sealer: sealer), publicBaseURL: "http://localhost", now: { clock.now }, logger: TestDatabase.logger
                )
                _ = try await mailer.mailDue()
            }
            #expect(try await Self.mailsWritten(to: herEmail) == 1, "only her sign-up's")
            let hisEmail = try await SessionEndTests.email(of: pair.second)
            #expect(try await Self.mailsWritten(to: hisEmail) == 1, "nor to him about her")
        }
    }
}

/// A clock a test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ start: Date) { value = start }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
