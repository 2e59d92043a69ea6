import Foundation
import Hummingbird
import InyeonCore
import Logging
import PostgresNIO

/// The moderation queue: conversations with a message the scam check flagged, and people's reports.
/// Staff (moderators and admins) read it through their role: RLS opens exactly the conversations
/// that are in the queue to them, and no others.
struct ModerationController: Sendable {
    let database: Database

    struct Case: Encodable, Sendable {
        var caseId: Int64
        /// The conversation of a flagged message or a report made in it; nil for a report made from
        /// a card and for a customer-centre ticket.
        var conversationId: String?
        /// `scam_signal`, `report` (from a conversation), `profile_report` (from a card) or `support` (a ticket).
        var kind: String
        /// What a report or ticket is about (`money`, `fake`, … for reports; `account`, `safety`, … for tickets).
        var category: String?
        /// Where to answer a ticket from someone who was signed out.
        var contactEmail: String?
        var status: String
        var signals: [String]
        /// The scam-risk model's calibrated risk for a flagged message, and what raised it most.
        var risk: Double?
        var reasons: [String]
        var messageSequence: Int64?
        var subjectId: String?
        var reporterId: String?
        var note: String?
        var createdAt: Date
    }

    struct CaseDetail: Encodable, Sendable {
        var moderationCase: Case
        /// The conversation's newest 200 messages, oldest first.
        var messages: [ModeratedMessage]
    }

    struct ModeratedMessage: Encodable, Sendable {
        var sequence: Int64
        var senderId: String
        var text: String
        var signals: [String]
        var sentAt: Date
        var deleted: Bool
    }

    struct Review: Decodable, Sendable {
        var status: String
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/moderation/cases", use: list)
        routes.get("/api/moderation/cases/:caseId", use: detail)
        routes.post("/api/moderation/cases/:caseId/review", use: review)
    }

    static let columns =
        "id, match_id, kind, status, signals, risk, reasons, message_sequence, subject_id, reporter_id, note, created_at, category, contact_email"

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> APIResponse<[Case]> {
        let staff = try context.require(.moderationRead)
        let status = request.uri.queryParameters.get("status") ?? "open"
        guard ["open", "dismissed", "actioned"].contains(status) else {
            throw APIError.badRequest("INVALID_PARAMETER", "status는 open, dismissed, actioned 중 하나여야 합니다.")
        }
        let limit = try request.integerParameter("limit", default: 50, range: 1...100)
        let cases = try await cases(status: status, limit: limit, as: staff, logger: context.logger)
        return APIResponse(cases, message: "신고·경고 대기열 \(cases.count)건")
    }

    /// The newest cases with `status` (open, dismissed or actioned), as staff see them.
    func cases(status: String, limit: Int, as staff: RequestIdentity, logger: Logger) async throws -> [Case] {
        try await database.transaction(as: staff, logger: logger) { connection in
            try await Self.cases(
                connection.query(
                    "SELECT \(unescaped: Self.columns) FROM moderation_cases WHERE status = \(status) ORDER BY created_at DESC LIMIT \(limit)",
                    logger: logger
                )
            )
        }
    }

