import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Notification mails, written to the outbox with the notice they are about marked as mailed, in
/// one transaction: a new match at once; unread messages as a digest, after `messageDelay` (time to
/// read them in the app), at most one mail per conversation per `digestGap`, and never in the quiet
/// hours (22:00-08:00 Korean time). Each obeys its person's switch for its kind, carries a one-click
/// unsubscribe (RFC 8058), says nothing the person could not see in the app (a name they matched
/// with, how many messages, never their text), and none is about someone across a block.
/// Any number of instances run it: `FOR UPDATE SKIP LOCKED` gives each notice to one.
final class NotificationMailer: Service, Sendable {
    struct Settings: Sendable, Equatable {
        var interval: Duration = .seconds(30)
        var messageDelay: Duration = .seconds(15 * 60)
        var digestGap: Duration = .seconds(3 * 3600)
    }

    private let database: Database
    private let outbox: MailOutbox
    private let unsubscribe: UnsubscribeLinks
    private let publicBaseURL: String
    private let settings: Settings
    private let now: @Sendable () -> Date
    private let logger: Logger

    init(
        database: Database, outbox: MailOutbox, unsubscribe: UnsubscribeLinks, publicBaseURL: String, settings: Settings = Settings(),
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) {
        self.database = database
        self.outbox = outbox
        self.unsubscribe = unsubscribe
        self.publicBaseURL = publicBaseURL
        self.settings = settings
        self.now = now
        self.logger = logger
    }

    func run() async throws {
        await runPeriodically(every: settings.interval, logger: logger, failure: "notification mails could not be written") {
            try await self.noticeExpiringLikes()
            try await self.mailDue()
        }
    }

    /// 22:00 to 08:00 in Korea: no digest is sent.
    static func isQuiet(_ date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Seoul") ?? .gmt
        let hour = calendar.component(.hour, from: date)
        return hour >= 22 || hour < 8
    }

    /// Tells each person, once, about a like to them that lapses within a day and that they have not
    /// answered (in the app only; there is no mail for it). Returns how many notices were written.
    @discardableResult
    func noticeExpiringLikes() async throws -> Int {
        let now = self.now()
        return try await database.transaction(as: .system, logger: logger) { [self] connection in
            try await connection.query(
                """
                INSERT INTO notifications (user_id, kind, actor_id)
                SELECT l.to_user_id, 'like_expiring', l.from_user_id FROM likes l
                WHERE l.kind IN ('like', 'super_like') AND l.expires_at > \(now) AND l.expires_at <= \(now) + interval '1 day'
                  AND NOT EXISTS (SELECT 1 FROM likes answer WHERE answer.from_user_id = l.to_user_id AND answer.to_user_id = l.from_user_id)
                  AND NOT EXISTS (
                      SELECT 1 FROM matches m WHERE m.user_low = least(l.from_user_id, l.to_user_id) AND m.user_high = greatest(l.from_user_id, l.to_user_id)
                  )
                  AND NOT EXISTS (
                      SELECT 1 FROM notifications n
                      WHERE n.user_id = l.to_user_id AND n.actor_id = l.from_user_id AND n.kind = 'like_expiring' AND n.created_at >= l.decided_at
                  )
                  AND NOT EXISTS (
                      SELECT 1 FROM blocks b
                      WHERE (b.blocker_id = l.to_user_id AND b.blocked_id = l.from_user_id) OR (b.blocker_id = l.from_user_id AND b.blocked_id = l.to_user_id)
                  )
                ON CONFLICT DO NOTHING
                RETURNING 1
                """,
                logger: logger
            ).collect().count
        }
    }

