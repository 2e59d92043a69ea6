import Foundation

/// Six-digit codes a person types from a mail (a sign-up confirmation, a password reset): drawn
/// uniformly from the system's secure generator, and kept only as an HMAC bound to whom they are for
/// under a key derived from `DATA_ENCRYPTION_KEY`, so neither a database reader nor a code meant for
/// someone else can use one.
enum OneTimeCode {
    static let tries = 5

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
    }

    static func hash(_ code: String, for subject: String, sealer: DataSealer) -> Data {
        sealer.authenticationCode(for: Data((subject + "|" + code).utf8), purpose: "inyeon one-time code")
    }

    /// The six digits as typed by a person: spaces and hyphens dropped, full-width digits read as digits.
    static func normalised(_ typed: String) -> String? {
        let digits = typed.unicodeScalars.compactMap { scalar -> Character? in
            switch scalar.value {
            case 0x30...0x39: Character(scalar)
            case 0xFF10...0xFF19: Character(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            default: nil
            }
        }
        let ignored = typed.unicodeScalars.allSatisfy { (0x30...0x39).contains($0.value) || (0xFF10...0xFF19).contains($0.value) || " -\u{3000}".unicodeScalars.contains($0) }
        return digits.count == 6 && ignored ? String(digits) : nil
    }

    /// Compares two hashes in time that does not depend on where they differ.
    static func matches(_ left: Data, _ right: Data) -> Bool {
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
