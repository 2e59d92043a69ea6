import Crypto
import Foundation

/// Random bearer secrets (refresh tokens, e-mail links, WebSocket tickets): 256 bits, base64url,
/// stored only as their SHA-256 hash so a database leak hands out nothing usable.
enum OpaqueToken {
    static func generate() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64URLEncoded()
    }

    /// The refresh token that follows `token`: derived from it under a server key, so presenting the
    /// same token twice (within the grace window) yields the same successor, one chain and not two,
    /// without keeping any raw token. As unguessable as a random one to whoever lacks the key.
    static func successor(of token: String, sealer: DataSealer) -> String {
        sealer.authenticationCode(for: Data(token.utf8), purpose: "inyeon refresh-token successor").base64URLEncoded()
    }

    /// Whether `text` could be a token this service issued (base64url, at most 200 characters): a
    /// page may show it back in a form only then.
    static func isWellFormed(_ text: String) -> Bool {
        (1...200).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }
}

extension Data {
    func base64URLEncoded() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
