import Foundation
import Hummingbird
import Logging

/// Conversations over plain HTTP: the list with unread counts, history (newest first, by cursor),
/// sending without a socket, edits, deletions, read markers and reports. These work whether or
/// not real-time chat is on; the socket itself is `ChatSocket`.
struct ChatController: Sendable {
    let service: ChatService
    let admission: ChatAdmission
    let profiles: any ProfileRepository
    var repository: ChatRepository { service.repository }

    struct Conversation: Encodable, Sendable {
        var conversationId: String
        var matchedAt: Date
        var partner: ProfileCard?
        var lastSequence: Int64
        var unreadCount: Int64
        var partnerReadSequence: Int64
        var lastMessage: LastMessage?
    }

    struct LastMessage: Encodable, Sendable {
        var text: String
        var fromMe: Bool
        var sentAt: Date?
    }

    struct MessagePage: Encodable, Sendable {
        var messages: [ChatMessage]
        /// Pass as `before` for the next (older) page; null on the last page.
        var nextCursor: Int64?
    }

    struct SendRequest: Decodable, Sendable {
        var clientId: String
        var text: String
    }

    struct EditRequest: Decodable, Sendable {
        var text: String
    }

    struct ReadRequest: Decodable, Sendable {
        var sequence: Int64
    }

    struct ReadMarker: Encodable, Sendable {
        var readSequence: Int64
    }

    struct SendResult: Encodable, Sendable {
        var message: ChatMessage
        var duplicate: Bool
    }

    struct ReportRequest: Decodable, Sendable {
        var reason: String?
    }

    struct Reported: Encodable, Sendable {
        var caseId: Int64
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/conversations", use: list)
        routes.get("/api/conversations/:conversationId/messages", use: history)
        routes.post("/api/conversations/:conversationId/messages", use: send)
        routes.patch("/api/conversations/:conversationId/messages/:sequence", use: edit)
        routes.delete("/api/conversations/:conversationId/messages/:sequence", use: delete)
        routes.post("/api/conversations/:conversationId/read", use: markRead)
        routes.post("/api/conversations/:conversationId/report", use: report)
        routes.get(ChatSocket.path, use: socketWithoutUpgrade)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> APIResponse<[Conversation]> {
        let (userID, _) = try context.requireSignedIn()
        var conversations: [Conversation] = []
        for summary in try await repository.conversations(of: userID, logger: context.logger) {
            let partner = try await profiles.person(summary.partnerID, as: context.identity, logger: context.logger)
            conversations.append(Conversation(
                conversationId: summary.conversationID.uuidString.lowercased(), matchedAt: summary.matchedAt, partner: partner?.card,
                lastSequence: summary.lastSequence, unreadCount: max(0, summary.lastSequence - summary.readSequence),
                partnerReadSequence: summary.partnerReadSequence,
                lastMessage: summary.lastMessageText.map {
                    LastMessage(text: $0, fromMe: summary.lastMessageSenderID == userID, sentAt: summary.lastMessageAt)
                }
            ))
        }
        let unread = conversations.reduce(0) { $0 + $1.unreadCount }
        return APIResponse(conversations, message: conversations.isEmpty ? "아직 대화가 없습니다." : "읽지 않은 메시지 \(unread)개")
    }

    @Sendable func history(request: Request, context: AppRequestContext) async throws -> APIResponse<MessagePage> {
        let (userID, _) = try context.requireSignedIn()
        let conversation = try Self.conversationID(context)
        let limit = try request.integerParameter("limit", default: 50, range: 1...100)
        let before = try request.uri.queryParameters.get("before").map { text -> Int64 in
            guard let value = Int64(text), value > 0 else {
                throw APIError.badRequest("INVALID_PARAMETER", "'before' 값은 1 이상의 정수(메시지 순번)여야 합니다.")
            }
            return value
        }
        let korean = request.uri.queryParameters.get("lang") != "en"
        let page = try await service.translated {
            try await repository.page(of: conversation, for: userID, before: before, limit: limit + 1, logger: context.logger)
        }
        let shown = page.prefix(limit)
        return APIResponse(
            MessagePage(
                messages: shown.map { ChatMessage($0, viewer: userID, korean: korean) },
                nextCursor: page.count > limit ? shown.last?.sequence : nil
            ),
            message: "대화 기록입니다."
        )
    }

