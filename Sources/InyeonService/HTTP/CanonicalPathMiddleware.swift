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

    /// The escapes that would hide a separator, a dot or a control character (`%2f`, `%5c`, `%2e`,
    /// `%00`, `%09`, `%0a`, `%0d`, in either case), as the two hex digits' bytes, lowercased.
    private static let forbiddenEscapes = Set(["2f", "5c", "2e", "00", "09", "0a", "0d"].map { Array($0.utf8) })

    /// Whether `path` starts with a slash and has no empty, `.` or `..` segment, no backslash, no
    /// control character or space, and none of the escapes above. One pass over its UTF-8 bytes (every
    /// request asks; Foundation's substring search cost more than the routing): a byte below 0x80 is
    /// always the ASCII character itself in UTF-8, so checking bytes is checking characters.
    static func isCanonical(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return false }
        var segmentStart = 0
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case ..<0x21, 0x7F, UInt8(ascii: "\\"):
                return false
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.count else { continue }
                let escape = [bytes[index + 1] | 0x20, bytes[index + 2] | 0x20]
                if forbiddenEscapes.contains(escape) { return false }
            case UInt8(ascii: "/"):
                if index > 0, isEmptyOrDots(bytes[segmentStart..<index]) { return false }
                segmentStart = index + 1
            default:
                break
            }
        }
        // The last segment may be empty (a trailing slash), not "." or "..".
        let last = bytes[segmentStart...]
        return last.isEmpty || !isEmptyOrDots(last)
    }

    private static func isEmptyOrDots(_ segment: ArraySlice<UInt8>) -> Bool {
        segment.count <= 2 && segment.allSatisfy { $0 == UInt8(ascii: ".") }
    }

    /// The path with repeated slashes collapsed, when that alone makes it canonical.
    static func repaired(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return nil }
        let collapsed = "/" + path.split(separator: "/").joined(separator: "/") + (path.hasSuffix("/") && path.count > 1 ? "/" : "")
        let result = collapsed == "//" ? "/" : collapsed
        return isCanonical(result) ? result : nil
    }
}
