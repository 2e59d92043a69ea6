@testable import InyeonService
import Testing

/// The rollout KPIs' pass/warn/fail thresholds, at their edges.
@Suite struct KPICheckTests {
    @Test(arguments: [
        (200.0, KPICheck.Status.pass), (200.001, .warn), (500.0, .warn), (500.001, .fail), (0.0, .pass),
    ])
    func lowerIsBetterPassesAtTheThresholdAndFailsPastTheWarning(value: Double, expected: KPICheck.Status) {
        let check = KPICheck.check("responseTimeP95", value: value, unit: "ms", passAt: 200, warnAt: 500, detail: "")
        #expect(check.status == expected, "\(value) ms")
    }

    @Test(arguments: [
        (0.8, KPICheck.Status.pass), (0.799, .warn), (0.5, .warn), (0.499, .fail), (1.0, .pass),
    ])
    func higherIsBetterFlipsTheComparison(value: Double, expected: KPICheck.Status) {
        let check = KPICheck.check("cacheHitRate", value: value, unit: "ratio", passAt: 0.8, warnAt: 0.5, higherIsBetter: true, detail: "")
        #expect(check.status == expected, "hit rate \(value)")
    }

    @Test func nothingMeasuredIsUnknownNotPass() {
        #expect(KPICheck.check("errorRate", value: nil, unit: "ratio", passAt: 0.01, warnAt: 0.05, detail: "").status == .unknown)
    }

    @Test func theServicesChecksUseTheDocumentedThresholds() async {
        let cache = CacheStatistics(
            hits: 90, misses: 10, hitRate: 0.9, evictions: 0, invalidations: 0, entries: 0, approximateBytes: 0, maximumEntries: 0, maximumBytes: 0
        )
        let checks = KPICheck.current(metrics: ServiceMetrics(), cache: cache, residentBytes: 600 * 1_048_576)
        let byName = Dictionary(uniqueKeysWithValues: checks.map { ($0.name, $0) })
        #expect(byName["responseTimeP95"]?.passAt == 200 && byName["responseTimeP95"]?.warnAt == 500)
        #expect(byName["responseTimeP95"]?.status == .unknown, "no requests yet")
        #expect(byName["memory"]?.status == .warn, "600 MiB is past 512 and within 1 GiB")
        #expect(byName["cacheHitRate"]?.status == .pass, "90 of 100")
        #expect(byName["errorRate"]?.status == .unknown, "no requests yet")
    }
}
