import Foundation

/// The roles RLS policies read from the transaction context.
public enum AppRole: String, Sendable, Codable, CaseIterable {
    case anonymous, user, verified, moderator, admin, system
}

/// Who a database transaction runs as: PostgreSQL's policies see exactly this.
public struct RequestIdentity: Sendable, Equatable {
    public var userID: UUID?
    public var role: AppRole

    public init(userID: UUID?, role: AppRole) {
        self.userID = userID
        self.role = role
    }

    public static let anonymous = RequestIdentity(userID: nil, role: .anonymous)
    /// Operator work (seeding, erasure): policies let it write any row. Never derived from a request.
    public static let system = RequestIdentity(userID: nil, role: .system)

    public static func user(_ id: UUID, role: AppRole = .user) -> RequestIdentity {
        RequestIdentity(userID: id, role: role)
    }
}
