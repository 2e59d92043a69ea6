import Foundation
import InyeonCore
import Logging
import PostgresNIO

/// The recommendation models in PostgreSQL (`recommendation_models`): one trained for the whole
/// cluster by whichever instance holds the training lock, stored with a version, loaded by every
/// instance. Every instance announces a new version at once (`channel`), so all serve the same one.
struct StoredRecommendationModels: Sendable {
    /// Where a new version is announced, its number as the payload.
    static let channel = "inyeon_recommendation_model"
    /// The session-level advisory lock that makes one instance the trainer. It is held on a
    /// connection of its own for the whole training, so an instance that dies (or whose connection
    /// is cut) lets it go, and another takes over.
    static let trainingLockKey: Int64 = 4062
    /// How many versions are kept: the newest, and two to fall back on or compare.
    static let versionsKept = 3
    /// How long taking or releasing the training lock may take.
    static let lockStatementDeadline: Duration = .seconds(10)

    struct Version: Sendable, Equatable {
        var number: Int64
        /// How long ago it was trained, by the database's clock (every instance reads the same).
        var age: Duration
    }

    struct Published: Sendable {
        var version: Int64
        var model: ReciprocalModel
        var age: Duration
    }

    let database: Database
    /// This instance, as the operators see it in `trained_by`.
    let instance: String

    init(database: Database, instance: String = Self.thisInstance) {
        self.database = database
        self.instance = instance
    }

    static var thisInstance: String {
        "\(ProcessInfo.processInfo.hostName) pid \(ProcessInfo.processInfo.processIdentifier)"
    }

    /// The newest version, or nil before the first training.
    func newest(logger: Logger) async throws -> Version? {
        try await database.transaction(as: .system, logger: logger) { connection -> Version? in
            for try await (number, ageSeconds) in try await connection.query(
                """
                SELECT version, extract(epoch FROM now() - trained_at)::float8
                FROM recommendation_models ORDER BY version DESC LIMIT 1
                """,
                logger: logger
            ).decode((Int64, Double).self) {
                return Version(number: number, age: .milliseconds(Int64(max(0, ageSeconds) * 1000)))
            }
            return nil
        }
    }

    /// The model of `version` (nil when it has been pruned meanwhile).
    ///
    /// - Throws: `ReciprocalModel.Malformed` when its bytes are not a model.
    func load(_ version: Version, logger: Logger) async throws -> Published? {
        let bytes = try await database.transaction(as: .system, deadline: MatchingRepository.trainingReadDeadline, logger: logger) { connection -> Data? in
            for try await data in try await connection.query(
                "SELECT model FROM recommendation_models WHERE version = \(version.number)", logger: logger
            ).decode(Data.self) {
                return data
            }
            return nil
        }
        guard let bytes else { return nil }
        return Published(version: version.number, model: try ReciprocalModel(serialized: Array(bytes)), age: version.age)
    }

    /// Stores a newly trained model as the newest version, prunes the oldest, and announces it to
    /// every instance when the transaction commits.
    func publish(
        _ model: ReciprocalModel, people: Int, decisions: Int, training: Duration, logger: Logger
    ) async throws -> Int64 {
        let milliseconds = Int(training.components.seconds * 1000 + training.components.attoseconds / 1_000_000_000_000_000)
        let bytes = Data(model.serialized())
        return try await database.transaction(as: .system, deadline: MatchingRepository.trainingReadDeadline, logger: logger) { connection in
            var version: Int64 = 0
            for try await number in try await connection.query(
                """
                INSERT INTO recommendation_models (trained_by, people, decisions, training_milliseconds, model)
                VALUES (\(instance), \(people), \(decisions), \(milliseconds), \(bytes))
                RETURNING version
                """,
                logger: logger
            ).decode(Int64.self) {
                version = number
            }
            try await connection.query(
                "DELETE FROM recommendation_models WHERE version <= \(version - Int64(Self.versionsKept))", logger: logger
            )
            try await DatabaseNotifications.notify(Self.channel, String(version), on: connection, logger: logger)
            return version
        }
    }

    /// Runs `body` while this instance holds the training lock, or returns nil at once when
    /// another instance holds it. The lock lives on a connection leased for the whole of `body`:
    /// should this process die, PostgreSQL ends the session and the lock with it.
    func whileTraining<Result: Sendable>(
        logger: Logger, _ body: @Sendable @escaping () async throws -> Result
    ) async throws -> Result? {
        try await database.client.withConnection { postgres in
            let connection = DatabaseConnection(postgres)
            // A connection that went silent is never answered by PostgresNIO: each of the lock's
            // statements has a deadline, and a connection that misses one is closed, taking the
            // session's lock with it, rather than holding the cluster's training for hours.
            @Sendable func lockStatement(_ query: PostgresQuery) async throws -> Bool {
                do {
                    return try await withDeadline(Self.lockStatementDeadline) {
                        try await connection.query(query, logger: logger).decode(Bool.self).reduce(false) { $0 || $1 }
                    }
                } catch {
                    try? await postgres.close()
                    throw error
                }
            }
            guard try await lockStatement("SELECT pg_try_advisory_lock(\(Self.trainingLockKey))") else { return nil }
            // The lock is the session's: should it not be released (cancelled at shutdown, a
            // failed statement), the connection is closed, so the pool never hands on a lock.
            @Sendable func release() async {
                let released = try? await lockStatement("SELECT pg_advisory_unlock(\(Self.trainingLockKey))")
                if released != true { try? await postgres.close() }
            }
            do {
                let result = try await body()
                await release()
                return result
            } catch {
                await release()
                throw error
            }
        }
    }
}
