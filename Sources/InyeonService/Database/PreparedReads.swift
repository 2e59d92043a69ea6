import Logging
import PostgresNIO

extension DatabaseConnection {
    /// Runs a prepared statement and collects its rows. PostgresNIO remembers a statement whose
    /// preparation failed on a connection (say a migration held a lock past the statement timeout)
    /// and fails it there from then on; so when the prepared run fails, the same SQL is run once
    /// unprepared, and only if that fails too is the first error thrown. (Inside a transaction that
    /// a real error has already aborted, the second try fails at once.)
    func rows<Statement: PostgresPreparedStatement>(of statement: Statement, logger: Logger) async throws -> [Statement.Row] {
        do {
            var rows: [Statement.Row] = []
            for try await row in try await postgres.execute(statement, logger: logger) { rows.append(row) }
            return rows
        } catch let preparedError as PSQLError {
            do {
                var rows: [Statement.Row] = []
                let query = PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings())
                for try await row in try await self.query(query, logger: logger) { rows.append(try statement.decodeRow(row)) }
                logger.warning("a prepared statement failed on this connection; its SQL ran unprepared", metadata: ["statement": "\(Statement.name)"])
                return rows
            } catch {
                throw preparedError
            }
        }
    }
}
