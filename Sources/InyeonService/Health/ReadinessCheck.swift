import Foundation
import Logging
import PostgresNIO

/// Whether this instance should be sent traffic (`/api/health/ready`), apart from whether it is
/// alive (`/ping`): it is not stopping, its database takes writes (not a replica, not a leader
/// that has been fenced read-only), and the schema is at least the one this build expects.
///
/// A schema newer than the build is still ready: during a rolling deploy the new build migrates
/// first and the old one keeps serving on it (migrations only add), until it is replaced.
struct ReadinessCheck: Sendable {
    let database: Database
    let readiness: Readiness
    /// The newest migration this build knows.
    var expectedSchema: Int = Migration.all.map(\.version).max() ?? 0

    struct Reading: Encodable, Sendable {
        var ready: Bool
        var version: String
        /// writable, read-only, unreachable, or not checked (while stopping).
        var database: String
        var schema: Schema?
        /// Why it is not ready, or what an operator should know though it is (a newer schema).
        var reasons: [String]

        struct Schema: Encodable, Sendable {
            var applied: Int
            var expected: Int
        }
    }

    func read(logger: Logger) async -> Reading {
        var reading = Reading(ready: false, version: BuildVersion.current, database: "not checked", schema: nil, reasons: [])
        if readiness.isStopping {
            reading.reasons.append("this instance is stopping")
            return reading
        }
        let state: (applied: Int, inRecovery: Bool, readOnly: Bool)
        do {
            state = try await database.transaction(as: .anonymous, deadline: .seconds(2), logger: logger) { connection in
                let rows = try await connection.query(
                    "SELECT app.schema_version(), pg_is_in_recovery(), current_setting('transaction_read_only') = 'on'", logger: logger
                )
                for try await row in rows.decode((Int, Bool, Bool).self) { return (row.0, row.1, row.2) }
                return (0, false, true)
            }
        } catch {
            logger.failure("readiness check could not reach the database", error)
            reading.database = "unreachable"
            reading.reasons.append(error is DatabaseTimeoutError ? "the database did not answer in time" : "the database cannot be reached")
            return reading
        }
        reading.schema = .init(applied: state.applied, expected: expectedSchema)
        if state.inRecovery || state.readOnly {
            reading.database = "read-only"
            reading.reasons.append(state.inRecovery ? "the database is a replica (in recovery)" : "the database refuses writes")
        } else {
            reading.database = "writable"
        }
        if state.applied < expectedSchema {
            reading.reasons.append("the schema is at migration \(state.applied), this build needs \(expectedSchema)")
        } else if state.applied > expectedSchema {
            reading.reasons.append("the schema is newer than this build (\(state.applied) > \(expectedSchema)): a newer release is rolling out")
        }
        reading.ready = reading.database == "writable" && state.applied >= expectedSchema
        return reading
    }
}
