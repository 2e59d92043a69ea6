import Foundation
import InyeonCore
import Logging
import PostgresNIO

/// Chat's reads and writes. Writes go through the definer functions of the `chat` migration; reads
/// run as the person asking, so row-level security decides which conversations they can see.
struct ChatRepository: Sendable {
    let database: Database

    enum Failure: Error, Equatable {
        /// Not one of the two people of an open match (or the match ended, or a block).
        case noConversation
        case noMessage
        case rateLimited
        /// Past the 30 minutes for an edit or the 24 hours for a deletion.
        case tooLate
        case invalidText
    }

    struct SendOutcome: Sendable {
        var message: StoredMessage
        /// The client id was seen before: nothing new was stored.
        var duplicate: Bool
    }

    struct ConversationSummary: Sendable {
        var conversationID: UUID
        var partnerID: UUID
        var matchedAt: Date
        var lastSequence: Int64
        var readSequence: Int64
        var partnerReadSequence: Int64
        var lastMessageAt: Date?
        var lastMessageText: String?
        var lastMessageSenderID: UUID?
    }

    /// Stores a message and, in the same transaction, tells every instance (`NOTIFY` at commit).
    /// `judge` gives the message's scam signals from its text and the sender's earlier messages
    /// (read in the same transaction).
    func send(
        _ text: String, clientID: String, judge: @escaping @Sendable (_ earlier: [String]) -> ScamJudgement, in conversation: UUID,
        from userID: UUID, requestID: String?, logger: Logger,
        announce: @escaping @Sendable (StoredMessage, DatabaseConnection) async throws -> Void
    ) async throws -> SendOutcome {
        try await mapped {
            try await database.transaction(as: .user(userID), logger: logger) { connection in
                let judgement = judge(try await Self.earlierTexts(in: conversation, from: userID, before: nil, on: connection, logger: logger))
                let rows = try await connection.query(
                    """
                    SELECT sequence, revision, sent_at, body, scam_signals, duplicate
                    FROM app.send_message(
                        \(conversation), \(clientID), \(text), \(judgement.signals.map(\.rawValue)), \(judgement.risk.map(Float.init)), \(judgement.reasons)
                    )
                    """,
                    logger: logger
                ).decode((Int64, Int64, Date, String, [String], Bool).self)
                for try await (sequence, revision, sentAt, body, storedSignals, duplicate) in rows {
                    let message = StoredMessage(
                        conversationID: conversation, sequence: sequence, revision: revision, senderID: userID, clientID: clientID,
                        text: body, scamSignals: storedSignals.compactMap(ScamSignal.init(rawValue:)), sentAt: sentAt
                    )
                    if !duplicate {
                        try await Self.recordScamSignals(judgement.signals, in: conversation, sequence: sequence, by: userID, edited: false,
                                                         requestID: requestID, on: connection, logger: logger)
                        try await announce(message, connection)
                    }
                    return SendOutcome(message: message, duplicate: duplicate)
                }
                throw Failure.noConversation
            }
        }
    }

