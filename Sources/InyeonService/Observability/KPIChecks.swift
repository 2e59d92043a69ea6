import Foundation

/// The earlier rollout's KPIs, checked against thresholds with the values measured now.
struct KPICheck: Codable, Sendable, Equatable {
    enum Status: String, Codable, Sendable {
        case pass, warn, fail, unknown
    }

    var name: String
    var value: Double?
    var unit: String
    /// At or below (or, for the hit rate, at or above) this: pass; past `warnAt`: fail.
    var passAt: Double
    var warnAt: Double
    var status: Status
    var detail: String

    enum CodingKeys: String, CodingKey {
        case name, value, unit, passAt, warnAt, status, detail
    }

    /// `value` is written as null when nothing was measured yet, rather than left out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(value, forKey: .value)
        try container.encode(unit, forKey: .unit)
        try container.encode(passAt, forKey: .passAt)
        try container.encode(warnAt, forKey: .warnAt)
        try container.encode(status, forKey: .status)
        try container.encode(detail, forKey: .detail)
    }

    /// `higherIsBetter` flips the comparison (cache hit rate).
    static func check(_ name: String, value: Double?, unit: String, passAt: Double, warnAt: Double, higherIsBetter: Bool = false, detail: String)
        -> KPICheck
    {
        let status: Status
        if let value {
            if higherIsBetter {
                status = value >= passAt ? .pass : value >= warnAt ? .warn : .fail
            } else {
                status = value <= passAt ? .pass : value <= warnAt ? .warn : .fail
            }
        } else {
            status = .unknown
        }
        return KPICheck(name: name, value: value.map { ($0 * 1000).rounded() / 1000 }, unit: unit, passAt: passAt, warnAt: warnAt, status: status, detail: detail)
    }

    /// Response time p95 ≤ 200 ms (warn ≤ 500), memory ≤ 512 MiB (warn ≤ 1 GiB), cache hit rate ≥ 80%
    /// (warn ≥ 50%, judged after 100 lookups), server-error rate ≤ 1% (warn ≤ 5%).
    static func current(metrics: ServiceMetrics, cache: CacheStatistics, residentBytes: Int?) -> [KPICheck] {
        let recent = metrics.recentFigures()
        let lookups = cache.hits + cache.misses
        return [
            check("responseTimeP95", value: recent.p95Milliseconds, unit: "ms", passAt: 200, warnAt: 500,
                  detail: "over the last \(recent.requests) requests"),
            check("memory", value: residentBytes.map { Double($0) / 1_048_576 }, unit: "MiB", passAt: 512, warnAt: 1024,
                  detail: "resident set size"),
            check("cacheHitRate", value: lookups >= 100 ? cache.hitRate : nil, unit: "ratio", passAt: 0.8, warnAt: 0.5, higherIsBetter: true,
                  detail: "\(lookups) lookups"),
            check("errorRate", value: recent.errorRate, unit: "ratio", passAt: 0.01, warnAt: 0.05,
                  detail: "5xx over the last \(recent.requests) requests"),
        ]
    }
}
