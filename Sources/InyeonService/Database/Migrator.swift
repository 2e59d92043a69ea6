import Foundation
import Logging
import PostgresNIO

/// Applies the versioned migrations in order, as the owner role, each in its own transaction.
///
/// Applied migrations are recorded with their checksums: re-running is a no-op, and a migration
/// edited after it was applied is refused rather than silently diverging from the database.
public struct Migrator: Sendable {
    let migrations: [Migration]

    public init() {
        self.migrations = Migration.all
    }

    init(migrations: [Migration]) {
        self.migrations = migrations
    }

    /// Applies what is pending; returns the versions applied now.
    @discardableResult
    public func migrate(client: PostgresClient, appRole: String, logger: Logger) async throws -> [Int] {
        try await client.withConnection { connection in
            // One migrator at a time, even when several instances start together.
            try await connection.query("SELECT pg_advisory_lock(4060)", logger: logger)
            do {
                let applied = try await applyPending(connection: connection, appRole: appRole, logger: logger)
                try await connection.query("SELECT pg_advisory_unlock(4060)", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(4060)", logger: logger)
                throw error
            }
        }
    }

    func applyPending(connection: PostgresConnection, appRole: String, logger: Logger) async throws -> [Int] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        var recorded: [Int: String] = [:]
        for try await (version, checksum) in try await connection.query(
            "SELECT version, checksum FROM schema_migrations", logger: logger
        ).decode((Int, String).self) {
            recorded[version] = checksum
        }
        var applied: [Int] = []
        for migration in migrations {
            if let checksum = recorded[migration.version] {
                guard checksum == migration.checksum else {
                    throw MigrationError.edited(version: migration.version, name: migration.name)
                }
                continue
            }
            try await connection.withTransaction(logger: logger) { connection in
                for statement in migration.statements(appRole: appRole) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    """
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """,
                    logger: logger
                )
            }
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }
}

public enum MigrationError: Error, CustomStringConvertible {
    case edited(version: Int, name: String)

    public var description: String {
        switch self {
        case .edited(let version, let name):
            "Migration \(version) (\(name)) was changed after it was applied; add a new migration instead of editing it"
        }
    }
}