    /// Edits (`text` given) or deletes (`text` nil) one of the sender's own messages.
    func change(
        sequence: Int64, in conversation: UUID, by userID: UUID, text: String?, judge: @escaping @Sendable (_ earlier: [String]) -> ScamJudgement,
        requestID: String?, logger: Logger, announce: @escaping @Sendable (StoredMessage, DatabaseConnection) async throws -> Void
    ) async throws -> StoredMessage {
        try await mapped {
            try await database.transaction(as: .user(userID), logger: logger) { connection in
                let judgement = text == nil
                    ? ScamJudgement.none
                    : judge(try await Self.earlierTexts(in: conversation, from: userID, before: sequence, on: connection, logger: logger))
                let rows = try await connection.query(
                    """
                    SELECT c.revision, c.body, c.scam_signals, c.sent_at, c.edited_at, c.deleted_at, m.client_message_id
                    FROM app.change_message(
                        \(conversation), \(sequence), \(text), \(judgement.signals.map(\.rawValue)), \(judgement.risk.map(Float.init)), \(judgement.reasons)
                    ) c
                    JOIN messages m ON m.match_id = \(conversation) AND m.sequence = \(sequence)
                    """,
                    logger: logger
                ).decode((Int64, String, [String], Date, Date?, Date?, String).self)
                for try await (revision, body, storedSignals, sentAt, editedAt, deletedAt, clientID) in rows {
                    let message = StoredMessage(
                        conversationID: conversation, sequence: sequence, revision: revision, senderID: userID, clientID: clientID, text: body,
                        scamSignals: storedSignals.compactMap(ScamSignal.init(rawValue:)), sentAt: sentAt, editedAt: editedAt, deletedAt: deletedAt
                    )
                    if text != nil {
                        try await Self.recordScamSignals(judgement.signals, in: conversation, sequence: sequence, by: userID, edited: true,
                                                         requestID: requestID, on: connection, logger: logger)
                    }
                    try await announce(message, connection)
                    return message
                }
                throw Failure.noMessage
            }
        }
    }

    /// Moves the reader's marker forward; returns where it now stands.
    func markRead(upTo sequence: Int64, in conversation: UUID, by userID: UUID, logger: Logger,
                  announce: @escaping @Sendable (Int64, DatabaseConnection) async throws -> Void) async throws -> Int64 {
        try await mapped {
            try await database.transaction(as: .user(userID), logger: logger) { connection in
                var marker: Int64 = 0
                for try await value in try await connection.query(
                    "SELECT app.mark_read(\(conversation), \(sequence))", logger: logger
                ).decode(Int64.self) {
                    marker = value
                }
                try await announce(marker, connection)
                return marker
            }
        }
    }

