import Foundation

/// What is cached, each with the earlier system's time to live.
enum CacheNamespace: String, Sendable, CaseIterable {
    case profiles, matches, conversations, statistics, insights
    /// What every signed-out caller is shown alike (the public list of cards, the demo matching
    /// run): computed once and shared for at most a second, and dropped at once when any card changes.
    case publicAnswers

    var timeToLive: Duration {
        switch self {
        case .profiles: .seconds(600)
        case .matches: .seconds(1800)
        case .conversations: .seconds(300)
        case .statistics: .seconds(3600)
        case .insights: .seconds(86400)
        case .publicAnswers: .seconds(1)
        }
    }
}

/// Figures of a cache, in the legacy `/api/cache/test` shape.
struct CacheStatistics: Codable, Sendable, Equatable {
    var hits: Int
    var misses: Int
    var hitRate: Double
    var evictions: Int
    var invalidations: Int
    var entries: Int
    var approximateBytes: Int
    var maximumEntries: Int
    var maximumBytes: Int
}

/// A cache of encoded values. `MemoryCache` is the in-process one; a shared one (Redis) can implement
/// this later without touching callers.
protocol Cache: Sendable {
    /// The cached value, or `compute()`'s, stored; concurrent misses of one key compute once.
    func value<Value: Codable & Sendable>(
        _ namespace: CacheNamespace, key: String, as: Value.Type, compute: @Sendable @escaping () async throws -> Value
    ) async throws -> Value
    /// The cached bytes, or `compute()`'s, stored as they are: for answers kept already encoded, so
    /// a hit costs no decoding and encoding again. Concurrent misses of one key compute once.
    func encoded(_ namespace: CacheNamespace, key: String, compute: @Sendable @escaping () async throws -> Data) async throws -> Data
    /// The cached value, if there is a live one (counted as a hit or a miss).
    func peek<Value: Codable & Sendable>(_ namespace: CacheNamespace, key: String, as: Value.Type) async -> Value?
    /// Stores `value` with the namespace's time to live.
    func store<Value: Codable & Sendable>(_ namespace: CacheNamespace, key: String, value: Value) async
    /// Drops the keys that start with `keyPrefix`, or the whole namespace.
    func invalidate(_ namespace: CacheNamespace, keyPrefix: String?) async
    func statistics() async -> CacheStatistics
}
