import Foundation
import Prometheus
import Synchronization

/// This instance's metrics (Prometheus text at `/metrics`) and the recent-request window the KPI
/// checks read. One registry per application, so tests can run several side by side.
final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let recent = Mutex(RecentRequests())
    private let listener = Mutex(DatabaseNotifications.Status(lastHeartbeat: nil, stalls: 0))
    static let latencyBuckets: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                             .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5)]

    /// The last 1,000 requests: enough for a stable p95 without unbounded memory.
    struct RecentRequests {
        var latencies: [Double] = []
        var serverErrors: [Bool] = []
        var next = 0
        static let capacity = 1000

        mutating func add(milliseconds: Double, serverError: Bool) {
            if latencies.count < Self.capacity {
                latencies.append(milliseconds)
                serverErrors.append(serverError)
            } else {
                latencies[next] = milliseconds
                serverErrors[next] = serverError
            }
            next = (next + 1) % Self.capacity
        }
    }

    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(name: "http_requests_total", labels: labels).increment()
        registry.makeDurationHistogram(name: "http_request_duration_seconds", labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets)
            .record(duration)
        if status >= 500 { registry.makeCounter(name: "http_server_errors_total", labels: [("route", route)]).increment() }
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        recent.withLock { $0.add(milliseconds: milliseconds, serverError: status >= 500) }
    }

    func recordQuery(duration: Duration) {
        registry.makeDurationHistogram(name: "db_transaction_duration_seconds", labels: [], buckets: Self.latencyBuckets).record(duration)
    }

    func recordFlagEvaluation(flag: String, enabled: Bool) {
        registry.makeCounter(name: "feature_flag_evaluations_total", labels: [("flag", flag), ("enabled", String(enabled))]).increment()
    }

    /// One call to an insight provider: its outcome ("success", "timeout", "rate_limited", ...), how long it
    /// took and the tokens it used.
    func recordInsight(provider: String, outcome: String, duration: Duration, tokens: Int) {
        registry.makeCounter(name: "ai_insight_requests_total", labels: [("provider", provider), ("outcome", outcome)]).increment()
        registry.makeDurationHistogram(name: "ai_insight_duration_seconds", labels: [("provider", provider)], buckets: Self.latencyBuckets)
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        if tokens > 0 { registry.makeCounter(name: "ai_tokens_total", labels: [("provider", provider)]).increment(by: Int64(tokens)) }
    }

    /// The local writer answered in place of the configured provider, and why.
    func recordInsightFallback(reason: String) {
        registry.makeCounter(name: "ai_insight_fallbacks_total", labels: [("reason", reason)]).increment()
    }

    /// A chat message stored (or recognised as a resend), and whether the scam check flagged it.
    func recordChatMessage(flagged: Bool, duplicate: Bool) {
        registry.makeCounter(name: "chat_messages_total", labels: [("outcome", duplicate ? "duplicate" : "stored")]).increment()
        if flagged { registry.makeCounter(name: "chat_scam_signals_total", labels: []).increment() }
    }

    /// One delivery attempt from the mail outbox: "sent", "retry" (failed, tried again later) or "dead".
    func recordMail(outcome: String, duration: Duration) {
        registry.makeCounter(name: "mail_deliveries_total", labels: [("outcome", outcome)]).increment()
        registry.makeDurationHistogram(name: "mail_delivery_duration_seconds", labels: [], buckets: Self.latencyBuckets).record(duration)
    }

    /// A chat socket opened (+1) or closed (-1) on this instance.
    /// Every metric in Prometheus' text format, as `/metrics` serves it.
    var exposition: String { registry.emitToString() }

    func recordAuditChain(intact: Bool, position: Int64) {
        registry.makeGauge(name: "audit_chain_intact", labels: []).set(to: intact ? 1 : 0)
        registry.makeGauge(name: "audit_chain_verified_position", labels: []).set(to: Double(position))
        registry.makeGauge(name: "audit_chain_last_verified_timestamp_seconds", labels: []).set(to: Date().timeIntervalSince1970)
    }

    func recordChatSockets(open: Int) {
        registry.makeGauge(name: "chat_open_sockets", labels: []).set(to: Double(open))
    }

    /// The notification listener's last heartbeat and how often it stalled.
    func recordListener(_ status: DatabaseNotifications.Status) {
        listener.withLock { $0 = status }
        if let heard = status.lastHeartbeat {
            registry.makeGauge(name: "db_listener_last_heartbeat_timestamp_seconds", labels: []).set(to: heard.timeIntervalSince1970)
        }
        registry.makeGauge(name: "db_listener_stalls", labels: []).set(to: Double(status.stalls))
    }

    var listenerStatus: DatabaseNotifications.Status { listener.withLock { $0 } }

    /// p95 latency (ms) and server-error rate over the recent window, and how many requests it holds.
    func recentFigures() -> (p95Milliseconds: Double?, errorRate: Double?, requests: Int) {
        recent.withLock { recent in
            guard !recent.latencies.isEmpty else { return (nil, nil, 0) }
            let sorted = recent.latencies.sorted()
            let p95 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.95))]
            let errors = recent.serverErrors.filter { $0 }.count
            return (p95, Double(errors) / Double(recent.serverErrors.count), recent.latencies.count)
        }
    }
}