    @Sendable func detail(request: Request, context: AppRequestContext) async throws -> APIResponse<CaseDetail> {
        let staff = try context.require(.moderationRead)
        let caseID = try Self.caseID(context)
        let detail = try await database.transaction(as: staff, logger: context.logger) { connection -> CaseDetail? in
            guard let found = try await Self.cases(
                connection.query("SELECT \(unescaped: Self.columns) FROM moderation_cases WHERE id = \(caseID)", logger: context.logger)
            ).first else { return nil }
            var messages: [ModeratedMessage] = []
            if let conversation = found.conversationId.flatMap(UUID.init(uuidString:)) {
                for try await (sequence, sender, body, signals, sentAt, deletedAt) in try await connection.query(
                    """
                    SELECT sequence, sender_id, body, scam_signals, sent_at, deleted_at FROM messages
                    WHERE match_id = \(conversation) ORDER BY sequence DESC LIMIT 200
                    """,
                    logger: context.logger
                ).decode((Int64, UUID, String, [String], Date, Date?).self) {
                    messages.append(ModeratedMessage(
                        sequence: sequence, senderId: sender.uuidString.lowercased(), text: body, signals: signals, sentAt: sentAt,
                        deleted: deletedAt != nil
                    ))
                }
            }
            try await AuditLog.record(
                AuditEntry(action: "moderation.case_read", actorID: staff.userID, actorRole: staff.role,
                           targetType: "moderation_case", targetID: String(caseID)),
                requestID: context.id, on: connection, logger: context.logger
            )
            return CaseDetail(moderationCase: found, messages: messages.reversed())
        }
        guard let detail else { throw Self.notFound }
        return APIResponse(detail, message: "신고·경고 내용입니다.")
    }

    @Sendable func review(request: Request, context: AppRequestContext) async throws -> APIResponse<Case> {
        let staff = try context.require(.moderationWrite)
        let caseID = try Self.caseID(context)
        let body = try await request.decode(as: Review.self, context: context)
        guard ["dismissed", "actioned"].contains(body.status) else {
            throw APIError.badRequest("INVALID_STATUS", "status는 dismissed(문제없음) 또는 actioned(조치함)여야 합니다.")
        }
        let reviewed = try await review(caseID, status: body.status, as: staff, requestID: context.id, logger: context.logger)
        guard let reviewed else { throw Self.notFound }
        return APIResponse(reviewed, message: "검토 결과를 기록했습니다.")
    }

    /// Closes a case as `status` (dismissed or actioned), audited; nil when there is no such case.
    func review(_ caseID: Int64, status: String, as staff: RequestIdentity, requestID: String?, logger: Logger) async throws -> Case? {
        let staffID = staff.userID
        return try await database.transaction(as: staff, logger: logger) { connection -> Case? in
            let updated = try await Self.cases(
                connection.query(
                    """
                    UPDATE moderation_cases SET status = \(status), reviewed_by = \(staffID), reviewed_at = now()
                    WHERE id = \(caseID) RETURNING \(unescaped: Self.columns)
                    """,
                    logger: logger
                )
            ).first
            if updated != nil {
                try await AuditLog.record(
                    AuditEntry(action: "moderation.case_reviewed", actorID: staffID, actorRole: staff.role,
                               targetType: "moderation_case", targetID: String(caseID), details: ["status": status]),
                    requestID: requestID, on: connection, logger: logger
                )
            }
            return updated
        }
    }

    static let notFound = APIError(.notFound, code: "CASE_NOT_FOUND", message: "해당 신고·경고를 찾을 수 없습니다.")

    static func caseID(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("caseId").flatMap(Int64.init), id > 0 else {
            throw APIError.badRequest("INVALID_CASE_ID", "신고 번호가 올바르지 않습니다.")
        }
        return id
    }

    private static func cases(_ rows: DatabaseRows) async throws -> [Case] {
        var cases: [Case] = []
        for try await (id, match, kind, status, signals, risk, reasons, sequence, subject, reporter, note, createdAt, category, contact) in rows.decode(
            (Int64, UUID?, String, String, [String], Float?, [String], Int64?, UUID?, UUID?, String?, Date, String?, String?).self
        ) {
            cases.append(Case(
                caseId: id, conversationId: match?.uuidString.lowercased(), kind: kind, category: category, contactEmail: contact, status: status, signals: signals,
                risk: risk.map { (Double($0) * 1000).rounded() / 1000 }, reasons: reasons, messageSequence: sequence, subjectId: subject?.uuidString.lowercased(), reporterId: reporter?.uuidString.lowercased(),
                note: note, createdAt: createdAt
            ))
        }
        return cases
    }
}
