import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt at cost 12, run on NIO's thread pool so hashing never blocks the event loops.
///
/// bcrypt reads only 72 bytes, so the password is first reduced with SHA-256 (base64, 44 bytes):
/// long passphrases count in full.
struct PasswordHasher: Sendable {
    var cost: UInt8 = 12

    func hash(_ password: String) async throws -> String {
        let input = Self.prehash(password)
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(input, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        let input = Self.prehash(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(input, hash: hash) }
    }

    /// Verifies against a throwaway hash of the same cost, so an unknown e-mail costs the same time as a known one.
    func spendEquivalentTime(_ password: String) async throws {
        _ = try await verify(password, against: Self.timingDecoy)
    }

    static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    /// A cost-12 hash of a random string nobody knows.
    static let timingDecoy = Bcrypt.hash(UUID().uuidString, cost: 12)
}
