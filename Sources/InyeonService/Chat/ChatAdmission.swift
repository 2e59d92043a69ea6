import Foundation
import Hummingbird
import InyeonCore
import Logging

/// Who may open a conversation's socket: the holder of a valid single-use ticket, who is one of the
/// two people of the open match, while real-time chat is on for them. Checked before the upgrade;
/// the ticket is spent only when everything else has passed.
struct ChatAdmission: Sendable {
    struct Admitted: Sendable {
        var userID: UUID
        /// The session the ticket was issued in: when it ends, the socket closes.
        var sessionID: UUID
        var conversationID: UUID
        /// Resume: the last sequence and revision the client saw (nil: no missed messages wanted).
        var afterSequence: Int64?
        /// Without `afterRevision`, the client's `after` stands in for it: every send takes the next
        /// revision, so message n was sent at revision n or later, and whatever changed after the
        /// client saw it has a higher revision still. Changes between the two are sent again
        /// (harmless: a message frame replaces the message); nothing is missed, and the whole
        /// conversation is not replayed.
        var afterRevision: Int64?
        var korean: Bool
    }

    let accounts: AccountService
    let repository: ChatRepository
    let hub: ChatHub
    let flags: FlagStore
    let securityEvents: SecurityEventCounter

    static let chatDisabled = APIError(
        .forbidden, code: "REAL_TIME_CHAT_DISABLED",
        message: "실시간 채팅은 아직 열리지 않았습니다. 대화 기록은 그대로 볼 수 있고, 메시지는 화면에서 보내실 수 있습니다."
    )
    static let ticketRequired = APIError(
        .unauthorized, code: "TICKET_REQUIRED", message: "채팅 연결에는 1회용 티켓이 필요합니다 (POST /api/auth/websocket-ticket)."
    )
    static let ticketRefused = APIError(
        .unauthorized, code: "TICKET_INVALID", message: "티켓이 올바르지 않거나, 만료되었거나, 이미 사용되었습니다. 새 티켓을 받아 주세요."
    )
    static let restarting = APIError(
        .serviceUnavailable, code: "SERVICE_RESTARTING", message: "서버가 다시 시작하는 중입니다. 잠시 후 다시 연결해 주세요."
    )
    static let tooManySockets = APIError(
        .tooManyRequests, code: "TOO_MANY_CONNECTIONS", message: "동시에 열 수 있는 채팅 연결 수를 넘었습니다. 다른 창을 닫고 다시 시도해 주세요."
    )

    /// Checks a socket request; with `spend`, the ticket is used up when the answer is yes.
    func admit(_ request: Request, conversation: String?, spend: Bool, logger: Logger) async throws -> Admitted {
        guard let conversationID = conversation.flatMap(UUID.init(uuidString:)) else {
            throw APIError.badRequest("INVALID_CONVERSATION_ID", "대화 번호가 올바르지 않습니다.")
        }
        let query = request.uri.queryParameters
        guard let ticket = query.get("ticket"), !ticket.isEmpty, ticket.count <= 200 else { throw Self.ticketRequired }
        let afterSequence = try Self.counter(query.get("after"), name: "after")
        let afterRevision = try Self.counter(query.get("afterRevision"), name: "afterRevision")
        guard let holder = try await accounts.webSocketTicketOwner(ticket, logger: logger) else {
            securityEvents.count(.invalidToken)
            throw Self.ticketRefused
        }
        let userID = holder.userID
        guard flags.evaluate(.realTimeChat, for: .user(userID)).enabled else { throw Self.chatDisabled }
        do {
            _ = try await repository.partner(in: conversationID, of: userID, logger: logger)
        } catch is ChatRepository.Failure {
            throw ChatService.conversationNotFound
        }
        guard !hub.isStopping else { throw Self.restarting }
        guard hub.hasRoom(for: userID) else { throw Self.tooManySockets }
        if spend {
            guard try await accounts.redeemWebSocketTicket(ticket, logger: logger) == holder else { throw Self.ticketRefused }
        }
        return Admitted(
            userID: userID, sessionID: holder.sessionID, conversationID: conversationID, afterSequence: afterSequence,
            afterRevision: afterRevision ?? afterSequence, korean: query.get("lang") != "en"
        )
    }

    private static func counter(_ text: String?, name: String) throws -> Int64? {
        guard let text else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw APIError.badRequest("INVALID_PARAMETER", "\(name)는 0 이상의 정수여야 합니다.")
        }
        return value
    }
}
