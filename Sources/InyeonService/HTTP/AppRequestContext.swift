import Foundation
import Hummingbird

/// The request context of every route: who is asking, as RLS will see them.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Anonymous until the authentication middleware proves otherwise.
    public var identity: RequestIdentity
    /// The verified bearer token's owner, when there is one.
    var caller: AuthenticatedCaller?
    /// The peer's address (or the forwarded client's, behind a trusted proxy).
    public var remoteAddress: String
    /// For the web pages: the form token and display preferences (see `WebSessionMiddleware`).
    var web = WebRequestState()

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = .anonymous
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// An admin, or an operator token carrying `scope`; 401 when anonymous, 403 otherwise.
    func requireAdmin(scope: String) throws {
        guard let caller else { throw APIError(.unauthorized, code: "AUTH_REQUIRED", message: "로그인이 필요합니다.") }
        let scoped = caller.kind != .service || caller.scope?.split(separator: " ").contains(Substring(scope)) == true
        guard caller.role == .admin || caller.role == .system, scoped else {
            throw APIError(.forbidden, code: "FORBIDDEN", message: "관리자만 할 수 있습니다.")
        }
    }

    /// A moderator or admin (a person, or an operator token with that role), who reads the moderation
    /// queue; their user id when they are a person. 401 when anonymous, 403 otherwise.
    func requireStaff() throws -> UUID? {
        guard let caller else { throw APIError(.unauthorized, code: "AUTH_REQUIRED", message: "로그인이 필요합니다.") }
        guard [.moderator, .admin, .system].contains(caller.role) else {
            throw APIError(.forbidden, code: "FORBIDDEN", message: "운영진만 볼 수 있습니다.")
        }
        return caller.userID
    }

    /// The signed-in person, or 401 for an anonymous caller.
    func requireSignedIn() throws -> (userID: UUID, sessionID: UUID?) {
        guard let caller, let userID = caller.userID else {
            throw APIError(.unauthorized, code: "AUTH_REQUIRED", message: "로그인이 필요합니다.")
        }
        return (userID, caller.sessionID)
    }

    /// JSON bodies only when declared as JSON (415 otherwise).
    public var requestDecoder: JSONBodyDecoder { JSONBodyDecoder() }

    /// Stable key order and unescaped slashes, so answers read and diff well.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
