import Foundation
import Logging
import PostgresNIO

/// Cache invalidation across instances: a write that changes cached data notifies `inyeon_cache`
/// inside its transaction, so every instance drops the entry right after the commit.
enum CacheInvalidation {
    static let channel = "inyeon_cache"

    /// Payload `namespace:keyPrefix` (or just `namespace`).
    static func publish(_ namespace: CacheNamespace, keyPrefix: String?, on connection: DatabaseConnection, logger: Logger) async throws {
        let payload = namespace.rawValue + (keyPrefix.map { ":" + $0 } ?? "")
        try await DatabaseNotifications.notify(channel, payload, on: connection, logger: logger)
    }

    /// A nil payload (after a reconnect, when notifications may have been missed) drops everything.
    static func apply(_ payload: String?, to cache: any Cache) async {
        guard let payload else {
            for namespace in CacheNamespace.allCases { await cache.invalidate(namespace, keyPrefix: nil) }
            return
        }
        let parts = payload.split(separator: ":", maxSplits: 1).map(String.init)
        guard let namespace = parts.first.flatMap(CacheNamespace.init(rawValue:)) else { return }
        await cache.invalidate(namespace, keyPrefix: parts.count > 1 ? parts[1] : nil)
        // Insights about a pair are written from both people's cards: a change to a card drops them too.
        if namespace == .profiles { await cache.invalidate(.insights, keyPrefix: parts.count > 1 ? parts[1] : nil) }
        // What signed-out callers are shown is made of everyone's public cards: any change drops it.
        if namespace == .profiles { await cache.invalidate(.publicAnswers, keyPrefix: nil) }
    }
}
