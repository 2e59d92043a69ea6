import Foundation
import InyeonCore
import Logging
import PostgresNIO

/// What operators run from the command line, against the configured database.
public enum OperatorTasks {
    /// Adds a new signing key; the old one stops signing now and stays published until the tokens
    /// it signed have expired (access lifetime plus two minutes), so nobody is logged out.
    public static func rotateSigningKey(configuration: AppConfiguration, logger: Logger) async throws -> String {
        let sealer = try DataSealer(base64Key: configuration.secrets.dataEncryptionKey)
        let overlap = Duration.seconds(configuration.tokens.accessLifetimeSeconds + 120)
        return try await withDatabase(configuration, logger: logger) { database in
            try await SigningKeyStore.createKey(database: database, sealer: sealer, retiringOthersAfter: overlap, logger: logger)
        }
    }

    /// A short-lived, scoped token for an operator or another service (no session, no account).
    public static func issueServiceToken(
        configuration: AppConfiguration, name: String, role: AppRole, scope: String, lifetimeSeconds: Int, logger: Logger
    ) async throws -> String {
        try await withDatabase(configuration, logger: logger) { database in
            let keys = SigningKeyStore(database: database, sealer: try DataSealer(base64Key: configuration.secrets.dataEncryptionKey))
            let tokens = await TokenService(
                keys: keys, settings: configuration.tokens, database: database, legacySecret: configuration.secrets.jwtSecret
            )
            return try await tokens.serviceToken(name: name, role: role, scope: scope, lifetimeSeconds: lifetimeSeconds, logger: logger)
        }
    }

    /// Sets a flag's runtime override as an operator (audited); every running instance follows within a second.
    public static func setFlag(configuration: AppConfiguration, flag: FeatureFlag, setting: FlagSetting, logger: Logger) async throws {
        try await withDatabase(configuration, logger: logger) { database in
            try await FlagsController.store(
                flag: flag, setting: setting, roles: [:], users: [:], identity: RequestIdentity(userID: nil, role: .admin),
                requestID: nil, database: database, logger: logger
            )
        }
    }

    /// Removes a flag's override: back to the environment's default.
    public static func resetFlag(configuration: AppConfiguration, flag: FeatureFlag, logger: Logger) async throws {
        try await withDatabase(configuration, logger: logger) { database in
            try await FlagsController.remove(
                flag: flag, identity: RequestIdentity(userID: nil, role: .admin), requestID: nil, database: database, logger: logger
            )
        }
    }

    /// The rules in force (environment defaults with the stored overrides).
    public static func flagSettings(configuration: AppConfiguration, logger: Logger) async throws -> [String: String] {
        try await withDatabase(configuration, logger: logger) { database in
            let store = FlagStore(defaults: configuration.flags, database: database, logger: logger)
            try await store.reload()
            return store.settingsInForce
        }
    }

    public static func verifyAuditChain(configuration: AppConfiguration, logger: Logger) async throws -> AuditChainVerifier.Outcome {
        try await withDatabase(configuration, logger: logger) { database in
            try await AuditChainVerifier(database: database).verify(logger: logger)
        }
    }

    static func withDatabase<Result: Sendable>(
        _ configuration: AppConfiguration, logger: Logger, _ body: @Sendable @escaping (Database) async throws -> Result
    ) async throws -> Result {
        try await DatabasePreparation.migrate(configuration: configuration, logger: logger)
        let identityKey = try configuration.databaseIdentityKey
        return try await withPostgresClient(configuration.databaseURL, logger: logger) { client in
            try await body(Database(client: client, poolSize: 2, identityKey: identityKey, timeout: .seconds(60)))
        }
    }
}
