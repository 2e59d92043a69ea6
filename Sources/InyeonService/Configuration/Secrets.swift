import Crypto
import Foundation

extension AppConfiguration.Secrets {
    /// In production every secret must be given. In development a missing one is generated once and
    /// kept in `<data directory>/secrets.env`, so data encrypted yesterday is still readable today.
    static func resolve(
        jwtSecret: String?,
        dataEncryptionKey: String?,
        environment: AppConfiguration.Environment,
        dataDirectory: String
    ) throws -> Self {
        if let jwtSecret, jwtSecret.utf8.count < 32 {
            throw ConfigurationError(variable: "JWT_SECRET", problem: "must be at least 32 characters (openssl rand -base64 48)")
        }
        if let key = dataEncryptionKey, Data(base64Encoded: key)?.count != 32 {
            throw ConfigurationError(variable: "DATA_ENCRYPTION_KEY", problem: "must be 32 bytes in base64 (openssl rand -base64 32)")
        }
        if let jwtSecret, let dataEncryptionKey {
            return Self(jwtSecret: jwtSecret, dataEncryptionKey: dataEncryptionKey)
        }
        guard environment == .development else {
            let missing = jwtSecret == nil ? "JWT_SECRET" : "DATA_ENCRYPTION_KEY"
            throw ConfigurationError(variable: missing, problem: "is required in production and is not set; generate it once and keep it")
        }
        var stored = try DevelopmentSecretsFile(directory: dataDirectory).loadOrCreate()
        if let jwtSecret { stored.jwtSecret = jwtSecret }
        if let dataEncryptionKey { stored.dataEncryptionKey = dataEncryptionKey }
        return stored
    }
}

/// The development secrets kept between runs (mode 600).
struct DevelopmentSecretsFile {
    var directory: String
    var path: String { directory + "/secrets.env" }

    func loadOrCreate() throws -> AppConfiguration.Secrets {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            var values: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { values[parts[0]] = parts[1] }
            }
            if let jwt = values["JWT_SECRET"], let key = values["DATA_ENCRYPTION_KEY"] {
                return .init(jwtSecret: jwt, dataEncryptionKey: key)
            }
        }
        let secrets = AppConfiguration.Secrets(
            jwtSecret: Self.random(bytes: 48),
            dataEncryptionKey: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        )
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = "# Generated once for development; production must set these itself.\n"
            + "JWT_SECRET=\(secrets.jwtSecret)\nDATA_ENCRYPTION_KEY=\(secrets.dataEncryptionKey)\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError(variable: "INYEON_DATA_DIR", problem: "is not writable: cannot keep development secrets in \(path)")
        }
        return secrets
    }

    static func random(bytes: Int) -> String {
        SymmetricKey(size: .init(bitCount: bytes * 8)).withUnsafeBytes { Data($0).base64EncodedString() }
    }
}
