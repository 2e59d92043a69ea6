import Foundation
import Logging
import PostgresNIO

/// Asks PostgreSQL, right now, whether it answers and how busy the service's connections are.
struct DatabaseProbe: Sendable {
    let database: Database

    struct Reading: Encodable, Sendable {
        var status: String
        var roundTripMs: Double?
        var pool: Pool?
        var error: String?

        struct Pool: Encodable, Sendable {
            var maximumConnections: Int
            var openConnections: Int
            var activeConnections: Int
        }

        var isReachable: Bool { status == "connected" }
    }

    /// - Parameter pool: also read this role's pooled connections from `pg_stat_activity` (not the
    ///   pipelined reads' libpq connections; in a transaction,
    ///   as the system); without it the probe is one `SELECT 1` on a pooled connection, outside any
    ///   transaction (one round trip: the public health, which monitoring asks every few seconds, and
    ///   the operators' health, whose pool figures are read in the background).
    func read(pool: Bool = true, logger: Logger) async -> Reading {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let counts: (Int, Int)
            if pool {
                counts = try await database.transaction(as: .anonymous, deadline: .seconds(2), logger: logger) { connection in
                    let rows = try await connection.query(
                        """
                        SELECT count(*)::int, (count(*) FILTER (WHERE state = 'active'))::int
                        FROM pg_stat_activity WHERE usename = current_user AND datname = current_database()
                          AND application_name <> \(PipelinedReads.applicationName)
                        """,
                        logger: logger
                    )
                    for try await (open, active) in rows.decode((Int, Int).self) { return (open, active) }
                    return (0, 0)
                }
            } else {
                try await database.statement("SELECT 1", deadline: .seconds(2), logger: logger)
                counts = (0, 0)
            }
            let elapsed = clock.now - start
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            return Reading(
                status: "connected",
                roundTripMs: (milliseconds * 100).rounded() / 100,
                pool: pool ? .init(maximumConnections: database.poolSize, openConnections: counts.0, activeConnections: counts.1) : nil
            )
        } catch {
            logger.failure("database probe failed", error)
            return Reading(status: "unreachable", error: error is DatabaseTimeoutError ? "timeout" : "connection failed")
        }
    }
}
