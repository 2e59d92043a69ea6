import Foundation
import Hummingbird

/// The request context of every route: who is asking, as RLS will see them.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Anonymous until the authentication middleware proves otherwise.
    public var identity: RequestIdentity
    /// The verified bearer token's owner, when there is one.
    var caller: AuthenticatedCaller?
    /// The client's address: the peer's, or the one a trusted proxy names (set by `ClientAddressMiddleware`).
    public var remoteAddress: String
    /// The socket's peer (nil without a socket, as in an in-process test).
    let peerAddress: String?
    /// For the web pages: the form token and display preferences (see `WebSessionMiddleware`).
    var web = WebRequestState()

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = .anonymous
        self.peerAddress = source.channel.remoteAddress?.ipAddress
        self.remoteAddress = peerAddress ?? "unknown"
    }

    /// The scope of operator tokens that read the service's inner figures (`/metrics`, enhanced health, RLS status).
    static let operationsScope = "ops:read"

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

    /// Stable key order and unescaped slashes, so answers read and diff well.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
