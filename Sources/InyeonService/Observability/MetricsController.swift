import Foundation
import Hummingbird
import Prometheus

/// `GET /metrics`: Prometheus text, for operators (an admin, or a token with `ops:read`). Request
/// counts and latencies are recorded as they happen; the figures that are states (cache, memory,
/// security events) are read at scrape time; the pool's connections come from the background
/// reading the operators' health shows too (`BackgroundHealthFigures`), the round trip is measured now.
struct MetricsController: Sendable {
    let metrics: ServiceMetrics
    let cache: any Cache
    let backgroundFigures: BackgroundHealthFigures
    let securityEvents: SecurityEventCounter

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/metrics", use: scrape)
    }

    @Sendable func scrape(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.opsRead)
        let registry = metrics.registry
        let statistics = await cache.statistics()
        registry.makeGauge(name: "cache_hits", labels: []).set(to: Double(statistics.hits))
        registry.makeGauge(name: "cache_misses", labels: []).set(to: Double(statistics.misses))
        registry.makeGauge(name: "cache_hit_rate", labels: []).set(to: statistics.hitRate)
        registry.makeGauge(name: "cache_evictions", labels: []).set(to: Double(statistics.evictions))
        registry.makeGauge(name: "cache_entries", labels: []).set(to: Double(statistics.entries))
        if let resident = ProcessMemory.residentBytes() {
            registry.makeGauge(name: "process_resident_memory_bytes", labels: []).set(to: Double(resident))
        }
        let reading = await backgroundFigures.database(logger: context.logger).database
        registry.makeGauge(name: "db_up", labels: []).set(to: reading.isReachable ? 1.0 : 0.0)
        if let roundTrip = reading.roundTripMs { registry.makeGauge(name: "db_round_trip_milliseconds", labels: []).set(to: roundTrip) }
        if let pool = reading.pool {
            registry.makeGauge(name: "db_pool_max_connections", labels: []).set(to: Double(pool.maximumConnections))
            registry.makeGauge(name: "db_pool_open_connections", labels: []).set(to: Double(pool.openConnections))
            registry.makeGauge(name: "db_pool_active_connections", labels: []).set(to: Double(pool.activeConnections))
        }
        for (event, count) in securityEvents.snapshot {
            registry.makeGauge(name: "security_events", labels: [("event", event)]).set(to: Double(count))
        }
        let (_, errorRate, _) = metrics.recentFigures()
        registry.makeGauge(name: "http_recent_server_error_rate", labels: []).set(to: errorRate ?? 0)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: registry.emitToString()))
        )
    }
}
