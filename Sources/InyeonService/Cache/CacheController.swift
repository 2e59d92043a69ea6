import Foundation
import Hummingbird
import Synchronization

/// `GET /api/cache/test`: a real round trip through the cache, and its statistics (legacy shape).
struct CacheController: Sendable {
    let cache: any Cache

    struct RoundTrip: Encodable, Sendable {
        var testResult: TestResult
        var statistics: CacheStatistics

        struct TestResult: Encodable, Sendable {
            var key: String
            var stored: String
            var retrieved: String
            var match: Bool
            var servedFromCache: Bool
        }
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/cache/test", use: test)
    }

    @Sendable func test(request: Request, context: AppRequestContext) async throws -> APIResponse<RoundTrip> {
        // A key of its own per request, so the round trip proves a store and a read, and touches nobody's data.
        let key = "cache-test/" + context.id
        let stored = "인연 캐시 확인 " + Date().formatted(.iso8601)
        _ = try await cache.value(.statistics, key: key, as: String.self) { stored }
        let computedAgain = Mutex(false)
        let retrieved = try await cache.value(.statistics, key: key, as: String.self) {
            computedAgain.withLock { $0 = true }
            return "recomputed"
        }
        await cache.invalidate(.statistics, keyPrefix: key)
        return APIResponse(
            RoundTrip(
                testResult: .init(
                    key: key, stored: stored, retrieved: retrieved, match: retrieved == stored,
                    servedFromCache: !computedAgain.withLock { $0 }
                ),
                statistics: await cache.statistics()
            ),
            message: retrieved == stored ? "캐시가 정상적으로 동작합니다." : "캐시 왕복 검사에 실패했습니다."
        )
    }
}
