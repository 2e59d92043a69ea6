import Foundation
import Hummingbird
import InyeonCore
import Logging
import PostgresNIO

/// What a person can do in a conversation, over the socket or over REST alike: each action is
/// checked, stored, and announced to every instance.
struct ChatService: Sendable {
    let repository: ChatRepository
    let hub: ChatHub
    let detector = ScamSignalDetector()
    /// The scam-risk model shipped with the service (nil only in a build without its model file).
    let riskModel = ScamRiskModel.bundled
    let metrics: ServiceMetrics
    let limits: AbuseLimits
    /// Read receipts per person (each one reaches the partner's sockets), counted in this instance.
    let readReceipts: AbuseLimiter

    init(repository: ChatRepository, hub: ChatHub, metrics: ServiceMetrics, limits: AbuseLimits = AbuseLimits()) {
        self.repository = repository
        self.hub = hub
        self.metrics = metrics
        self.limits = limits
        self.readReceipts = AbuseLimiter(threshold: limits.readReceiptsPerMinute, window: .seconds(60), blockFor: .seconds(60))
    }

    static let maxLength = 2_000

    /// Sends a message; a client id already used in this conversation returns the stored message.
    func send(
        _ text: String, clientID: String, in conversation: UUID, from userID: UUID, origin: String?, requestID: String?, logger: Logger
    ) async throws -> ChatRepository.SendOutcome {
        try Self.validate(text)
        guard (1...64).contains(clientID.storedLength) else {
            throw APIError.badRequest("INVALID_CLIENT_ID", "clientId는 1~64자여야 합니다.")
        }
        let outcome = try await translated {
            try await repository.send(
                text, clientID: clientID, judge: { earlier in judge(text, earlier: earlier) }, in: conversation, from: userID,
                requestID: requestID, logger: logger
            ) { message, connection in
                try await ChatHub.announce(ChatEvent(kind: .message, conversation: conversation, origin: origin, message: message),
                                           on: connection, logger: logger)
            }
        }
        metrics.recordChatMessage(flagged: !outcome.message.scamSignals.isEmpty && !outcome.duplicate, duplicate: outcome.duplicate)
        return outcome
    }

    /// What a message is stored with: judged by the scam-risk model with the sender's earlier
    /// messages, so a request that follows a story two messages earlier is seen. The signals (the
    /// recipient's warning) are the rules' names for what a flagged message asks for, or
    /// `scamPattern` when no rule names anything; the risk and reasons go to the moderators.
    func judge(_ text: String, earlier: [String]) -> ScamJudgement {
        guard let riskModel else { return ScamJudgement(signals: detector.signals(in: text), risk: nil, reasons: []) }
        let assessment = riskModel.assess(text, earlier: earlier, detector: detector)
        guard assessment.flagged else { return .none }
        return ScamJudgement(
            signals: assessment.signals.isEmpty ? [.scamPattern] : assessment.signals, risk: assessment.risk, reasons: assessment.reasons
        )
    }

    /// Edits one's own message (within 30 minutes); the new text is checked again.
    func edit(sequence: Int64, to text: String, in conversation: UUID, by userID: UUID, origin: String?, requestID: String?,
              logger: Logger) async throws -> StoredMessage {
        try Self.validate(text)
        return try await change(sequence: sequence, text: text, in: conversation, by: userID, origin: origin, requestID: requestID, logger: logger)
    }

    /// Deletes one's own message (within 24 hours): both people then see that a message was deleted.
    func delete(sequence: Int64, in conversation: UUID, by userID: UUID, origin: String?, requestID: String?,
                logger: Logger) async throws -> StoredMessage {
        try await change(sequence: sequence, text: nil, in: conversation, by: userID, origin: origin, requestID: requestID, logger: logger)
    }

    private func change(sequence: Int64, text: String?, in conversation: UUID, by userID: UUID, origin: String?, requestID: String?,
                        logger: Logger) async throws -> StoredMessage {
        return try await translated {
            try await repository.change(
                sequence: sequence, in: conversation, by: userID, text: text,
                judge: { earlier in text.map { judge($0, earlier: earlier) } ?? .none }, requestID: requestID, logger: logger
            ) { message, connection in
                try await ChatHub.announce(ChatEvent(kind: .message, conversation: conversation, origin: origin, message: message),
                                           on: connection, logger: logger)
            }
        }
    }

