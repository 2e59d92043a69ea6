import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
import InyeonService
import NIOCore
import NIOWebSocket
import Synchronization
import WSCore
import PostgresNIO
import Testing

/// Real-time chat through real WebSocket clients on a live server, with real PostgreSQL.
@Suite struct ChatTests {
    typealias Socket = ChatTestSocket

    static func socket(_ accounts: AccountHelper, _ port: Int, _ member: MatchLifecycleTests.Member, _ pair: ChatPair,
                       query: String = "") async throws -> Socket {
        try await Socket.open(port: port, conversation: pair.conversation, ticket: try await accounts.ticket(for: member), query: query)
    }

    /// The socket address asked without an upgrade: the JSON reason a socket would be refused.
    static func explain(_ accounts: AccountHelper, _ conversation: String, ticket: String) async throws -> (HTTPResponse.Status, String?) {
        let response = try await accounts.get("/api/conversations/\(conversation)/socket?ticket=\(ticket)", token: nil)
        return (response.status, try JSONBody(response)["code"] as? String)
    }

    @Test func forgedReusedExpiredAndOutsiderTicketsAreRefusedBeforeTheUpgrade() async throws {
        try await withLiveAccounts { accounts, port in
            let pair = try await ChatPair.make(accounts)
            #expect(await Socket.isRefused(port: port, conversation: pair.conversation, ticket: "forged-ticket-value"))
            #expect(try await Self.explain(accounts, pair.conversation, ticket: "forged") == (.unauthorized, "TICKET_INVALID"))

            // Asking without an upgrade does not spend a valid ticket: it is answered 426, and the ticket still opens the socket once.
            let ticket = try await accounts.ticket(for: pair.first)
            #expect(try await Self.explain(accounts, pair.conversation, ticket: ticket) == (.upgradeRequired, "UPGRADE_REQUIRED"))
            let socket = try await Socket.open(port: port, conversation: pair.conversation, ticket: ticket)
            await socket.close()
            #expect(await Socket.isRefused(port: port, conversation: pair.conversation, ticket: ticket), "a used ticket")
            #expect(try await Self.explain(accounts, pair.conversation, ticket: ticket) == (.unauthorized, "TICKET_INVALID"))

            let expiring = try await accounts.ticket(for: pair.second)
            try await TestDatabase.withOwnerClient { client in
                // Tickets are the system's to change (RLS binds the owner role too).
                try await Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey).transaction(as: .system, logger: TestDatabase.logger) { connection in
                    _ = try await connection.query(
                        "UPDATE websocket_tickets SET expires_at = now() - interval '1 second' WHERE used_at IS NULL AND user_id = \(UUID(uuidString: pair.second.id)!)",
                        logger: TestDatabase.logger
                    )
                }
            }
            #expect(await Socket.isRefused(port: port, conversation: pair.conversation, ticket: expiring), "an expired ticket")

            // A valid ticket of someone outside the match.
            let outsider = try await MatchLifecycleTests.member(accounts, "male", name: "이웃")
            let outsiderTicket = try await accounts.ticket(for: outsider)
            #expect(try await Self.explain(accounts, pair.conversation, ticket: outsiderTicket) == (.notFound, "CONVERSATION_NOT_FOUND"))
            #expect(await Socket.isRefused(port: port, conversation: pair.conversation, ticket: outsiderTicket))
            #expect(try await Self.explain(accounts, pair.conversation, ticket: "") == (.unauthorized, "TICKET_REQUIRED"))
        }
    }

    @Test func aFullConversationWithTypingReceiptsEditsAndDeletion() async throws {
        try await withLiveAccounts { accounts, port in
            let pair = try await ChatPair.make(accounts)
            let her = try await Self.socket(accounts, port, pair.first, pair)
            let him = try await Self.socket(accounts, port, pair.second, pair)

            try her.send(["type": "send", "clientId": "h-1", "text": "안녕하세요, 반갑습니다. 주말에 산책 좋아하세요?"])
            let ack = try await her.next("ack")
            #expect(ack?["message.sequence"] as? Int == 1)
            #expect(ack?["duplicate"] as? Bool == false)
            let delivered = try await him.next("message")
            #expect(delivered?["message.text"] as? String == "안녕하세요, 반갑습니다. 주말에 산책 좋아하세요?")
            #expect(delivered?["message.senderId"] as? String == pair.first.id)
            #expect(delivered?["message.safetyWarning"] == nil)

            try him.send(["type": "typing"])
            #expect(try await her.next("typing")?["userId"] as? String == pair.second.id)
            try him.send(["type": "read", "sequence": 1])
            let receipt = try await her.next("read")
            #expect(receipt?["sequence"] as? Int == 1 && receipt?["userId"] as? String == pair.second.id)

            try him.send(["type": "send", "clientId": "m-1", "text": "네, 한강 산책 자주 해요."])
            #expect(try await her.next("message")?["message.sequence"] as? Int == 2)

            try her.send(["type": "edit", "sequence": 1, "text": "안녕하세요! 주말에 산책 좋아하세요?"])
            #expect(try await her.next("ack")?["message.editedAt"] != nil)
            let edited = try await him.next("message")
            #expect(edited?["message.sequence"] as? Int == 1 && edited?["message.text"] as? String == "안녕하세요! 주말에 산책 좋아하세요?")
            try him.send(["type": "delete", "sequence": 2])
            let deleted = try await her.next("message")
            #expect(deleted?["message.deletedAt"] != nil && deleted?["message.text"] as? String == "")
            // Only one's own messages can be changed.
            try him.send(["type": "edit", "sequence": 1, "text": "남의 메시지"])
            #expect(try await him.next("error")?["code"] as? String == "MESSAGE_NOT_FOUND")

            // History over REST: newest first, by cursor; the list shows what is unread.
            let page = try JSONBody(try await accounts.get("/api/conversations/\(pair.conversation)/messages?limit=1", token: pair.first.token))
            #expect((page["data.messages"] as? [[String: Any]])?.first?["sequence"] as? Int == 2)
            #expect(page["data.nextCursor"] as? Int == 2)
            let older = try JSONBody(try await accounts.get("/api/conversations/\(pair.conversation)/messages?before=2", token: pair.first.token))
            #expect((older["data.messages"] as? [[String: Any]])?.map { $0["sequence"] as? Int } == [1])
            #expect(older["data.nextCursor"] is NSNull || older["data.nextCursor"] == nil)
            let list = try JSONBody(try await accounts.get("/api/conversations", token: pair.first.token))
            let conversation = (list["data"] as? [[String: Any]])?.first
            #expect(conversation?["conversationId"] as? String == pair.conversation)
            #expect(conversation?["unreadCount"] as? Int == 1, "his second message (since deleted): \(String(describing: conversation))")
            #expect(conversation?["partnerReadSequence"] as? Int == 2, "his own message counts as read by him")
            try her.send(["type": "read", "sequence": 2])
            #expect(try await him.next("read")?["sequence"] as? Int == 2)
            let afterReading = try JSONBody(try await accounts.get("/api/conversations", token: pair.first.token))
            #expect((afterReading["data"] as? [[String: Any]])?.first?["unreadCount"] as? Int == 0)
            let hisList = try JSONBody(try await accounts.get("/api/conversations", token: pair.second.token))
            #expect((hisList["data"] as? [[String: Any]])?.first?["lastSequence"] as? Int == 2)
            await her.close()
            await him.close()
        }
    }

    @Test func aDroppedConnectionResumesWithNothingLostAndNothingDoubled() async throws {
        try await withLiveAccounts { accounts, port in
            let pair = try await ChatPair.make(accounts)
            let her = try await Self.socket(accounts, port, pair.first, pair)
            var him = try await Self.socket(accounts, port, pair.second, pair)
            try her.send(["type": "send", "clientId": "a", "text": "첫 번째"])
            let first = try await him.next("message")
            let seen = first?["message.sequence"] as? Int ?? -1
            let seenRevision = first?["message.revision"] as? Int ?? -1
            await him.drop()

            for (index, text) in ["두 번째", "세 번째", "네 번째"].enumerated() {
                try her.send(["type": "send", "clientId": "b\(index)", "text": text])
                #expect(try await her.next("ack") != nil)
            }
            try her.send(["type": "edit", "sequence": 1, "text": "첫 번째 (고침)"])
            #expect(try await her.next("ack") != nil)

            him = try await Self.socket(accounts, port, pair.second, pair, query: "&after=\(seen)&afterRevision=\(seenRevision)")
            try her.send(["type": "send", "clientId": "c", "text": "다섯 번째"])
            #expect(try await her.next("ack") != nil)
            let frames = try await him.drain(for: .milliseconds(800)).filter { $0.type == "message" }
            let received = frames.map { ($0["message.sequence"] as? Int ?? 0, $0["message.text"] as? String ?? "") }
            #expect(received.map(\.0) == [2, 3, 4, 1, 5], "missed, the changed first message, then live: \(received)")
            #expect(received.map(\.1) == ["두 번째", "세 번째", "네 번째", "첫 번째 (고침)", "다섯 번째"])
            await her.close()
            await him.close()
        }
    }

    @Test func resumingWithOnlyAfterSendsWhatCameLaterNotTheWholeConversation() async throws {
        try await withLiveAccounts { accounts, port in
            let pair = try await ChatPair.make(accounts)
            let conversation = try #require(UUID(uuidString: pair.conversation))
            let (her, him) = (try #require(UUID(uuidString: pair.first.id)), try #require(UUID(uuidString: pair.second.id)))
            // 2,100 messages (more than a socket's 2,000-frame send buffer), then the fifth edited.
            try await TestDatabase.withOwnerClient { client in
                try await client.query("""
                    INSERT INTO conversations (match_id, last_sequence, last_revision) VALUES (\(conversation), 2100, 2101)
                    ON CONFLICT (match_id) DO UPDATE SET last_sequence = 2100, last_revision = 2101
                    """)
                try await client.query("""
                    INSERT INTO messages (match_id, sequence, revision, sender_id, client_message_id, body)
                    SELECT \(conversation), n, n, CASE WHEN n % 2 = 0 THEN \(her) ELSE \(him) END, 'bulk-' || n, '메시지 ' || n
                    FROM generate_series(1, 2100) AS n
                    """)
                try await client.query("""
                    UPDATE messages SET body = '다섯 번째 (고침)', revision = 2101, edited_at = now()
                    WHERE match_id = \(conversation) AND sequence = 5
                    """)
            }
            // He saw up to 2,090 and says only that (no afterRevision).
            let socket = try await Self.socket(accounts, port, pair.second, pair, query: "&after=2090")
            let frames = try await socket.drain(for: .milliseconds(800))
            let sequences = frames.filter { $0.type == "message" }.map { $0["message.sequence"] as? Int ?? 0 }
            #expect(sequences == Array(2091...2100) + [5], "the later ten, then the one changed since: \(sequences.prefix(20)) … (\(sequences.count))")
            #expect(frames.last?.type == "ready")
            try socket.send(["type": "ping"])
            #expect(try await socket.next("pong") != nil, "the socket stays open")
            await socket.close()
        }
    }

    @Test func editsEndAfterThirtyMinutesAndDeletionsAfterADay() async throws {
        try await withLiveAccounts { accounts, _ in
            let pair = try await ChatPair.make(accounts)
            let base = "/api/conversations/\(pair.conversation)/messages"
            let sent = try await accounts.post(base, ["clientId": "t1", "text": "오래된 메시지"], token: pair.first.token)
            #expect(sent.status == .created)
            func age(_ interval: String) async throws {
                try await TestDatabase.withOwnerClient { client in
                    try await client.query(
                        "UPDATE messages SET sent_at = now() - \(interval)::interval WHERE match_id = \(UUID(uuidString: pair.conversation)!)"
                    )
                }
            }
            func change(_ method: HTTPRequest.Method, _ body: [String: Any]?) async throws -> (HTTPResponse.Status, String?) {
                let response = try await accounts.client.execute(
                    uri: base + "/1", method: method,
                    headers: [.authorization: "Bearer \(pair.first.token)", .contentType: "application/json"],
                    body: body.map { accounts.json($0) }
                )
                return (response.status, try JSONBody(response)["code"] as? String)
            }
            try await age("29 minutes")
            #expect(try await change(.patch, ["text": "고친 메시지"]).0 == .ok)
            try await age("31 minutes")
            #expect(try await change(.patch, ["text": "너무 늦은 수정"]) == (.forbidden, "TOO_LATE"))
            try await age("25 hours")
            #expect(try await change(.delete, nil) == (.forbidden, "TOO_LATE"))
            try await age("23 hours")
            #expect(try await change(.delete, nil).0 == .ok)
            // The other person sees that a message was deleted, not what it said; it stays in the sender's export.
            let page = try JSONBody(try await accounts.get(base, token: pair.second.token))
            let shown = (page["data.messages"] as? [[String: Any]])?.first
            #expect(shown?["text"] as? String == "" && shown?["deletedAt"] != nil)
            let export = try JSONBody(try await accounts.get("/api/me/export", token: pair.first.token))
            #expect((export["data.messagesSent"] as? [Any])?.count == 1)
        }
    }

    @Test func aResendWithTheSameClientIdIsStoredOnce() async throws {
        try await withLiveAccounts { accounts, port in
            let pair = try await ChatPair.make(accounts)
            var her = try await Self.socket(accounts, port, pair.first, pair)
            try her.send(["type": "send", "clientId": "same-id", "text": "잘 도착했나요?"])
            let first = try await her.next("ack")
            // The connection drops before she knows; her app sends again on a new socket.
            await her.drop()
            her = try await Self.socket(accounts, port, pair.first, pair)
            try her.send(["type": "send", "clientId": "same-id", "text": "잘 도착했나요?"])
            let second = try await her.next("ack")
            #expect(second?["duplicate"] as? Bool == true)
            #expect(second?["message.sequence"] as? Int == first?["message.sequence"] as? Int)
            let rest = try await accounts.post("/api/conversations/\(pair.conversation)/messages", ["clientId": "same-id", "text": "잘 도착했나요?"], token: pair.first.token)
            let restDuplicate = try JSONBody(rest)["data.duplicate"] as? Bool
            #expect(rest.status == .ok && restDuplicate == true)
            let page = try JSONBody(try await accounts.get("/api/conversations/\(pair.conversation)/messages", token: pair.second.token))
            #expect((page["data.messages"] as? [Any])?.count == 1)
            await her.close()
        }
    }

    @Test func theThirtyFirstMessageInAMinuteIsRefusedAndTheSocketStaysOpen() async throws {
        try await withLiveAccounts { accounts, port in
            let pair = try await ChatPair.make(accounts)
            let her = try await Self.socket(accounts, port, pair.first, pair)
            for index in 1...30 {
                try her.send(["type": "send", "clientId": "n\(index)", "text": "메시지 \(index)"])
            }
            for _ in 1...30 { #expect(try await her.next("ack") != nil) }
            try her.send(["type": "send", "clientId": "n31", "text": "하나 더"])
            let refused = try await her.next("error")
            #expect(refused?["code"] as? String == "RATE_LIMITED")
            #expect(refused?["clientId"] as? String == "n31")
            try her.send(["type": "ping"])
            #expect(try await her.next("pong") != nil, "the socket stays open")
            let rest = try await accounts.post("/api/conversations/\(pair.conversation)/messages", ["clientId": "n32", "text": "REST로"], token: pair.first.token)
            let restCode = try JSONBody(rest)["code"] as? String
            #expect(rest.status == .tooManyRequests && restCode == "RATE_LIMITED")
            await her.close()
        }
    }

    @Test func aBlockClosesBothLiveSocketsAtOnce() async throws {
        try await withLiveAccounts { accounts, port in
            let pair = try await ChatPair.make(accounts)
            let her = try await Self.socket(accounts, port, pair.first, pair)
            let him = try await Self.socket(accounts, port, pair.second, pair)
            let started = ContinuousClock.now
            let blocked = try await accounts.post("/api/blocks", ["userId": pair.second.id, "reason": "불편한 대화"], token: pair.first.token)
            #expect(blocked.status == .ok)
            #expect(try await him.next("closed") != nil)
            let hisClose = try await him.closedByServer()
            let herClose = try await her.closedByServer()
            #expect(ContinuousClock.now - started < .seconds(2))
            #expect(hisClose?.closeCode == .unknown(4001) && herClose?.closeCode == .unknown(4001))
            // Nothing more can be sent or read, by socket or by REST.
            let ticket = try await accounts.ticket(for: pair.second)
            #expect(try await Self.explain(accounts, pair.conversation, ticket: ticket) == (.notFound, "CONVERSATION_NOT_FOUND"))
            let send = try await accounts.post("/api/conversations/\(pair.conversation)/messages", ["clientId": "x", "text": "안녕하세요"], token: pair.second.token)
            #expect(send.status == .notFound)
            let history = try await accounts.get("/api/conversations/\(pair.conversation)/messages", token: pair.second.token)
            #expect(history.status == .notFound)
            let remaining = try JSONBody(try await accounts.get("/api/conversations", token: pair.second.token))["data"] as? [Any]
            #expect(remaining?.isEmpty == true)
        }
    }

    @Test func unmatchingClosesTheConversationToo() async throws {
        try await withLiveAccounts { accounts, port in
            let pair = try await ChatPair.make(accounts)
            let him = try await Self.socket(accounts, port, pair.second, pair)
            let ended = try await accounts.client.execute(
                uri: "/api/matches/\(pair.conversation)", method: .delete, headers: [.authorization: "Bearer \(pair.first.token)"]
            )
            #expect(ended.status == .ok)
            #expect(try await him.closedByServer()?.closeCode == .unknown(4001))
        }
    }

    @Test func twoPeopleOnTwoRunningInstancesTalkAndARestartLosesNothing() async throws {
        let outbox = AccountHelper.outboxDirectory()
        let pair = Mutex<ChatPair?>(nil)
        try await withLiveAccounts(outbox: outbox) { first, firstPort in
            try await withLiveAccounts(outbox: outbox) { second, secondPort in
                #expect(firstPort != secondPort)
                let made = try await ChatPair.make(first)
                pair.withLock { $0 = made }
                let her = try await Self.socket(first, firstPort, made.first, made)
                let him = try await Self.socket(second, secondPort, made.second, made)
                for round in 1...5 {
                    try her.send(["type": "send", "clientId": "h\(round)", "text": "첫 번째 서버에서 \(round)"])
                    #expect(try await him.next("message")?["message.text"] as? String == "첫 번째 서버에서 \(round)")
                    try him.send(["type": "send", "clientId": "m\(round)", "text": "두 번째 서버에서 \(round)"])
                    #expect(try await her.next("message")?["message.text"] as? String == "두 번째 서버에서 \(round)")
                }
                try him.send(["type": "typing"])
                #expect(try await her.next("typing") != nil)
                await her.close()
                await him.close()
            }
        }
        // Both instances have stopped; a new one has every acknowledged message, in order.
        guard let made = pair.withLock({ $0 }) else { throw TestSetupError("no pair") }
        try await withLiveAccounts(outbox: outbox) { accounts, _ in
            let page = try JSONBody(try await accounts.get("/api/conversations/\(made.conversation)/messages?limit=100", token: made.first.token))
            let sequences = (page["data.messages"] as? [[String: Any]])?.compactMap { $0["sequence"] as? Int }
            #expect(sequences == Array((1...10).reversed()))
        }
    }

    @Test func withRealTimeChatOffTheSocketIsRefusedWithAReasonAndRESTStillWorks() async throws {
        try await withLiveAccounts(["FEATURE_REAL_TIME_CHAT": "false"]) { accounts, port in
            let pair = try await ChatPair.make(accounts)
            let ticket = try await accounts.ticket(for: pair.first)
            #expect(try await Self.explain(accounts, pair.conversation, ticket: ticket) == (.forbidden, "REAL_TIME_CHAT_DISABLED"))
            #expect(await Socket.isRefused(port: port, conversation: pair.conversation, ticket: ticket))
            let sent = try await accounts.post("/api/conversations/\(pair.conversation)/messages", ["clientId": "r1", "text": "소켓 없이 보냅니다"], token: pair.first.token)
            #expect(sent.status == .created, "\(sent.text)")
            let page = try JSONBody(try await accounts.get("/api/conversations/\(pair.conversation)/messages", token: pair.second.token))
            #expect((page["data.messages"] as? [[String: Any]])?.first?["text"] as? String == "소켓 없이 보냅니다")
            let read = try await accounts.post("/api/conversations/\(pair.conversation)/read", ["sequence": 1], token: pair.second.token)
            let marker = try JSONBody(read)["data.readSequence"] as? Int
            #expect(read.status == .ok && marker == 1)
        }
    }

    @Test func badFramesGetClearErrorsAndOversizedOnesCloseTheSocket() async throws {
        try await withLiveAccounts(["CHAT_MAX_SOCKETS_PER_PERSON": "2"]) { accounts, port in
            let pair = try await ChatPair.make(accounts)
            let her = try await Self.socket(accounts, port, pair.first, pair)
            her.sendRaw("이건 JSON이 아닙니다")
            #expect(try await her.next("error")?["code"] as? String == "INVALID_FRAME")
            try her.send(["type": "send", "clientId": "long", "text": String(repeating: "가", count: 2_001)])
            #expect(try await her.next("error")?["code"] as? String == "MESSAGE_TOO_LONG")
            try her.send(["type": "send", "clientId": "blank", "text": "   "])
            #expect(try await her.next("error")?["code"] as? String == "INVALID_MESSAGE")
            // PostgreSQL's text cannot hold NUL: a clear refusal, not "try again" (which could never succeed).
            try her.send(["type": "send", "clientId": "nul", "text": "안녕\u{0}하세요"])
            #expect(try await her.next("error")?["code"] as? String == "INVALID_MESSAGE")
            try her.send(["type": "send", "clientId": "exact", "text": String(repeating: "가", count: 2_000)])
            #expect(try await her.next("ack")?["message.sequence"] as? Int == 1, "2,000 characters are allowed")
            try her.send(["type": "dance"])
            #expect(try await her.next("error")?["code"] as? String == "INVALID_FRAME")

            // A second socket is allowed, a third is refused before the upgrade.
            let again = try await Self.socket(accounts, port, pair.first, pair)
            let third = try await accounts.ticket(for: pair.first)
            #expect(try await Self.explain(accounts, pair.conversation, ticket: third) == (.tooManyRequests, "TOO_MANY_CONNECTIONS"))
            #expect(await Socket.isRefused(port: port, conversation: pair.conversation, ticket: third))
            await again.close()

            her.sendRaw(String(repeating: "x", count: 40_000))
            let closed = try await her.closedByServer()
            #expect(closed?.closeCode == .messageTooLarge, "\(String(describing: closed))")
        }
    }

    /// The warning reads the sender's earlier messages: a request that says nothing alarming alone
    /// is flagged when it follows a story two messages earlier (the scam-risk model).
    @Test func aRequestAfterAStoryTwoMessagesEarlierIsWarnedAboutThoughAloneItIsNot() async throws {
        let request = "Whatever you can manage would mean the world to me."
        try await withLiveAccounts { accounts, port in
            // Alone, at the start of a conversation: no warning.
            let first = try await ChatPair.make(accounts)
            let reader = try await Self.socket(accounts, port, first.first, first)
            let writer = try await Self.socket(accounts, port, first.second, first, query: "&lang=en")
            try writer.send(["type": "send", "clientId": "alone", "text": request])
            let alone = try await reader.next("message")
            #expect(alone?["message.text"] as? String == request)
            #expect(alone?["message.safetyWarning"] == nil, "the request alone is not a warning")
            await reader.close()
            await writer.close()

            // After a story: the same words are warned about.
            let pair = try await ChatPair.make(accounts)
            let her = try await Self.socket(accounts, port, pair.first, pair, query: "&lang=en")
            let him = try await Self.socket(accounts, port, pair.second, pair)
            let story = [
                "My daughter was in a car accident in Lagos and the hospital will not treat her until the bill is settled.",
                "I have not slept for two days. I feel so helpless here.",
            ]
            try him.send(["type": "send", "clientId": "story-1", "text": story[0]])
            #expect(try await her.next("message")?["message.safetyWarning"] == nil)
            try her.send(["type": "send", "clientId": "reply", "text": "Oh no, I am so sorry."])
            _ = try await him.next("ack")
            try him.send(["type": "send", "clientId": "story-2", "text": story[1]])
            #expect(try await her.next("message")?["message.safetyWarning"] == nil)
            try him.send(["type": "send", "clientId": "ask", "text": request])
            let warned = try await her.next("message")
            #expect(warned?["message.text"] as? String == request)
            #expect(warned?["message.safetyWarning.text"] as? String != nil, "the request after the story is warned about")
            #expect(warned?["message.safetyWarning.signals"] as? [String] == ["a pattern common in scams"])
            await her.close()
            await him.close()
        }
    }

    @Test func aFlaggedMessageWarnsTheRecipientOnlyAndReachesTheModerators() async throws {
        try await withLiveAccounts { accounts, port in
            let pair = try await ChatPair.make(accounts)
            let her = try await Self.socket(accounts, port, pair.first, pair)
            let him = try await Self.socket(accounts, port, pair.second, pair, query: "&lang=en")
            let started = ContinuousClock.now
            try him.send(["type": "send", "clientId": "s1", "text": "사업 때문에 급하게 돈이 필요해요. 300만원만 송금해 주실 수 있나요?"])
            let warned = try await her.next("message")
            let latency = ContinuousClock.now - started
            #expect(warned?["message.safetyWarning.text"] as? String != nil)
            #expect((warned?["message.safetyWarning.signals"] as? [String])?.isEmpty == false)
            #expect(try await him.next("ack")?["message.safetyWarning"] == nil, "the sender is not told")
            #expect(latency < .milliseconds(500), "delivered in \(latency)")

            // The history shows the warning to her too.
            let page = try JSONBody(try await accounts.get("/api/conversations/\(pair.conversation)/messages", token: pair.first.token))
            #expect((page["data.messages"] as? [[String: Any]])?.first?["safetyWarning"] != nil)

            // A security event, and a case in the moderators' queue; people cannot read the queue.
            let events = try await TestDatabase.withOwnerClient { client in
                try await client.query(
                    "SELECT count(*)::int FROM audit_log WHERE action = 'security.scam_signal' AND target_id = \(pair.conversation)"
                ).decode(Int.self).reduce(0, +)
            }
            #expect(events == 1)
            #expect(try await accounts.get("/api/moderation/cases", token: pair.first.token).status == .forbidden)
            let moderator = try await OperatorTasks.issueServiceToken(
                configuration: try TestDatabase.configuration(), name: "chat-tests", role: .moderator, scope: "moderation:read moderation:write", lifetimeSeconds: 600,
                logger: TestDatabase.logger
            )
            let queue = try JSONBody(try await accounts.get("/api/moderation/cases?limit=100", token: moderator))
            let mine = (queue["data"] as? [[String: Any]])?.first { $0["conversationId"] as? String == pair.conversation }
            #expect(mine?["kind"] as? String == "scam_signal" && mine?["subjectId"] as? String == pair.second.id)
            // The model's calibrated risk (above its threshold) and the features that raised it most.
            let risk = try #require(mine?["risk"] as? Double)
            #expect(risk >= (ScamRiskModel.bundled?.threshold ?? 1) && risk <= 1)
            #expect((mine?["reasons"] as? [String])?.isEmpty == false)
            let caseID = mine?["caseId"] as? Int ?? 0
            let detail = try JSONBody(try await accounts.get("/api/moderation/cases/\(caseID)", token: moderator))
            #expect((detail["data.messages"] as? [[String: Any]])?.first?["text"] as? String == "사업 때문에 급하게 돈이 필요해요. 300만원만 송금해 주실 수 있나요?")
            let reviewed = try await accounts.post("/api/moderation/cases/\(caseID)/review", ["status": "actioned"], token: moderator)
            let reviewedStatus = try JSONBody(reviewed)["data.status"] as? String
            #expect(reviewed.status == .ok && reviewedStatus == "actioned")

            // A person can report the other; the report joins the queue.
            let report = try await accounts.post("/api/conversations/\(pair.conversation)/report", ["reason": "돈을 요구했어요"], token: pair.first.token)
            #expect(report.status == .created, "\(report.text)")
            await her.close()
            await him.close()
        }
    }
}
