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

    /// The identity a staff route's work runs as: the person, when their role allows `scope`, or, for
    /// an operator token carrying `scope`, no user with the scope's least role. 401 when anonymous,
    /// 403 otherwise. Operator tokens are anonymous everywhere else (see `AuthenticatedCaller.identity`),
    /// so a route that forgets to ask gets the least identity, never the token's role.
    func require(_ scope: OperatorScope) throws -> RequestIdentity {
        guard let caller else { throw APIError(.unauthorized, code: "AUTH_REQUIRED", message: "로그인이 필요합니다.") }
        switch caller.kind {
        case .service:
            guard caller.scopes.contains(scope) else { throw Self.forbidden(scope) }
            return RequestIdentity(userID: nil, role: scope.databaseRole)
        case .access, .legacy:
            guard scope.personRoles.contains(caller.role) else { throw Self.forbidden(scope) }
            return caller.identity
        }
    }

    private static func forbidden(_ scope: OperatorScope) -> APIError {
        scope.databaseRole == .moderator
            ? APIError(.forbidden, code: "FORBIDDEN", message: "운영진만 볼 수 있습니다.")
            : APIError(.forbidden, code: "FORBIDDEN", message: "관리자만 할 수 있습니다.")
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
    public var responseEncoder: JSONEncoder { Self.jsonEncoder() }

    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
