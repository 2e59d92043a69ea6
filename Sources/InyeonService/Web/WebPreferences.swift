import Foundation
import Hummingbird

/// How a person likes the pages: text size, contrast, motion, language. Remembered in a cookie
/// (nothing secret), applied by the server as classes on `<html>`, so it holds without script.
struct WebPreferences: Sendable, Equatable {
    enum TextSize: String, Sendable, CaseIterable {
        case normal, large, xlarge
    }

    var textSize = TextSize.normal
    var highContrast = false
    var reducedMotion = false
    var korean = true

    static let cookieName = "inyeon_prefs"

    init() {}

    /// "size.contrast.motion.lang", for example "xlarge.1.0.ko"; anything unreadable is the default.
    init(cookie: String?) {
        let parts = (cookie ?? "").split(separator: ".").map(String.init)
        guard parts.count == 4 else { return }
        textSize = TextSize(rawValue: parts[0]) ?? .normal
        highContrast = parts[1] == "1"
        reducedMotion = parts[2] == "1"
        korean = parts[3] != "en"
    }

    var cookieValue: String {
        "\(textSize.rawValue).\(highContrast ? 1 : 0).\(reducedMotion ? 1 : 0).\(korean ? "ko" : "en")"
    }

    /// The classes on `<html>` that the style sheet reads.
    var htmlClasses: String {
        var classes: [String] = []
        if textSize != .normal { classes.append("text-\(textSize.rawValue)") }
        if highContrast { classes.append("high-contrast") }
        if reducedMotion { classes.append("reduced-motion") }
        return classes.joined(separator: " ")
    }

    func cookie(secure: Bool) -> Cookie {
        Cookie(name: Self.cookieName, value: cookieValue, maxAge: 60 * 60 * 24 * 365 * 2, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
