import Foundation
import Logging
import PostgresNIO
import Testing
@testable import InyeonService

/// A prepared statement whose preparation failed is remembered as failed on its connection; the
/// reads still answer there, unprepared, once the cause has passed.
@Suite(.serialized) struct PreparedReadsTests {
    struct ProbeStatement: PostgresPreparedStatement {
        static let sql = "SELECT answer FROM prepared_reads_probe"
        typealias Row = Int

        func makeBindings() throws -> PostgresBindings { PostgresBindings() }
        func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
    }

    @Test func aStatementThatFailedToPrepareStillAnswersUnprepared() async throws {
        try await TestDatabase.withAppRoleClient(poolSize: 1) { client in
            try await client.withConnection { postgres in
                let connection = DatabaseConnection(postgres)
                let logger = TestDatabase.logger
                // The table is missing: preparing fails, and so does the unprepared try.
                await #expect(throws: PSQLError.self) {
                    try await connection.rows(of: ProbeStatement(), logger: logger)
                }
                try await connection.query("CREATE TEMP TABLE prepared_reads_probe AS SELECT 42 AS answer", logger: logger)
                // PostgresNIO still fails the prepared statement on this connection; the SQL runs unprepared.
                await #expect(throws: PSQLError.self) {
                    for try await _ in try await postgres.execute(ProbeStatement(), logger: logger) {}
                }
                #expect(try await connection.rows(of: ProbeStatement(), logger: logger) == [42])
            }
        }
    }
}
