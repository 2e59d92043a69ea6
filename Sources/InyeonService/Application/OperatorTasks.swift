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

    /// What `setRole` did.
    public enum RoleChange: Sendable, Equatable {
        case changed(from: String, to: String)
        case unchanged
        case noSuchAccount
    }

    /// Gives the account with `email` the role `role` (user, moderator or admin), as an operator,
    /// audited. Its sessions end, so the next sign-in carries the new role and an old token does not
    /// keep the old one.
    public static func setRole(configuration: AppConfiguration, email: String, role: AppRole, logger: Logger) async throws -> RoleChange {
        try await withDatabase(configuration, logger: logger) { database in
            try await database.transaction(as: .system, logger: logger) { connection in
                var found: (UUID, String)?
                for try await row in try await connection.query(
                    """
                    SELECT a.id, a.role FROM accounts a JOIN private_profiles p ON p.user_id = a.id
                    WHERE lower(p.email) = lower(\(email)) FOR UPDATE OF a
                    """,
                    logger: logger
                ).decode((UUID, String).self) {
                    found = row
                }
                guard let (userID, previous) = found else { return .noSuchAccount }
                guard previous != role.rawValue else { return .unchanged }
                try await connection.query(
                    "UPDATE accounts SET role = \(role.rawValue), tokens_not_before = now() WHERE id = \(userID)", logger: logger
                )
                try await connection.query(
                    "UPDATE sessions SET revoked_at = now(), revoked_reason = 'role_changed' WHERE user_id = \(userID) AND revoked_at IS NULL",
                    logger: logger
                )
                try await AuditLog.record(
                    AuditEntry(action: "account.role_changed", actorID: nil, actorRole: .system, targetType: "account",
                               targetID: userID.uuidString.lowercased(), details: ["from": previous, "to": role.rawValue, "via": "command line"]),
                    requestID: nil, on: connection, logger: logger
                )
                return .changed(from: previous, to: role.rawValue)
            }
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
