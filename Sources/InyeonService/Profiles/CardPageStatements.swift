import Foundation
import PostgresNIO

/// The statements behind a page of cards (`PostgresProfileRepository.cards` and `people`), prepared:
/// each connection plans them once. Planning `visible_profiles` with its policies takes a few
/// milliseconds, more than running a page of it.
///
/// Each picks the page's ids from the table's own index first (stopping once enough rows pass the
/// policies), then reads those through the security-barrier view, which could not be ordered and
/// limited without reading and checking every row. The columns are `personColumns`, with the
/// creation time's text (a cursor) last.
enum CardPageStatements {
    static let ordered = " ORDER BY p.created_at DESC, p.user_id DESC"

    /// Newest first, past `offset` (its cost grows with the offset).
    struct ByOffset: PostgresPreparedStatement {
        static let sql = PostgresProfileRepository.personColumns.sql + """
             WHERE p.user_id = ANY(ARRAY(
                SELECT q.user_id FROM profiles q ORDER BY q.created_at DESC, q.user_id DESC LIMIT $1 OFFSET $2))
            """ + CardPageStatements.ordered
        typealias Row = (VisiblePerson, String)

        var limit: Int
        var offset: Int
        var currentYear: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(limit)
            bindings.append(offset)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> (VisiblePerson, String) {
            (try PostgresProfileRepository.person(from: row, currentYear: currentYear), try row.makeRandomAccess()[37].decode(String.self))
        }
    }

    /// Newest first, after a cursor (the same cost at any depth).
    struct After: PostgresPreparedStatement {
        static let sql = PostgresProfileRepository.personColumns.sql + """
             WHERE p.user_id = ANY(ARRAY(
                SELECT q.user_id FROM profiles q WHERE (q.created_at, q.user_id) < ($1::timestamptz, $2)
                ORDER BY q.created_at DESC, q.user_id DESC LIMIT $3))
            """ + CardPageStatements.ordered
        typealias Row = (VisiblePerson, String)

        var cursor: CardCursor
        var limit: Int
        var currentYear: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(cursor.createdAt)
            bindings.append(cursor.userID)
            bindings.append(limit)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> (VisiblePerson, String) {
            (try PostgresProfileRepository.person(from: row, currentYear: currentYear), try row.makeRandomAccess()[37].decode(String.self))
        }
    }

    /// Up to `limit` people other than one, by id (the candidates `/api/matching/test` ranks).
    struct Others: PostgresPreparedStatement {
        static let sql = PostgresProfileRepository.personColumns.sql + """
             WHERE p.user_id = ANY(ARRAY(SELECT q.user_id FROM profiles q WHERE q.user_id <> $1 ORDER BY q.user_id LIMIT $2))
             ORDER BY p.user_id
            """
        typealias Row = VisiblePerson

        var excluding: UUID
        var limit: Int
        var currentYear: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(excluding)
            bindings.append(limit)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> VisiblePerson {
            try PostgresProfileRepository.person(from: row, currentYear: currentYear)
        }
    }
}
