import Foundation

/// Where a page may send the browser after a step (login's `next`): a path of this site and nothing
/// a browser could read as another host. Browsers drop tabs and newlines from a `Location`, read `\`
/// as `/`, and some decode once more, so `/%09/evil.example` or `/\evil.example` become
/// `//evil.example`; the test is therefore strict rather than clever.
enum InternalRedirect {
    static let fallback = "/home"

    /// `target` when it is a safe path of this site; otherwise nil.
    static func path(_ target: String?) -> String? {
        guard let target, (1..<300).contains(target.utf8.count), isPlainPath(target) else { return nil }
        // Also as a browser or a proxy might decode it once more.
        guard let decoded = target.removingPercentEncoding, isPlainPath(decoded) else { return nil }
        return target
    }

    /// `target` when safe, else the home page.
    static func pathOrHome(_ target: String?) -> String { path(target) ?? fallback }

    /// One leading `/`, then only the characters of a URL path and query (no whitespace, no control
    /// character, no backslash, no `//`, no `..` segment).
    private static func isPlainPath(_ text: String) -> Bool {
        guard text.hasPrefix("/"), !text.contains("//"), !text.contains("\\") else { return false }
        guard text.unicodeScalars.allSatisfy({ allowed.contains($0) }) else { return false }
        let path = text.prefix { $0 != "?" && $0 != "#" }
        return !path.split(separator: "/").contains { $0 == ".." || $0 == "." }
    }

    private static let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/?=&%#+")
}
