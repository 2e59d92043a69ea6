import Foundation
import Hummingbird
import InyeonCore

/// Liveness and readiness: `/ping`, `/api/health` (503 while the database is unreachable or the
/// instance is stopping), public
/// and minimal, and `/api/health/enhanced` (the figures an operator runs the rollout by; operators only).
struct HealthController: Sendable {
    static var version: String { BuildVersion.current }

    let probe: DatabaseProbe
    let readinessCheck: ReadinessCheck
    /// Set once the instance starts stopping: `/api/health` then answers 503 (`SHUTTING_DOWN`).
    let readiness: Readiness
    /// The pool's connections and the people listed, read in the background (with their age).
    let backgroundFigures: BackgroundHealthFigures
    let flags: FlagStore
    let startedAt: ContinuousClock.Instant
    let securityEvents: SecurityEventCounter
    let metrics: ServiceMetrics
    let cache: any Cache
    let insights: InsightService
    let recommendations: RecommendationModelStore

    struct Pong: Encodable, Sendable {
        var pong: Bool
        var timestamp: String
    }

    struct Health: Encodable, Sendable {
        var status: String
        /// The build (`BuildVersion`).
        var version: String = BuildVersion.current
        var database: String
        var uptimeSeconds: Int
        var timestamp: String
    }

    struct Degraded: ResponseEncodable, Sendable {
        let success = false
        var error: String
        var code: String
        var data: Health

        private enum CodingKeys: String, CodingKey {
            case success, error, code, data
        }
    }

    struct EnhancedHealth: Encodable, Sendable {
        var status: String
        var version: String
        var uptimeSeconds: Int
        var timestamp: String
        var database: DatabaseProbe.Reading
        var memory: Memory
        var usersCount: Int?
        /// How old `usersCount` and `database.pool` are: both are read in the background every few
        /// seconds (never per request), the database's round trip is measured now.
        var backgroundFiguresAgeSeconds: Double
        var featureFlags: [String: String]
        /// Security events counted by this instance since it started.
        var securityEvents: [String: Int]
        /// The rollout KPIs against their thresholds, with the values measured now.
        var kpis: [KPICheck]
        var cache: CacheStatistics
        var ai: InsightService.Status
        /// The notification listener: when it last heard its own heartbeat, and how often it stalled.
        var listener: Listener
        /// The recommendation model this instance serves (nil before the first is ready).
        var recommendationModel: RecommendationModel?

        struct RecommendationModel: Encodable, Sendable {
            /// The stored version, the same on every instance (nil: trained here alone, or ranked
            /// by compatibility until the first is ready).
            var version: Int64?
            /// Whether this instance trained it, rather than loading another instance's.
            var trainedHere: Bool
            var ageSeconds: Int
        }

        struct Listener: Encodable, Sendable {
            var lastHeartbeatSecondsAgo: Double?
            var stalls: Int
        }

        struct Memory: Encodable, Sendable {
            var residentBytes: Int?
            var residentMegabytes: Double?
        }
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/ping", use: ping)
        routes.get("/api/health", use: health)
        routes.get("/api/health/enhanced", use: enhanced)
        routes.get("/api/health/ready", use: ready)
    }

    /// Readiness for a load balancer or an orchestrator: 200 while this instance should get traffic,
    /// 503 `NOT_READY` (with the same figures and the reasons) while it should not. `/ping` is the
    /// liveness check: it answers while the process runs, whatever the database does.
    @Sendable func ready(request: Request, context: AppRequestContext) async throws -> Response {
        let reading = await readinessCheck.read(logger: context.logger)
        guard reading.ready else {
            let body = NotReady(error: "이 서버는 지금 요청을 받을 준비가 되지 않았습니다: " + reading.reasons.joined(separator: "; "), data: reading)
            return try EditedResponse(status: .serviceUnavailable, response: body).response(from: request, context: context)
        }
        return try APIResponse(reading, message: "요청을 받을 준비가 되었습니다.").response(from: request, context: context)
    }

    struct NotReady: ResponseEncodable, Sendable {
        let success = false
        var error: String
        let code = "NOT_READY"
        var data: ReadinessCheck.Reading

        private enum CodingKeys: String, CodingKey {
            case success, error, code, data
        }
    }

    @Sendable func ping(request: Request, context: AppRequestContext) async throws -> APIResponse<Pong> {
        APIResponse(Pong(pong: true, timestamp: Self.now()), message: "pong")
    }

    @Sendable func health(request: Request, context: AppRequestContext) async throws -> Response {
        if readiness.isStopping {
            let health = Health(status: "stopping", database: "not checked", uptimeSeconds: uptimeSeconds(), timestamp: Self.now())
            let body = Degraded(error: "이 서버는 종료하는 중입니다. 다른 서버로 연결해 주세요.", code: "SHUTTING_DOWN", data: health)
            return try EditedResponse(status: .serviceUnavailable, response: body).response(from: request, context: context)
        }
        let reading = await probe.read(pool: false, logger: context.logger)
        let health = Health(
            status: reading.isReachable ? "healthy" : "degraded", database: reading.status, uptimeSeconds: uptimeSeconds(),
            timestamp: Self.now()
        )
        guard reading.isReachable else {
            let body = Degraded(error: "데이터베이스에 연결할 수 없어 서비스가 제한적으로 동작 중입니다.", code: "SERVICE_DEGRADED", data: health)
            return try EditedResponse(status: .serviceUnavailable, response: body).response(from: request, context: context)
        }
        return try APIResponse(health, message: "서버가 정상 작동 중입니다.").response(from: request, context: context)
    }

    @Sendable func enhanced(request: Request, context: AppRequestContext) async throws -> APIResponse<EnhancedHealth> {
        _ = try context.require(.opsRead)
        let (reading, figures) = await backgroundFigures.database(logger: context.logger)
        let resident = ProcessMemory.residentBytes()
        let cacheStatistics = await cache.statistics()
        let model = await recommendations.served
        return APIResponse(
            EnhancedHealth(
                status: reading.isReachable ? "healthy" : "degraded",
                version: Self.version,
                uptimeSeconds: uptimeSeconds(),
                timestamp: Self.now(),
                database: reading,
                memory: .init(residentBytes: resident, residentMegabytes: resident.map { (Double($0) / 1_048_576 * 10).rounded() / 10 }),
                usersCount: reading.isReachable ? figures.usersCount : nil,
                backgroundFiguresAgeSeconds: figures.ageSeconds,
                featureFlags: flags.settingsInForce,
                securityEvents: securityEvents.snapshot,
                kpis: KPICheck.current(metrics: metrics, cache: cacheStatistics, residentBytes: resident),
                cache: cacheStatistics,
                ai: insights.status,
                listener: .init(
                    lastHeartbeatSecondsAgo: metrics.listenerStatus.lastHeartbeat.map { (Date().timeIntervalSince($0) * 10).rounded() / 10 },
                    stalls: metrics.listenerStatus.stalls
                ),
                recommendationModel: model.map { .init(version: $0.version, trainedHere: $0.trainedHere, ageSeconds: Int($0.age.components.seconds)) }
            ),
            message: reading.isReachable ? "모든 구성 요소가 정상입니다." : "데이터베이스에 연결할 수 없어 서비스가 제한적으로 동작 중입니다."
        )
    }

    func uptimeSeconds() -> Int {
        Int((ContinuousClock.now - startedAt).components.seconds)
    }

    static func now() -> String {
        Date().formatted(.iso8601)
    }
}
