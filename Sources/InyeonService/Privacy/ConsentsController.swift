import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// `GET/PUT /api/me/consents`: what a person agreed to, and changing the optional part (marketing).
/// Every change is a new consent record with its time and version, and an audit entry.
struct ConsentsController: Sendable {
    let database: Database

    struct Consents: Codable, Sendable {
        var terms: Bool
        var privacy: Bool
        var marketing: Bool
        var version: String?
        var updatedAt: String?
    }

    struct ChangeRequest: Decodable, Sendable {
        var marketing: Bool?
        var terms: Bool?
        var privacy: Bool?
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/me/consents", use: current)
        routes.put("/api/me/consents", use: change)
    }

    @Sendable func current(request: Request, context: AppRequestContext) async throws -> APIResponse<Consents> {
        let (userID, _) = try context.requireSignedIn()
        return APIResponse(try await read(userID, logger: context.logger), message: "동의 내역입니다.")
    }

    @Sendable func change(request: Request, context: AppRequestContext) async throws -> APIResponse<Consents> {
        let (userID, _) = try context.requireSignedIn()
        let body = try await request.decode(as: ChangeRequest.self, context: context)
        if body.terms == false || body.privacy == false {
            throw APIError.badRequest(
                "CONSENT_REQUIRED", "이용약관과 개인정보 처리방침 동의는 철회할 수 없습니다. 원하시면 계정을 삭제해 주세요."
            )
        }
        guard let marketing = body.marketing else {
            throw APIError.badRequest("NOTHING_TO_CHANGE", "변경할 동의 항목(marketing)을 보내 주세요.")
        }
        let (logger, requestID) = (context.logger, context.id)
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.query(
                "INSERT INTO consents (user_id, kind, version, granted) VALUES (\(userID), 'marketing', \(AccountService.consentVersion), \(marketing))",
                logger: logger
            )
            try await AuditLog.record(
                AuditEntry(action: "consent.changed", actorID: userID, actorRole: .user, targetType: "account",
                           targetID: userID.uuidString.lowercased(), details: ["marketing": "\(marketing)"]),
                requestID: requestID, on: connection, logger: logger
            )
        }
        return APIResponse(try await read(userID, logger: logger), message: "동의 내역이 변경되었습니다.")
    }

    func read(_ userID: UUID, logger: Logger) async throws -> Consents {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            var latest: [String: (Bool, String, Date)] = [:]
            for try await (kind, granted, version, at) in try await connection.query(
                "SELECT DISTINCT ON (kind) kind, granted, version, recorded_at FROM consents ORDER BY kind, recorded_at DESC, id DESC",
                logger: logger
            ).decode((String, Bool, String, Date).self) {
                latest[kind] = (granted, version, at)
            }
            let newest = latest.values.max { $0.2 < $1.2 }
            return Consents(
                terms: latest["terms"]?.0 ?? false, privacy: latest["privacy"]?.0 ?? false, marketing: latest["marketing"]?.0 ?? false,
                version: newest?.1, updatedAt: newest?.2.formatted(.iso8601)
            )
        }
    }
}