    /// Writes the mails that are due now; returns how many.
    @discardableResult
    func mailDue() async throws -> Int {
        let now = self.now()
        let quiet = Self.isQuiet(now)
        let delay = settings.messageDelay.seconds, gap = settings.digestGap.seconds
        return try await database.transaction(as: .system, logger: logger) { [self] connection in
            var due: [(Int64, String, UUID, UUID?, Int, String, String)] = []
            for try await row in try await connection.query(
                """
                SELECT n.id, n.kind, n.user_id, n.match_id, n.count, p.email, coalesce(actor.display_name, '')
                FROM notifications n
                JOIN private_profiles p ON p.user_id = n.user_id
                JOIN accounts a ON a.id = n.user_id AND a.status = 'active'
                LEFT JOIN profiles actor ON actor.user_id = n.actor_id
                WHERE n.mailed_at IS NULL AND n.read_at IS NULL AND n.created_at > \(now) - interval '2 days'
                  AND (n.kind = 'match'
                       OR (n.kind = 'message' AND NOT \(quiet) AND n.updated_at <= \(now) - make_interval(secs => \(delay))
                           AND NOT EXISTS (
                               SELECT 1 FROM notifications o WHERE o.user_id = n.user_id AND o.match_id = n.match_id AND o.kind = 'message'
                                 AND o.mailed_at > \(now) - make_interval(secs => \(gap))
                           )))
                  AND coalesce((SELECT np.email FROM notification_preferences np WHERE np.user_id = n.user_id AND np.kind = n.kind), true)
                  AND NOT EXISTS (
                      SELECT 1 FROM blocks b
                      WHERE (b.blocker_id = n.user_id AND b.blocked_id = n.actor_id) OR (b.blocker_id = n.actor_id AND b.blocked_id = n.user_id)
                  )
                  AND EXISTS (SELECT 1 FROM matches m WHERE m.id = n.match_id AND m.ended_at IS NULL)
                ORDER BY n.id LIMIT 100
                FOR UPDATE OF n SKIP LOCKED
                """,
                logger: logger
            ).decode((Int64, String, UUID, UUID?, Int, String, String).self) {
                due.append(row)
            }
            var written = 0
            for (id, kind, userID, matchID, count, email, name) in due {
                // An address no mail can go to (accepted before sign-up checked for it) is passed over, not retried forever.
                if MailAddress.isPlausible(email) {
                    try await outbox.enqueue(mail(kind: kind, to: email, userID: userID, matchID: matchID, count: count, name: name), on: connection, logger: logger)
                    written += 1
                }
                try await connection.query("UPDATE notifications SET mailed_at = \(now) WHERE id = \(id)", logger: logger)
            }
            return written
        }
    }

    private func mail(kind: String, to email: String, userID: UUID, matchID: UUID?, count: Int, name: String) -> Mail {
        let link = "\(publicBaseURL)/chat/\(matchID?.uuidString.lowercased() ?? "")"
        let stop = unsubscribe.url(userID: userID, kind: kind, base: publicBaseURL)
        let footer = """

            이 알림 메일을 그만 받으시려면 아래 링크를 눌러 주세요.
            \(stop)
            설정에서 알림 메일을 켜고 끌 수 있습니다: \(publicBaseURL)/settings
            """
        let headers = ["List-Unsubscribe": "<\(stop)>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"]
        if kind == "match" {
            return Mail(
                kind: "notification-match", to: email, subject: "[인연] \(name)님과 서로 관심을 보이셨습니다",
                text: "\(name)님과 서로 관심을 보이셨습니다. 인연에서 대화를 시작해 보세요.\n\(link)\n" + footer, headers: headers
            )
        }
        return Mail(
            kind: "notification-messages", to: email, subject: "[인연] \(name)님이 메시지 \(count)개를 보냈습니다",
            text: "\(name)님이 보낸 메시지 \(count)개를 아직 읽지 않으셨습니다. 인연에서 읽어 보세요.\n\(link)\n" + footer, headers: headers
        )
    }
}

/// Signed one-click unsubscribe links: the person and the kind of mail, under an HMAC, so a link
/// works without signing in and cannot be made for anyone else.
struct UnsubscribeLinks: Sendable {
    let sealer: DataSealer

    static let kinds = ["match", "message"]

    func signature(userID: UUID, kind: String) -> String {
        sealer.authenticationCode(for: Data("\(userID.uuidString.lowercased())|\(kind)".utf8), purpose: "inyeon unsubscribe").base64URLEncoded()
    }

    func url(userID: UUID, kind: String, base: String) -> String {
        "\(base)/unsubscribe?u=\(userID.uuidString.lowercased())&k=\(kind)&s=\(signature(userID: userID, kind: kind))"
    }

    /// The person and kind a link names, when its signature holds.
    func verify(user: String?, kind: String?, signature: String?) -> (UUID, String)? {
        guard let user, let userID = UUID(uuidString: user), let kind, Self.kinds.contains(kind), let signature,
              OneTimeCode.matches(Data(signature.utf8), Data(self.signature(userID: userID, kind: kind).utf8)) else { return nil }
        return (userID, kind)
    }
}

extension Duration {
    /// Whole and fractional seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
