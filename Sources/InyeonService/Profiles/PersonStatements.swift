import Foundation
import PostgresNIO

/// The person reads that run on every recommendation request, as prepared statements: each
/// connection parses and plans them once (PostgreSQL then reuses the plan), instead of planning the
/// row-level-security policies again on every request. What they return is exactly what
/// `PostgresProfileRepository.personColumns` returns.
enum PersonStatements {
    /// One person by id; read as themself, it is their whole profile.
    struct ByID: PostgresPreparedStatement {
        static let sql = PostgresProfileRepository.personColumns.sql + " WHERE p.user_id = $1"
        typealias Row = VisiblePerson

        var id: UUID
        var currentYear: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> VisiblePerson {
            try PostgresProfileRepository.person(from: row, currentYear: currentYear)
        }
    }

    /// Several people by id, those the caller may see (row-level security decides), in no order.
    struct ByIDs: PostgresPreparedStatement {
        static let sql = PostgresProfileRepository.personColumns.sql + " WHERE p.user_id = ANY($1)"
        typealias Row = VisiblePerson

        var ids: [UUID]
        var currentYear: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(ids)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> VisiblePerson {
            try PostgresProfileRepository.person(from: row, currentYear: currentYear)
        }
    }
}
