import Foundation
import Synchronization

/// Access tokens whose signature this instance has already verified, by their exact text, with the
/// claims they carry, until they expire. A person's token is presented on every request for its
/// quarter of an hour; verifying its Ed25519 signature each time was a tenth of the CPU of a small
/// authenticated read. Only the signature and decoding are skipped: the key must still be
/// published, and the claims (issuer, audience, use, time, role, session) are checked on every
/// request as before. Bounded: past `capacity` it starts again empty.
final class VerifiedTokens: Sendable {
    struct Entry: Sendable {
        var kid: String
        var claims: AccessTokenClaims
    }

    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// The claims of `token`, if its signature was verified here and it has not expired.
    func entry(for token: String, now: Int = Int(Date().timeIntervalSince1970)) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard now <= entry.claims.exp + TokenService.clockSkew else {
                entries[token] = nil
                return nil
            }
            return entry
        }
    }

    func remember(_ token: String, kid: String, claims: AccessTokenClaims) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = Entry(kid: kid, claims: claims)
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
