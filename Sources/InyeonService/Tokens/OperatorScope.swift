/// What a staff route lets its caller do. A person needs one of `personRoles`; an operator token
/// needs the scope itself, and then acts in the database with `databaseRole` and no user: the
/// least identity that work needs, never the role written in the token.
public enum OperatorScope: String, CaseIterable, Sendable {
    case auditRead = "audit:read"
    case flagsWrite = "flags:write"
    case feedbackRead = "feedback:read"
    case moderationRead = "moderation:read"
    case moderationWrite = "moderation:write"
    /// The service's inner figures: `/metrics`, `/api/health/enhanced`, `/api/rls/status`.
    case opsRead = "ops:read"
    /// The mail outbox: what waits, what went, the dead letters and their last errors.
    case mailRead = "mail:read"
    /// Sending a dead letter again.
    case mailWrite = "mail:write"

    /// The role PostgreSQL's policies need for this work.
    var databaseRole: AppRole {
        switch self {
        case .auditRead, .flagsWrite, .feedbackRead, .opsRead, .mailRead, .mailWrite: .admin
        case .moderationRead, .moderationWrite: .moderator
        }
    }

    /// The people who may do this work themselves.
    var personRoles: Set<AppRole> {
        switch databaseRole {
        case .moderator: [.moderator, .admin]
        default: [.admin]
        }
    }

    /// Space-separated scope names, each known; nil when one is not.
    public static func parse(_ text: String) -> [OperatorScope]? {
        let names = text.split(separator: " ")
        let scopes = names.compactMap { OperatorScope(rawValue: String($0)) }
        return scopes.count == names.count && !scopes.isEmpty ? scopes : nil
    }
}
