import Foundation
import Logging
import PostgresNIO

/// What people send to the staff outside a conversation: a report about a person, made from their
/// card before any match, and the customer centre's tickets. Both land in the moderation queue.
/// Row-level security decides who may be reported (exactly those whose card the reporter may see),
/// and each sender is limited per hour across every instance.
struct SupportDesk: Sendable {
    let database: Database
    let limits: AbuseLimits

    /// Why a person is reported, in the words the pages show.
    enum ReportCategory: String, CaseIterable, Sendable {
        case money, fake, harassment, married, minor, other
    }

    /// What a ticket is about.
    enum TicketCategory: String, CaseIterable, Sendable {
        case account, safety, privacy, suspension, question, other
    }

    static let noteLimit = 1000

    /// Reports `subject` to the moderators; nil when the reporter may not see that person's card
    /// (or is that person). At most `limits.reportsPerPersonPerHour` an hour, shared with reports
    /// made from conversations (429 after).
    func report(_ subject: UUID, by reporter: UUID, category: ReportCategory, note: String?, requestID: String?,
                logger: Logger) async throws -> Int64? {
        guard subject != reporter else { return nil }
        try await SharedRateLimit(database: database).take(
            [.init(bucket: "report", subject: reporter.uuidString.lowercased(), limit: limits.reportsPerPersonPerHour, windowSeconds: 3600)],
            logger: logger
        )
        let note = Self.trimmed(note)
        return try await database.transaction(as: .user(reporter), logger: logger) { connection in
            // The card check is the policy's; asking first turns "not visible" into nil instead of an error.
            let visible = try await connection.query("SELECT 1 FROM profiles WHERE user_id = \(subject)", logger: logger)
                .decode(Int.self).reduce(0) { $0 + $1 } > 0
            guard visible else { return nil }
            for try await caseID in try await connection.query(
                """
                INSERT INTO moderation_cases (subject_id, reporter_id, kind, category, note)
                VALUES (\(subject), \(reporter), 'profile_report', \(category.rawValue), \(note)) RETURNING id
                """,
                logger: logger
            ).decode(Int64.self) {
                try await AuditLog.record(
                    AuditEntry(action: "moderation.reported", actorID: reporter, actorRole: .user, targetType: "person",
                               targetID: subject.uuidString.lowercased(), details: ["case": String(caseID), "category": category.rawValue]),
                    requestID: requestID, on: connection, logger: logger
                )
                return caseID
            }
            return nil
        }
    }

    /// Opens a customer-centre ticket. Signed in, the answer goes to the account's address; signed
    /// out, to `contactEmail`. Limited per client address (and per person when signed in).
    func openTicket(category: TicketCategory, message: String, from person: UUID?, contactEmail: String?, address: String,
                    requestID: String?, logger: Logger) async throws {
        var counts: [SharedRateLimit.Count] = [
            .init(bucket: "support", subject: "address:" + address, limit: limits.ticketsPerAddressPerHour, windowSeconds: 3600),
        ]
        if let person {
            counts.append(.init(bucket: "support", subject: person.uuidString.lowercased(), limit: limits.ticketsPerAddressPerHour, windowSeconds: 3600))
        }
        try await SharedRateLimit(database: database).take(counts, logger: logger)
        let identity: RequestIdentity = person.map { .user($0) } ?? .anonymous
        try await database.transaction(as: identity, logger: logger) { connection in
            // No RETURNING: a signed-out sender may not read the ticket back.
            try await connection.query(
                """
                INSERT INTO moderation_cases (reporter_id, kind, category, note, contact_email)
                VALUES (\(person), 'support', \(category.rawValue), \(message), \(contactEmail))
                """,
                logger: logger
            )
            try await AuditLog.record(
                AuditEntry(action: "support.ticket_opened", actorID: person, actorRole: person == nil ? .anonymous : .user,
                           targetType: "support", targetID: nil, details: ["category": category.rawValue]),
                requestID: requestID, on: connection, logger: logger
            )
        }
    }

    /// The text without surrounding space, at most `noteLimit` code points (as PostgreSQL counts
    /// them), or nil when nothing is left.
    static func trimmed(_ text: String?) -> String? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: trimmed.unicodeScalars.prefix(noteLimit))
        return String(scalars)
    }
}
