import Foundation
import Hummingbird
import InyeonCore
import Logging

/// Matches and their conversations. The conversation page works without script (the history, and a
/// form that sends); with script it goes live over the WebSocket: new messages, typing, read
/// receipts, and the calm warning beside a message that carries a romance-scam signal. Blocking and
/// reporting are one clear step away, with a confirmation since a block cannot be undone.
struct ConversationPages: Sendable {
    let renderer: PageRenderer
    let chat: ChatService
    let profiles: any ProfileRepository
    let matching: MatchingRepository
    let accounts: AccountService
    let flags: FlagStore
    let session: WebSession
    /// The private "만나 보셨나요?" questions shown above the conversations.
    let weMet: WeMetController
    let portraits: Portraits

    static let draftCookie = "inyeon_draft"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/matches", use: matches)
        router.post("/matches/:matchId/we-met", use: answerWeMet)
        router.get("/chat/:conversationId", use: conversation)
        router.post("/chat/:conversationId", use: send)
        router.post("/chat/:conversationId/ticket", use: ticket)
        router.get("/chat/:conversationId/block", use: confirmBlock)
        router.post("/chat/:conversationId/block", use: block)
        router.post("/chat/:conversationId/report", use: report)
    }

    @Sendable func matches(request: Request, context: AppRequestContext) async throws -> Response {
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/matches") }
        let text = WebText(korean: context.web.preferences.korean)
        var items: [[String: Any]] = []
        let summaries = try await chat.repository.conversations(of: userID, logger: context.logger)
        let faces = try await portraits.first(of: summaries.map(\.partnerID), as: context.identity, logger: context.logger)
        for summary in summaries {
            let partner = try await profiles.person(summary.partnerID, as: context.identity, logger: context.logger)
            let unread = max(0, summary.lastSequence - summary.readSequence)
            items.append([
                "id": summary.conversationID.uuidString.lowercased(), "name": partner?.card.name ?? text["someone"],
                "face": Portraits.face(faces[summary.partnerID], name: partner?.card.name ?? text["someone"], size: .thumbnail, alt: ""),
                "facts": [partner?.card.ageRange, partner?.card.city].compactMap { $0 }.joined(separator: " · "),
                "unread": unread > 0, "unreadText": text["unread_count"].replacingOccurrences(of: "%d", with: String(unread)),
                "last": summary.lastMessageText.map { $0.isEmpty ? text["message_deleted"] : $0 } as Any,
            ])
        }
        let isNew = request.uri.queryParameters.get("new") != nil
        let asks: [[String: Any]] = try await weMet.asks(for: userID, context: context).map { ask in
            ["matchId": ask.matchId, "question": text["we_met_question"].replacingOccurrences(of: "%@", with: ask.user.name)]
        }
        return renderer.render(
            "matches", title: text["matches_title"], values: [
                "matches": items, "empty": items.isEmpty, "newMatch": isNew, "blocked": request.uri.queryParameters.get("blocked") != nil,
                "asks": asks, "thanked": request.uri.queryParameters.get("thanks") != nil,
            ],
            request: request, context: context
        )
    }

    /// The answer to "만나 보셨나요?": whether they met and, if so, whether they would meet again.
    @Sendable func answerWeMet(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?expired=1&next=/matches") }
        guard let matchID = context.parameters.get("matchId").flatMap(UUID.init(uuidString:)), let met = form["met"].map({ $0 == "yes" }) else {
            return PageRenderer.redirect(to: "/matches")
        }
        let again = form["wantAgain"].flatMap(MeetingFeedback.WantAgain.init(rawValue:))
        _ = try await weMet.feedback.answer(matchID, by: userID, met: met, wantAgain: again, requestID: context.id, logger: context.logger)
        return PageRenderer.redirect(to: "/matches?thanks=1")
    }

    private func conversationID(_ context: AppRequestContext) -> UUID? {
        context.parameters.get("conversationId").flatMap(UUID.init(uuidString:))
    }

    @Sendable func conversation(request: Request, context: AppRequestContext) async throws -> Response {
        // The way back after login is built from the parsed id, never from the path as typed.
        guard let conversation = conversationID(context) else { return PageRenderer.redirect(to: "/matches") }
        guard let userID = context.caller?.userID else {
            return PageRenderer.redirect(to: "/login?next=/chat/\(conversation.uuidString.lowercased())")
        }
        let text = WebText(korean: context.web.preferences.korean)
        let page: [StoredMessage]
        let partnerID: UUID
        do {
            partnerID = try await chat.repository.partner(in: conversation, of: userID, logger: context.logger)
            page = try await chat.repository.page(of: conversation, for: userID, before: nil, limit: 100, logger: context.logger)
        } catch is ChatRepository.Failure {
            return PageRenderer.redirect(to: "/matches")
        }
        let partner = try await profiles.person(partnerID, as: context.identity, logger: context.logger)
        let partnerName = partner?.card.name ?? text["someone"]
        let face = try await portraits.first(of: [partnerID], as: context.identity, logger: context.logger)[partnerID]
        let (_, partnerRead) = try await chat.repository.partnerReadSequence(in: conversation, for: userID, logger: context.logger)
        if let newest = page.first?.sequence {
            _ = try? await chat.markRead(upTo: newest, in: conversation, by: userID, origin: nil, logger: context.logger)
        }
        let messages: [[String: Any]] = page.reversed().map { stored in
            let message = ChatMessage(stored, viewer: userID, korean: text.korean)
            return [
                "sequence": message.sequence, "mine": stored.senderID == userID,
                "sender": stored.senderID == userID ? text["sender_me"] : partnerName, "text": message.text, "deleted": message.deletedAt != nil,
                "time": Self.time(message.sentAt), "warning": message.safetyWarning?.text as Any,
                "read": stored.senderID == userID && stored.sequence <= partnerRead,
            ]
        }
        let live = flags.evaluate(.realTimeChat, for: context.identity).enabled
        let draft = request.cookies[Self.draftCookie].flatMap { Data(base64Encoded: $0.value) }.map { String(decoding: $0, as: UTF8.self) }
        var response = renderer.render(
            "conversation", title: text["conversation_title"],
            values: [
                "conversationId": conversation.uuidString.lowercased(), "partnerName": partnerName,
                "face": Portraits.face(face, name: partnerName, size: .thumbnail, alt: ""), "reportCategories": RecommendationPages.reportCategories(text),
                "messages": messages, "empty": messages.isEmpty, "lastSequence": page.first?.sequence ?? 0,
                "lastRevision": page.map(\.revision).max() ?? 0, "live": live, "userId": userID.uuidString.lowercased(),
                "reported": request.uri.queryParameters.get("reported") != nil, "sendError": request.uri.queryParameters.get("error") as Any,
                "draft": draft as Any,
            ],
            request: request, context: context
        )
        if draft != nil {
            response.setCookie(Cookie(name: Self.draftCookie, value: "", maxAge: 0, path: request.uri.path, secure: session.secureCookies,
                                      httpOnly: true, sameSite: .strict))
        }
        return response
    }

    static func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Seoul") ?? .gmt
        let parts = calendar.dateComponents([.month, .day, .hour, .minute], from: date)
        return String(format: "%d/%d %02d:%02d", parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }

    @Sendable func send(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let conversation = conversationID(context) else { return PageRenderer.redirect(to: "/matches") }
        guard let userID = context.caller?.userID else {
            // The session ended while the message was being written: it waits in the browser (a short-lived
            // HttpOnly cookie for this conversation only) and is back in the box after logging in.
            let path = "/chat/\(conversation.uuidString.lowercased())"
            let draft = Data((form["text"] ?? "").utf8).base64EncodedString()
            let cookies = draft.count <= 3_000
                ? [Cookie(name: Self.draftCookie, value: draft, maxAge: 3600, path: path, secure: session.secureCookies, httpOnly: true, sameSite: .strict)]
                : []
            return PageRenderer.redirect(to: "/login?expired=1&next=\(path)", cookies: cookies)
        }
        let clientID = form["clientId"].flatMap { $0.isEmpty ? nil : $0 } ?? UUID().uuidString.lowercased()
        do {
            _ = try await chat.send(form["text"] ?? "", clientID: clientID, in: conversation, from: userID, origin: nil, requestID: context.id, logger: context.logger)
        } catch let error as APIError {
            return PageRenderer.redirect(to: "/chat/\(conversation.uuidString.lowercased())?error=\(error.code)")
        }
        return PageRenderer.redirect(to: "/chat/\(conversation.uuidString.lowercased())#latest")
    }

    /// A single-use socket ticket for the page's script (the form token in a header, since script cannot read cookies).
    @Sendable func ticket(request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireFormToken(request.headers[.init("X-CSRF-Token")!])
        guard let caller = context.caller, let userID = caller.userID, let sessionID = caller.sessionID else {
            throw APIError(.unauthorized, code: "AUTH_REQUIRED", message: "로그인이 필요합니다.")
        }
        let ticket = try await accounts.webSocketTicket(userID: userID, sessionID: sessionID, logger: context.logger)
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: ChatJSON.string(["ticket": ticket])))
        )
    }

    @Sendable func confirmBlock(request: Request, context: AppRequestContext) async throws -> Response {
        guard context.caller != nil, let conversation = conversationID(context) else { return PageRenderer.redirect(to: "/matches") }
        let text = WebText(korean: context.web.preferences.korean)
        return renderer.render("block-confirm", title: text["block_title"], values: ["conversationId": conversation.uuidString.lowercased()],
                               request: request, context: context)
    }

    @Sendable func block(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID, let conversation = conversationID(context) else { return PageRenderer.redirect(to: "/matches") }
        if let partner = try? await chat.repository.partner(in: conversation, of: userID, logger: context.logger) {
            if form.checked("report") {
                do {
                    _ = try await chat.report(conversation, by: userID, reason: SupportDesk.trimmed(form["reason"]),
                                  category: form["category"].flatMap(SupportDesk.ReportCategory.init(rawValue:)), requestID: context.id,
                                  logger: context.logger)
                } catch is RateLimitedError {
                    // Past the report limit the block still happens: it is what protects the person now.
                    context.logger.notice("report with block over the limit; blocking only")
                }
            }
            try await matching.block(partner, by: userID, reason: form["reason"], requestID: context.id, logger: context.logger)
        }
        return PageRenderer.redirect(to: "/matches?blocked=1")
    }

    @Sendable func report(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID, let conversation = conversationID(context) else { return PageRenderer.redirect(to: "/matches") }
        _ = try await chat.report(conversation, by: userID, reason: SupportDesk.trimmed(form["reason"]),
                                  category: form["category"].flatMap(SupportDesk.ReportCategory.init(rawValue:)), requestID: context.id,
                                  logger: context.logger)
        return PageRenderer.redirect(to: "/chat/\(conversation.uuidString.lowercased())?reported=1")
    }
}