    /// Reports the other person of a match (open or ended) to the moderators; nil when the caller is not in it.
    func report(_ conversation: UUID, by userID: UUID, reason: String?, category: SupportDesk.ReportCategory? = nil, requestID: String?,
                logger: Logger) async throws -> Int64? {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            for try await caseID in try await connection.query(
                """
                INSERT INTO moderation_cases (match_id, subject_id, reporter_id, kind, note, category)
                SELECT m.id, CASE WHEN m.user_low = \(userID) THEN m.user_high ELSE m.user_low END, \(userID), 'report', \(reason),
                       \(category?.rawValue)
                FROM matches m WHERE m.id = \(conversation) AND \(userID) IN (m.user_low, m.user_high)
                RETURNING id
                """,
                logger: logger
            ).decode(Int64.self) {
                try await AuditLog.record(
                    AuditEntry(action: "moderation.reported", actorID: userID, actorRole: .user, targetType: "conversation",
                               targetID: conversation.uuidString.lowercased(), details: ["case": String(caseID)]),
                    requestID: requestID, on: connection, logger: logger
                )
                return caseID
            }
            return nil
        }
    }

    /// The sender's latest messages in the conversation (before `sequence` when given), oldest
    /// first, as many as the scam-risk model reads; deleted ones are left out.
    static func earlierTexts(in conversation: UUID, from userID: UUID, before sequence: Int64?, on connection: DatabaseConnection,
                             logger: Logger) async throws -> [String] {
        var texts: [String] = []
        for try await body in try await connection.query(
            """
            SELECT body FROM messages
            WHERE match_id = \(conversation) AND sender_id = \(userID) AND deleted_at IS NULL AND sequence < \(sequence ?? Int64.max)
            ORDER BY sequence DESC LIMIT \(ScamRiskFeatures.earlierMessages)
            """,
            logger: logger
        ).decode(String.self) {
            texts.append(body)
        }
        return texts.reversed()
    }

    /// The other person of an open conversation of `userID`'s.
    func partner(in conversation: UUID, of userID: UUID, logger: Logger) async throws -> UUID {
        try await mapped {
            try await database.transaction(as: .user(userID), logger: logger) { connection in
                try await Self.partner(in: conversation, on: connection, logger: logger)
            }
        }
    }

    /// Messages before `sequence` (or the newest when nil), newest first.
    func page(of conversation: UUID, for userID: UUID, before sequence: Int64?, limit: Int, logger: Logger) async throws -> [StoredMessage] {
        try await mapped {
            try await database.transaction(as: .user(userID), logger: logger) { connection in
                _ = try await Self.partner(in: conversation, on: connection, logger: logger)
                return try await Self.messages(
                    connection.query(
                        """
                        SELECT \(unescaped: Self.columns) FROM messages
                        WHERE match_id = \(conversation) AND sequence < \(sequence ?? Int64.max)
                        ORDER BY sequence DESC LIMIT \(limit)
                        """,
                        logger: logger
                    ),
                    conversation: conversation
                )
            }
        }
    }

    /// What a reconnecting client missed: messages after `sequence`, and older ones changed after
    /// `revision`, in sequence order, at most `limit`.
    func missed(in conversation: UUID, for userID: UUID, afterSequence sequence: Int64, afterRevision revision: Int64, limit: Int,
                logger: Logger) async throws -> [StoredMessage] {
        try await mapped {
            try await database.transaction(as: .user(userID), logger: logger) { connection in
                _ = try await Self.partner(in: conversation, on: connection, logger: logger)
                return try await Self.messages(
                    connection.query(
                        """
                        SELECT \(unescaped: Self.columns) FROM messages
                        WHERE match_id = \(conversation) AND (sequence > \(sequence) OR revision > \(revision))
                        ORDER BY revision LIMIT \(limit)
                        """,
                        logger: logger
                    ),
                    conversation: conversation
                )
            }
        }
    }

    /// One message, read as the system (for a notification too large to carry it).
    func message(_ sequence: Int64, in conversation: UUID, logger: Logger) async throws -> StoredMessage? {
        try await database.transaction(as: .system, logger: logger) { connection in
            try await Self.messages(
                connection.query(
                    "SELECT \(unescaped: Self.columns) FROM messages WHERE match_id = \(conversation) AND sequence = \(sequence)",
                    logger: logger
                ),
                conversation: conversation
            ).first
        }
    }

    /// Of these conversations, the ones whose match is still open (read as the system).
    func stillOpen(_ conversations: [UUID], logger: Logger) async throws -> Set<UUID> {
        try await database.transaction(as: .system, logger: logger) { connection in
            var open: Set<UUID> = []
            for try await id in try await connection.query(
                "SELECT id FROM matches WHERE id = ANY(\(conversations)) AND ended_at IS NULL", logger: logger
            ).decode(UUID.self) {
                open.insert(id)
            }
            return open
        }
    }

    /// The person's open conversations, most recent first, with unread counts.
    func conversations(of userID: UUID, logger: Logger) async throws -> [ConversationSummary] {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT m.id, CASE WHEN m.user_low = \(userID) THEN m.user_high ELSE m.user_low END AS partner, m.matched_at,
                       coalesce(c.last_sequence, 0), coalesce(mine.read_sequence, 0), coalesce(theirs.read_sequence, 0),
                       c.last_message_at, last.body, last.sender_id
                FROM matches m
                LEFT JOIN conversations c ON c.match_id = m.id
                LEFT JOIN conversation_reads mine ON mine.match_id = m.id AND mine.user_id = \(userID)
                LEFT JOIN conversation_reads theirs ON theirs.match_id = m.id AND theirs.user_id <> \(userID)
                LEFT JOIN LATERAL (
                    SELECT x.body, x.sender_id FROM messages x WHERE x.match_id = m.id ORDER BY x.sequence DESC LIMIT 1
                ) last ON true
                WHERE m.ended_at IS NULL AND \(userID) IN (m.user_low, m.user_high)
                  AND NOT (CASE WHEN m.user_low = \(userID) THEN m.user_high ELSE m.user_low END = ANY (app.blocked_user_ids()))
                ORDER BY coalesce(c.last_message_at, m.matched_at) DESC
                """,
                logger: logger
            ).decode((UUID, UUID, Date, Int64, Int64, Int64, Date?, String?, UUID?).self)
            var summaries: [ConversationSummary] = []
            for try await (id, partner, matchedAt, last, read, partnerRead, lastAt, lastText, lastSender) in rows {
                summaries.append(ConversationSummary(
                    conversationID: id, partnerID: partner, matchedAt: matchedAt, lastSequence: last, readSequence: read,
                    partnerReadSequence: partnerRead, lastMessageAt: lastAt, lastMessageText: lastText, lastMessageSenderID: lastSender
                ))
            }
            return summaries
        }
    }

    /// The partner's read marker in a conversation (for the socket's first frame).
    func partnerReadSequence(in conversation: UUID, for userID: UUID, logger: Logger) async throws -> (last: Int64, partnerRead: Int64) {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            for try await (last, read) in try await connection.query(
                """
                SELECT coalesce((SELECT last_sequence FROM conversations WHERE match_id = \(conversation)), 0),
                       coalesce((SELECT read_sequence FROM conversation_reads WHERE match_id = \(conversation) AND user_id <> \(userID)), 0)
                """,
                logger: logger
            ).decode((Int64, Int64).self) {
                return (last, read)
            }
            return (0, 0)
        }
    }

    // MARK: Shared

    /// A flagged message (or edit) is a security event in the audit log, in the same transaction.
    private static func recordScamSignals(
        _ signals: [ScamSignal], in conversation: UUID, sequence: Int64, by userID: UUID, edited: Bool, requestID: String?,
        on connection: DatabaseConnection, logger: Logger
    ) async throws {
        guard !signals.isEmpty else { return }
        var details = ["sequence": String(sequence), "signals": signals.map(\.rawValue).joined(separator: ",")]
        if edited { details["edited"] = "true" }
        try await AuditLog.record(
            AuditEntry(action: "security.scam_signal", actorID: userID, actorRole: .user, targetType: "conversation",
                       targetID: conversation.uuidString.lowercased(), details: details),
            requestID: requestID, on: connection, logger: logger
        )
    }

    static let columns = "sequence, revision, sender_id, client_message_id, body, scam_signals, sent_at, edited_at, deleted_at"

    private static func messages(_ rows: DatabaseRows, conversation: UUID) async throws -> [StoredMessage] {
        var messages: [StoredMessage] = []
        for try await (sequence, revision, sender, clientID, body, signals, sentAt, editedAt, deletedAt) in rows.decode(
            (Int64, Int64, UUID, String, String, [String], Date, Date?, Date?).self
        ) {
            messages.append(StoredMessage(
                conversationID: conversation, sequence: sequence, revision: revision, senderID: sender, clientID: clientID, text: body,
                scamSignals: signals.compactMap(ScamSignal.init(rawValue:)), sentAt: sentAt, editedAt: editedAt, deletedAt: deletedAt
            ))
        }
        return messages
    }

    private static func partner(in conversation: UUID, on connection: DatabaseConnection, logger: Logger) async throws -> UUID {
        for try await partner in try await connection.query(
            "SELECT app.open_conversation_partner(\(conversation))", logger: logger
        ).decode(UUID.self) {
            return partner
        }
        throw Failure.noConversation
    }

    /// PostgreSQL's refusals (SQLSTATEs raised by the chat functions) as `Failure`s.
    private func mapped<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as PSQLError {
            switch error.serverInfo?[.sqlState] {
            case "P0002": throw error.serverInfo?[.message] == "no such message" ? Failure.noMessage : Failure.noConversation
            case "IY429": throw Failure.rateLimited
            case "IY403": throw Failure.tooLate
            case "22023", "23514": throw Failure.invalidText
            default: throw error
            }
        }
    }
}
