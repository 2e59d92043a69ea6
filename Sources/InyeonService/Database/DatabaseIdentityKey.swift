import Crypto
import Logging
import PostgresNIO
import Foundation

/// Signs the identity each transaction claims, so PostgreSQL believes it only from the service.
///
/// The service's login may set any setting, so a bare `app.user_id` or `app.role` would let one SQL
/// injection, or anyone holding the database URL, claim any person or the system itself. Instead
/// each transaction carries `app.identity`: who, which role, whether anonymous cards are open, and
/// until when, with an HMAC-SHA256 under a key derived from `DATA_ENCRYPTION_KEY`. The database
/// keeps the key's pads in `app.identity_keys`, which only the owner role can read, and
/// `app.verified_identity()` (a definer function) checks the HMAC with PostgreSQL's own `sha256`;
/// anything else reads as anonymous.
public struct DatabaseIdentityKey: Sendable {
    let key: SymmetricKey
    /// Names the key in tokens and in `app.identity_keys`, so a new key can be added beside the old.
    public let keyID: String

    public init(dataEncryptionKey base64Key: String) throws {
        key = try DataSealer(base64Key: base64Key).derivedKey(for: "inyeon database identity v1")
        keyID = key.withUnsafeBytes { SHA256.hash(data: Data($0)) }.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Lets a token be checked for this long after it was made (the transaction's deadline plus room
    /// for the two clocks to disagree); the database compares it with the transaction's start.
    static let clockAllowance: Duration = .seconds(60)

    /// `user|role|anonymous cards|expires|key id|hmac`.
    func token(for identity: RequestIdentity, anonymousCards: Bool, validFor lifetime: Duration, now: Date = Date()) -> String {
        let expires = Int(now.timeIntervalSince1970) + Int((lifetime + Self.clockAllowance).components.seconds)
        let claim = [
            identity.userID?.uuidString.lowercased() ?? "", identity.role.rawValue, anonymousCards ? "on" : "off", String(expires), keyID,
        ].joined(separator: "|")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(claim.utf8), using: key)
        return claim + "|" + Self.hex(mac)
    }

    /// Lower-case hexadecimal, written directly (`String(format:)` per byte cost more than the HMAC).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The key XORed with HMAC's inner and outer pads (RFC 2104), so the database can compute
    /// HMAC-SHA256 with `sha256` alone, without an extension.
    var pads: (inner: Data, outer: Data) {
        var block = key.withUnsafeBytes { Data($0) }
        block.append(Data(repeating: 0, count: 64 - block.count))
        return (Data(block.map { $0 ^ 0x36 }), Data(block.map { $0 ^ 0x5c }))
    }
}

extension DatabaseIdentityKey {
    /// Stores this key's pads for `app.verified_identity()`, as the owner role (kept beside earlier
    /// keys, so instances still signing with one keep working during a key change).
    func install(client: PostgresClient, logger: Logger) async throws {
        let (inner, outer) = pads
        try await client.query(
            """
            INSERT INTO app.identity_keys (key_id, inner_pad, outer_pad) VALUES (\(keyID), \(inner), \(outer))
            ON CONFLICT (key_id) DO NOTHING
            """,
            logger: logger
        )
    }
}
