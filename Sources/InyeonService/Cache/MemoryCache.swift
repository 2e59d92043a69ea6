import Foundation

/// An in-process cache bounded by entries and by memory, with per-namespace TTLs, least-recently-used
/// eviction and single-flight: when a hot key expires, one caller computes it and the others wait.
actor MemoryCache: Cache {
    private struct Entry {
        var data: Data
        var expires: ContinuousClock.Instant
        var lastUsed: UInt64
    }

    let maximumEntries: Int
    let maximumBytes: Int
    private var entries: [String: Entry] = [:]
    private var inFlight: [String: Task<Data, any Error>] = [:]
    private var bytes = 0
    private var clock: UInt64 = 0
    private var hits = 0
    private var misses = 0
    private var evictions = 0
    private var invalidations = 0

    init(maximumEntries: Int = 50_000, maximumBytes: Int = 64 * 1024 * 1024) {
        self.maximumEntries = maximumEntries
        self.maximumBytes = maximumBytes
    }

    func value<Value: Codable & Sendable>(
        _ namespace: CacheNamespace, key: String, as: Value.Type, compute: @Sendable @escaping () async throws -> Value
    ) async throws -> Value {
        let data = try await encoded(namespace, key: key) { try JSONEncoder().encode(try await compute()) }
        return try JSONDecoder().decode(Value.self, from: data)
    }

    func encoded(_ namespace: CacheNamespace, key: String, compute: @Sendable @escaping () async throws -> Data) async throws -> Data {
        let fullKey = namespace.rawValue + ":" + key
        clock += 1
        if var entry = entries[fullKey], entry.expires > .now {
            hits += 1
            entry.lastUsed = clock
            entries[fullKey] = entry
            return entry.data
        }
        misses += 1
        let task: Task<Data, any Error>
        if let running = inFlight[fullKey] {
            task = running
        } else {
            task = Task { try await compute() }
            inFlight[fullKey] = task
        }
        let data: Data
        do {
            data = try await task.value
        } catch {
            inFlight[fullKey] = nil
            throw error
        }
        if inFlight[fullKey] == task {
            inFlight[fullKey] = nil
            store(fullKey, data: data, ttl: namespace.timeToLive)
        }
        return data
    }

    func peek<Value: Codable & Sendable>(_ namespace: CacheNamespace, key: String, as: Value.Type) -> Value? {
        let fullKey = namespace.rawValue + ":" + key
        clock += 1
        guard var entry = entries[fullKey], entry.expires > .now, let value = try? JSONDecoder().decode(Value.self, from: entry.data) else {
            misses += 1
            return nil
        }
        hits += 1
        entry.lastUsed = clock
        entries[fullKey] = entry
        return value
    }

    func store<Value: Codable & Sendable>(_ namespace: CacheNamespace, key: String, value: Value) {
        guard let data = try? JSONEncoder().encode(value) else { return }
        clock += 1
        store(namespace.rawValue + ":" + key, data: data, ttl: namespace.timeToLive)
    }

    private func store(_ key: String, data: Data, ttl: Duration) {
        if let old = entries[key] { bytes -= old.data.count + key.utf8.count }
        entries[key] = Entry(data: data, expires: .now + ttl, lastUsed: clock)
        bytes += data.count + key.utf8.count
        while entries.count > maximumEntries || bytes > maximumBytes, let victim = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            entries[victim.key] = nil
            bytes -= victim.value.data.count + victim.key.utf8.count
            evictions += 1
        }
    }

    /// Drops the keys starting with `keyPrefix` (or a whole namespace), and forgets computations that
    /// began before the write, so their possibly stale results are not stored.
    func invalidate(_ namespace: CacheNamespace, keyPrefix: String?) {
        let prefix = namespace.rawValue + ":" + (keyPrefix ?? "")
        for fullKey in entries.keys where fullKey.hasPrefix(prefix) {
            if let entry = entries.removeValue(forKey: fullKey) {
                bytes -= entry.data.count + fullKey.utf8.count
                invalidations += 1
            }
        }
        for fullKey in inFlight.keys where fullKey.hasPrefix(prefix) {
            inFlight[fullKey] = nil
        }
    }

    func statistics() -> CacheStatistics {
        let lookups = hits + misses
        return CacheStatistics(
            hits: hits, misses: misses, hitRate: lookups == 0 ? 0 : (Double(hits) / Double(lookups) * 10000).rounded() / 10000,
            evictions: evictions, invalidations: invalidations, entries: entries.count, approximateBytes: bytes,
            maximumEntries: maximumEntries, maximumBytes: maximumBytes
        )
    }
}