    @Sendable func send(request: Request, context: AppRequestContext) async throws -> EditedResponse<APIResponse<SendResult>> {
        let (userID, _) = try context.requireSignedIn()
        let conversation = try Self.conversationID(context)
        let body = try await request.decode(as: SendRequest.self, context: context)
        let outcome = try await service.send(
            body.text, clientID: body.clientId, in: conversation, from: userID, origin: nil, requestID: context.id, logger: context.logger
        )
        return EditedResponse(
            status: outcome.duplicate ? .ok : .created,
            response: APIResponse(
                SendResult(message: ChatMessage(outcome.message, viewer: userID, korean: true), duplicate: outcome.duplicate),
                message: outcome.duplicate ? "이미 보낸 메시지입니다." : "메시지를 보냈습니다."
            )
        )
    }

    @Sendable func edit(request: Request, context: AppRequestContext) async throws -> APIResponse<ChatMessage> {
        let (userID, _) = try context.requireSignedIn()
        let conversation = try Self.conversationID(context)
        let sequence = try Self.sequence(context)
        let body = try await request.decode(as: EditRequest.self, context: context)
        let changed = try await service.edit(
            sequence: sequence, to: body.text, in: conversation, by: userID, origin: nil, requestID: context.id, logger: context.logger
        )
        return APIResponse(ChatMessage(changed, viewer: userID, korean: true), message: "메시지를 수정했습니다.")
    }

    @Sendable func delete(request: Request, context: AppRequestContext) async throws -> APIResponse<ChatMessage> {
        let (userID, _) = try context.requireSignedIn()
        let conversation = try Self.conversationID(context)
        let sequence = try Self.sequence(context)
        let changed = try await service.delete(
            sequence: sequence, in: conversation, by: userID, origin: nil, requestID: context.id, logger: context.logger
        )
        return APIResponse(ChatMessage(changed, viewer: userID, korean: true), message: "메시지를 삭제했습니다.")
    }

    @Sendable func markRead(request: Request, context: AppRequestContext) async throws -> APIResponse<ReadMarker> {
        let (userID, _) = try context.requireSignedIn()
        let conversation = try Self.conversationID(context)
        let body = try await request.decode(as: ReadRequest.self, context: context)
        let marker = try await service.markRead(upTo: body.sequence, in: conversation, by: userID, origin: nil, logger: context.logger)
        return APIResponse(ReadMarker(readSequence: marker), message: "읽음으로 표시했습니다.")
    }

    @Sendable func report(request: Request, context: AppRequestContext) async throws -> EditedResponse<APIResponse<Reported>> {
        let (userID, _) = try context.requireSignedIn()
        let conversation = try Self.conversationID(context)
        let body = try await request.decode(as: ReportRequest.self, context: context)
        if let reason = body.reason, reason.storedLength > 1_000 {
            throw APIError.badRequest("INVALID_REPORT", "신고 내용은 1,000자 이하로 적어 주세요.")
        }
        guard let caseID = try await service.report(conversation, by: userID, reason: body.reason, requestID: context.id, logger: context.logger) else {
            throw ChatService.conversationNotFound
        }
        return EditedResponse(
            status: .created,
            response: APIResponse(Reported(caseId: caseID), message: "신고를 접수했습니다. 운영진이 대화를 확인하고 조치하겠습니다.")
        )
    }

    /// The socket's address asked without an upgrade: why it would be refused, or 426.
    @Sendable func socketWithoutUpgrade(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await admission.admit(request, conversation: context.parameters.get("conversationId"), spend: false, logger: context.logger)
        throw APIError(.upgradeRequired, code: "UPGRADE_REQUIRED", message: "이 주소는 WebSocket으로 연결해 주세요. 티켓은 아직 사용되지 않았습니다.")
    }

    static func conversationID(_ context: AppRequestContext) throws -> UUID {
        guard let id = context.parameters.get("conversationId").flatMap(UUID.init(uuidString:)) else {
            throw APIError.badRequest("INVALID_CONVERSATION_ID", "대화 번호가 올바르지 않습니다.")
        }
        return id
    }

    static func sequence(_ context: AppRequestContext) throws -> Int64 {
        guard let value = context.parameters.get("sequence").flatMap(Int64.init), value > 0 else {
            throw APIError.badRequest("INVALID_SEQUENCE", "메시지 순번이 올바르지 않습니다.")
        }
        return value
    }
}
