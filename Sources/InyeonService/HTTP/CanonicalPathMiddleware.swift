import Foundation
import Hummingbird

/// The first word on every path: only its one canonical spelling goes on, so every middleware's
/// decision (is this a page, whose cookies count) and the router agree on what is asked. The router
/// skips empty segments, so `//api/me` would reach `/api/me` while looking like a page to a prefix
/// test; such a path is redirected (GET, HEAD) or refused, never served.
struct CanonicalPathMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if CanonicalPath.isCanonical(path) { return try await next(request, context) }
        if request.method == .get || request.method == .head, let repaired = CanonicalPath.repaired(path) {
            let query = request.uri.query.map { "?\($0)" } ?? ""
            return Response(status: .permanentRedirect, headers: [.location: repaired + query])
        }
        return try CanonicalPath.refusal.response(from: request, context: context)
    }
}

/// What a canonical path is: it starts with one `/`, has no empty, `.` or `..` segment, and no
/// backslash or percent-encoded slash, backslash, dot or control character that a later reader
/// could turn into one.
enum CanonicalPath {
    static let refusal = APIError(.badRequest, code: "INVALID_PATH", message: "요청 주소의 형식이 올바르지 않습니다.")

    private static let forbiddenEncodings = ["%2f", "%5c", "%2e", "%00", "%09", "%0a", "%0d"]

    static func isCanonical(_ path: String) -> Bool {
        guard path.hasPrefix("/"), !path.contains("//"), !path.contains("\\") else { return false }
        guard !path.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else { return false }
        let lowered = path.lowercased()
        guard !forbiddenEncodings.contains(where: lowered.contains) else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }
    }

    /// The path with repeated slashes collapsed, when that alone makes it canonical.
    static func repaired(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return nil }
        let collapsed = "/" + path.split(separator: "/").joined(separator: "/") + (path.hasSuffix("/") && path.count > 1 ? "/" : "")
        let result = collapsed == "//" ? "/" : collapsed
        return isCanonical(result) ? result : nil
    }
}
