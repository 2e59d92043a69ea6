import Foundation
import Logging
import PostgresNIO

/// What happens before the server accepts requests: migrate (as the owner role) and, on a first
/// start in development, store the demo people.
public struct DatabasePreparation: Sendable {
    let configuration: AppConfiguration
    let database: Database
    let logger: Logger

    public init(configuration: AppConfiguration, database: Database, logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.logger = logger
    }

    public func run() async throws {
        try await Self.migrate(configuration: configuration, logger: logger)
        if configuration.seedDemoData {
            let seeder = DemoSeeder(database: database, currentYear: KoreanCalendar.currentYear())
            if try await seeder.isNeeded(logger: logger) {
                try await seeder.seed(count: configuration.demoPeopleCount, logger: logger)
            }
        }
    }

    /// Applies pending migrations, and installs the key transactions' identities are signed with,
    /// through a short-lived connection as the owner role.
    public static func migrate(configuration: AppConfiguration, logger: Logger) async throws {
        let ownerURL = configuration.databaseOwnerURL ?? configuration.databaseURL
        if configuration.databaseOwnerURL == nil {
            logger.warning("DATABASE_OWNER_URL is not set: migrating as the service's own role, which will then own the tables")
        }
        let identityKey = try configuration.databaseIdentityKey
        try await withPostgresClient(ownerURL, logger: logger) { client in
            try await Migrator().migrate(client: client, appRole: configuration.databaseURL.username, logger: logger)
            try await identityKey.install(client: client, logger: logger)
        }
    }
}

/// Runs `body` with a connected client that lives only as long as `body`.
public func withPostgresClient<Result: Sendable>(
    _ url: DatabaseURL,
    poolSize: Int = 2,
    logger: Logger,
    _ body: @Sendable @escaping (PostgresClient) async throws -> Result
) async throws -> Result {
    let client = PostgresClient(configuration: url.clientConfiguration(poolSize: poolSize), backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        // The body leases only once the client runs (a lease before that works, but warns).
        let (running, nowRunning) = AsyncStream.makeStream(of: Void.self)
        group.addTask {
            nowRunning.finish()
            await client.run()
        }
        for await _ in running {}
        defer { group.cancelAll() }
        return try await body(client)
    }
}
