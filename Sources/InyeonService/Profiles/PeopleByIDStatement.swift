import Foundation
import PostgresNIO

/// People by id, those the caller may see (row-level security decides), in no order; read as
/// themself, a person gets their whole profile. The columns are `PostgresProfileRepository.personColumns`.
///
/// Prepared, as it runs twice on every recommendation request: each connection parses and plans it
/// once (PostgreSQL then reuses the plan) instead of planning the row-level-security policies again.
struct PeopleByIDStatement: PostgresPreparedStatement {
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
