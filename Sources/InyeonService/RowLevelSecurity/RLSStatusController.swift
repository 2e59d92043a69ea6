import Foundation
import Hummingbird
import InyeonCore
import PostgresNIO

/// `GET /api/rls/status`: row-level security as PostgreSQL's catalogs report it, not as the code believes
/// (operators only: it names the database role and every table).
struct RLSStatusController: Sendable {
    let database: Database
    let flags: FlagStore

    struct Status: Encodable, Sendable {
        var enforced: Bool
        var connectedRole: String
        var superuser: Bool
        var bypassrls: Bool
        var ownsTables: Bool
        var tables: [Table]
        var featureFlags: [String: String]

        struct Table: Encodable, Sendable {
            var table: String
            var rlsEnabled: Bool
            var rlsForced: Bool
            var policies: Int
        }
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/rls/status", use: status)
    }

    @Sendable func status(request: Request, context: AppRequestContext) async throws -> APIResponse<Status> {
        _ = try context.require(.opsRead)
        let logger = context.logger
        let (role, tables) = try await database.transaction(as: context.identity, logger: logger) { connection in
            var role: (String, Bool, Bool) = ("", true, true)
            for try await row in try await connection.query(
                "SELECT rolname::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user", logger: logger
            ).decode((String, Bool, Bool).self) {
                role = row
            }
            var tables: [(Status.Table, String)] = []
            let rows = try await connection.query(
                """
                SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity,
                       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)::int, pg_get_userbyid(c.relowner)::text
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations'
                ORDER BY c.relname
                """,
                logger: logger
            )
            for try await (name, enabled, forced, policies, owner) in rows.decode((String, Bool, Bool, Int, String).self) {
                tables.append((Status.Table(table: name, rlsEnabled: enabled, rlsForced: forced, policies: policies), owner))
            }
            return (role, tables)
        }
        let ownsTables = tables.contains { $0.1 == role.0 }
        let enforced = !role.1 && !role.2 && !ownsTables && !tables.isEmpty
            && tables.allSatisfy { $0.0.rlsEnabled && $0.0.rlsForced && $0.0.policies > 0 }
        return APIResponse(
            Status(
                enforced: enforced, connectedRole: role.0, superuser: role.1, bypassrls: role.2, ownsTables: ownsTables,
                tables: tables.map(\.0), featureFlags: flags.settingsInForce
            ),
            message: enforced ? "모든 테이블에 행 수준 보안이 적용되어 있습니다." : "행 수준 보안이 완전히 적용되지 않았습니다. 설정을 확인해 주세요."
        )
    }
}
