import Foundation
import Hummingbird
import InyeonCore
import Logging
import PostgresNIO

/// `GET /api/flags` (the flags evaluated for the caller, for the front end) and the admin API that
/// changes them at runtime: a value, a percentage, per-role and per-person rules, each change audited.
struct FlagsController: Sendable {
    let flags: FlagStore
    let database: Database

    struct Evaluated: Encodable, Sendable {
        var flags: [String: FlagEvaluation]
    }

    struct Rules: Encodable, Sendable {
        var flags: [String: FlagRules]
    }

    struct ChangeRequest: Decodable, Sendable {
        var setting: String
        var roles: [String: Bool]?
        var users: [String: Bool]?
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/flags", use: evaluated)
        routes.get("/api/admin/flags", use: allRules)
        routes.put("/api/admin/flags/:flag", use: change)
        routes.delete("/api/admin/flags/:flag", use: reset)
    }

    @Sendable func evaluated(request: Request, context: AppRequestContext) async throws -> APIResponse<Evaluated> {
        let evaluations = Dictionary(uniqueKeysWithValues: FeatureFlag.allCases.map { ($0.apiName, flags.evaluate($0, for: context.identity)) })
        return APIResponse(Evaluated(flags: evaluations), message: "현재 적용 중인 기능 설정입니다.")
    }

    @Sendable func allRules(request: Request, context: AppRequestContext) async throws -> APIResponse<Rules> {
        _ = try context.require(.flagsWrite)
        return APIResponse(Rules(flags: currentRules()), message: "기능 플래그 규칙입니다.")
    }

    @Sendable func change(request: Request, context: AppRequestContext) async throws -> APIResponse<Rules> {
        let admin = try context.require(.flagsWrite)
        let flag = try Self.flag(context)
        let body = try await request.decode(as: ChangeRequest.self, context: context)
        guard let setting = FlagSetting(parsing: body.setting) else {
            throw APIError.badRequest("INVALID_FLAG_SETTING", "설정 값은 true, false 또는 0%~100% 형식이어야 합니다.")
        }
        let roles = body.roles ?? [:]
        let users = body.users ?? [:]
        guard roles.keys.allSatisfy({ AppRole(rawValue: $0) != nil }), users.keys.allSatisfy({ UUID(uuidString: $0) != nil }) else {
            throw APIError.badRequest("INVALID_FLAG_RULE", "역할 이름이나 사용자 ID가 올바르지 않습니다.")
        }
        try await Self.store(
            flag: flag, setting: setting, roles: roles, users: users.mapKeys { $0.lowercased() }, identity: admin,
            requestID: context.id, database: database, logger: context.logger
        )
        try await flags.reload()
        return APIResponse(Rules(flags: currentRules()), message: "기능 플래그가 변경되었습니다. 모든 서버에 1초 안에 적용됩니다.")
    }

    @Sendable func reset(request: Request, context: AppRequestContext) async throws -> APIResponse<Rules> {
        let admin = try context.require(.flagsWrite)
        let flag = try Self.flag(context)
        try await Self.remove(flag: flag, identity: admin, requestID: context.id, database: database, logger: context.logger)
        try await flags.reload()
        return APIResponse(Rules(flags: currentRules()), message: "기능 플래그가 환경 설정 값으로 돌아갔습니다.")
    }

    func currentRules() -> [String: FlagRules] {
        Dictionary(uniqueKeysWithValues: FeatureFlag.allCases.map { ($0.rawValue, flags.rules(for: $0)) })
    }

    static func flag(_ context: AppRequestContext) throws -> FeatureFlag {
        guard let name = context.parameters.get("flag"), let flag = FeatureFlag(rawValue: name) ?? FeatureFlag.allCases.first(where: { $0.apiName == name })
        else {
            throw APIError(.notFound, code: "FLAG_NOT_FOUND", message: "그런 기능 플래그는 없습니다.")
        }
        return flag
    }

    static func store(
        flag: FeatureFlag, setting: FlagSetting, roles: [String: Bool], users: [String: Bool], identity: RequestIdentity,
        requestID: String?, database: Database, logger: Logger
    ) async throws {
        let rolesJSON = String(decoding: try JSONEncoder().encode(roles), as: UTF8.self)
        let usersJSON = String(decoding: try JSONEncoder().encode(users), as: UTF8.self)
        try await database.transaction(as: identity, logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO feature_flag_overrides (flag, setting, roles, users, updated_by)
                VALUES (\(flag.rawValue), \(setting.description), \(rolesJSON)::jsonb, \(usersJSON)::jsonb, \(identity.userID))
                ON CONFLICT (flag) DO UPDATE SET setting = EXCLUDED.setting, roles = EXCLUDED.roles, users = EXCLUDED.users,
                    updated_at = now(), updated_by = EXCLUDED.updated_by
                """,
                logger: logger
            )
            try await AuditLog.record(
                AuditEntry(action: "flag.changed", actorID: identity.userID, actorRole: identity.role, targetType: "flag", targetID: flag.rawValue,
                           details: ["setting": setting.description, "roleRules": "\(roles.count)", "userRules": "\(users.count)"]),
                requestID: requestID, on: connection, logger: logger
            )
        }
    }

    static func remove(flag: FeatureFlag, identity: RequestIdentity, requestID: String?, database: Database, logger: Logger) async throws {
        try await database.transaction(as: identity, logger: logger) { connection in
            try await connection.query("DELETE FROM feature_flag_overrides WHERE flag = \(flag.rawValue)", logger: logger)
            try await AuditLog.record(
                AuditEntry(action: "flag.reset", actorID: identity.userID, actorRole: identity.role, targetType: "flag", targetID: flag.rawValue),
                requestID: requestID, on: connection, logger: logger
            )
        }
    }
}

extension Dictionary {
    func mapKeys<T: Hashable>(_ transform: (Key) -> T) -> [T: Value] {
        Dictionary<T, Value>(map { (transform($0.key), $0.value) }, uniquingKeysWith: { $1 })
    }
}
