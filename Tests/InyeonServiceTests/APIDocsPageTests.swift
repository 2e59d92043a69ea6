import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/docs` under the Content-Security-Policy it is served with (assessment issue 15: the policy
/// refused the page's own inline style and script, so it never showed the operations).
@Suite struct APIDocsPageTests {
    static func directives(_ policy: String) -> [String: [String]] {
        var directives: [String: [String]] = [:]
        for part in policy.split(separator: ";") {
            let words = part.split(separator: " ").map(String.init)
            if let name = words.first { directives[name] = Array(words.dropFirst()) }
        }
        return directives
    }

    /// Every match of `pattern` (case-insensitive, `.` spans lines), as its groups' texts (group 0 the whole match).
    static func matches(_ pattern: String, in text: String) throws -> [[String]] {
        let regex = try Regex(pattern).ignoresCase().dotMatchesNewlines()
        return text.matches(of: regex).map { match in (0..<match.output.count).map { match.output[$0].substring.map(String.init) ?? "" } }
    }

    @Test func everythingTheDocsPageLoadsIsAllowedByItsPolicy() async throws {
        try await withApp { client in
            let page = try await client.execute(uri: "/docs", method: .get)
            #expect(page.status == .ok)
            let policy = Self.directives(try #require(page.headers[.contentSecurityPolicy]))
            let html = page.text
            let allows = { (directive: String, source: String) -> Bool in (policy[directive] ?? policy["default-src"] ?? []).contains(source) }

            // Inline code runs only where the policy says 'unsafe-inline' (or a nonce or hash, which it does not use).
            let scripts = try Self.matches(#"<script([^>]*)>(.*?)</script>"#, in: html)
            #expect(!scripts.isEmpty)
            for script in scripts {
                #expect(script[2].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || allows("script-src", "'unsafe-inline'"), "inline script")
            }
            #expect(!html.lowercased().contains("<style") || allows("style-src", "'unsafe-inline'"), "inline style element")
            #expect(try Self.matches(#"\s(style|on[a-z]+)\s*="#, in: html).isEmpty, "inline style or handler attributes")

            // Each file it loads comes from this origin, which the policy allows, and is served.
            var loaded: [(path: String, directive: String, type: String)] = []
            for script in scripts {
                for src in try Self.matches(#"src="([^"]+)""#, in: script[1]) { loaded.append((src[1], "script-src", "javascript")) }
            }
            for link in try Self.matches(#"<link[^>]*rel="stylesheet"[^>]*href="([^"]+)""#, in: html) {
                loaded.append((link[1], "style-src", "text/css"))
            }
            #expect(loaded.count == 2, "\(loaded)")
            for file in loaded {
                #expect(file.path.hasPrefix("/") && !file.path.hasPrefix("//"), "\(file.path) is on this origin")
                #expect(allows(file.directive, "'self'"), "\(file.directive) allows this origin")
                let response = try await client.execute(uri: file.path, method: .get)
                #expect(response.status == .ok, "\(file.path)")
                #expect(response.headers[.contentType]?.contains(file.type) == true, "\(file.path): \(response.headers[.contentType] ?? "")")
                if file.directive == "script-src" {
                    // The script reads the document from this origin: connect-src must allow it.
                    #expect(response.text.contains("fetch('/openapi.json')"))
                    #expect(allows("connect-src", "'self'"))
                }
            }
            #expect(try await client.execute(uri: "/openapi.json", method: .get).status == .ok)
        }
    }
}
