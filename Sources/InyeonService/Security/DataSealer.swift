import Crypto
import Foundation

/// Authenticated encryption (AES-256-GCM) with the service's `DATA_ENCRYPTION_KEY`, for secrets
/// kept in the database such as the token-signing private keys.
struct DataSealer: Sendable {
    let key: SymmetricKey

    init(base64Key: String) throws {
        guard let data = Data(base64Encoded: base64Key), data.count == 32 else {
            throw ConfigurationError(variable: "DATA_ENCRYPTION_KEY", problem: "must be 32 bytes in base64")
        }
        key = SymmetricKey(data: data)
    }

    func seal(_ plaintext: Data) throws -> Data {
        try AES.GCM.seal(plaintext, using: key).combined!
    }

    func open(_ sealed: Data) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key)
    }

    /// A key for `purpose` alone, derived from this one (HKDF-SHA256), so the sealing key itself is
    /// never used for anything else.
    func derivedKey(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data(purpose.utf8), outputByteCount: 32)
    }

    /// HMAC-SHA256 of `data` under the key derived for `purpose`.
    func authenticationCode(for data: Data, purpose: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: data, using: derivedKey(for: purpose)))
    }
}