    /// Marks the conversation read up to `sequence`; the other person sees the receipt.
    /// At most `limits.readReceiptsPerMinute` a minute per person (then 429 `TOO_MANY_REQUESTS` for a minute).
    func markRead(upTo sequence: Int64, in conversation: UUID, by userID: UUID, origin: String?, logger: Logger) async throws -> Int64 {
        let reader = userID.uuidString.lowercased()
        if let wait = readReceipts.retryAfter(for: reader) { throw RateLimitedError(retryAfterSeconds: wait) }
        _ = readReceipts.recordFailure(from: reader)  // counts this receipt; the one that reaches the limit is the last let through
        return try await translated {
            try await repository.markRead(upTo: sequence, in: conversation, by: userID, logger: logger) { marker, connection in
                try await ChatHub.announce(ChatEvent(kind: .read, conversation: conversation, origin: origin, sequence: marker, user: userID),
                                           on: connection, logger: logger)
            }
        }
    }

    /// Reports the other person of a conversation to the moderators; nil when the caller is not in it.
    /// At most `limits.reportsPerPersonPerHour` an hour per reporter (429 `TOO_MANY_REQUESTS` after),
    /// counted in PostgreSQL so that it holds across instances.
    func report(_ conversation: UUID, by userID: UUID, reason: String?, category: SupportDesk.ReportCategory? = nil, requestID: String?,
                logger: Logger) async throws -> Int64? {
        try await SharedRateLimit(database: repository.database).take(
            [.init(bucket: "report", subject: userID.uuidString.lowercased(), limit: limits.reportsPerPersonPerHour, windowSeconds: 3600)],
            logger: logger
        )
        return try await repository.report(conversation, by: userID, reason: reason, category: category, requestID: requestID, logger: logger)
    }

    /// Tells the other person's sockets that `userID` is typing (not stored).
    func typing(in conversation: UUID, by userID: UUID, logger: Logger) async throws {
        try await repository.database.client.withConnection { connection in
            try await ChatHub.announce(
                ChatEvent(kind: .typing, conversation: conversation, user: userID), on: DatabaseConnection(connection), logger: logger
            )
        }
    }

    static func validate(_ text: String) throws {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.badRequest("INVALID_MESSAGE", "빈 메시지는 보낼 수 없습니다.")
        }
        guard text.storedLength <= maxLength else {
            throw APIError.badRequest("MESSAGE_TOO_LONG", "메시지는 \(maxLength)자까지 보낼 수 있습니다.")
        }
        // PostgreSQL's text cannot hold the NUL character; refused here, it is a clear error on the socket too.
        guard !text.unicodeScalars.contains("\u{0}") else {
            throw APIError.badRequest("INVALID_MESSAGE", "메시지에 보낼 수 없는 문자가 들어 있습니다.")
        }
    }

    static let conversationNotFound = APIError(.notFound, code: "CONVERSATION_NOT_FOUND", message: "대화를 찾을 수 없거나 이미 종료된 대화입니다.")

    /// Chat's refusals in the project's envelope.
    func translated<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let failure as ChatRepository.Failure {
            switch failure {
            case .noConversation: throw Self.conversationNotFound
            case .noMessage: throw APIError(.notFound, code: "MESSAGE_NOT_FOUND", message: "메시지를 찾을 수 없습니다.")
            case .rateLimited:
                throw APIError(.tooManyRequests, code: "RATE_LIMITED", message: "메시지는 1분에 30개까지 보낼 수 있습니다. 잠시 후 다시 보내 주세요.")
            case .tooLate:
                throw APIError(.forbidden, code: "TOO_LATE", message: "수정은 보낸 뒤 30분, 삭제는 24시간 안에만 할 수 있습니다.")
            case .invalidText: throw APIError.badRequest("INVALID_MESSAGE", "메시지는 1~2,000자여야 합니다.")
            }
        }
    }
}

/// The scam check's verdict on one message, as stored.
struct ScamJudgement: Sendable {
    /// Empty: not flagged.
    var signals: [ScamSignal]
    /// The model's calibrated risk (nil when judged by the rules alone).
    var risk: Double?
    var reasons: [String]

    static let none = ScamJudgement(signals: [], risk: nil, reasons: [])
}
