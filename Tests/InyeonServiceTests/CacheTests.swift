import Foundation
import Hummingbird
import InyeonCore
import HummingbirdTesting
@testable import InyeonService
import PostgresNIO
import Synchronization
import Testing

/// A value shared with escaping closures in tests.
final class Shared<Value: Sendable>: Sendable {
    let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout sending Value) -> R) -> R { mutex.withLock { body(&$0) } }
}

@Suite struct MemoryCacheTests {
    @Test func aHotKeyIsComputedOnceWhileConcurrentReadersWait() async throws {
        let cache = MemoryCache()
        let computations = Shared(0)
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.value(.profiles, key: "hot", as: Int.self) {
                        computations.withLock { $0 += 1 }
                        try await Task.sleep(for: .milliseconds(50))
                        return 42
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(values.allSatisfy { $0 == 42 })
        #expect(computations.withLock { $0 } == 1)
        let statistics = await cache.statistics()
        #expect(statistics.entries == 1)
        #expect(statistics.hits + statistics.misses == 20)
    }

    @Test func boundsAreKeptByEvictingTheLeastRecentlyUsed() async throws {
        let cache = MemoryCache(maximumEntries: 3)
        for key in ["a", "b", "c"] { _ = try await cache.value(.profiles, key: key, as: String.self) { key } }
        _ = try await cache.value(.profiles, key: "a", as: String.self) { "a" }  // a is now recent
        _ = try await cache.value(.profiles, key: "d", as: String.self) { "d" }
        let statistics = await cache.statistics()
        #expect(statistics.entries == 3 && statistics.evictions == 1)
        let recomputed = Shared(false)
        _ = try await cache.value(.profiles, key: "b", as: String.self) { recomputed.withLock { $0 = true }; return "b" }
        #expect(recomputed.withLock { $0 }, "b was the least recently used, so it went")
    }

    @Test func invalidationDropsByPrefixAndNamespace() async throws {
        let cache = MemoryCache()
        for key in ["p1/v1", "p1/v2", "p2/v1"] { _ = try await cache.value(.profiles, key: key, as: String.self) { key } }
        _ = try await cache.value(.matches, key: "p1/v1", as: String.self) { "m" }
        await cache.invalidate(.profiles, keyPrefix: "p1/")
        #expect(await cache.statistics().entries == 2)
        await CacheInvalidation.apply(nil, to: cache)
        #expect(await cache.statistics().entries == 0)
    }
}

/// Cached cards, with two running instances sharing one database.
@Suite struct CacheAcrossInstancesTests {
    static func makePublicPerson() async throws -> UUID {
        let id = UUID()
        try await TestDatabase.withAppRoleClient { client in
            try await Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey).transaction(as: .system, logger: TestDatabase.logger) { connection in
                try await connection.query("INSERT INTO accounts (id) VALUES (\(id))", logger: TestDatabase.logger)
                try await connection.query(
                    """
                    INSERT INTO profiles (user_id, display_name, birth_year, gender, seeking, marital_status, city, district,
                                          latitude, longitude, searchable, allow_public_listing)
                    VALUES (\(id), '캐시 시험', 1968, 'male', 'female', 'widowed', '서울', '마포구', 37.56, 126.90, true, true)
                    """,
                    logger: TestDatabase.logger
                )
            }
        }
        return id
    }

    static func status(_ client: any TestClientProtocol, _ id: UUID, token: String? = nil) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(
            uri: "/api/matching/intelligent-compatibility/\(id)?userId=\(DemoPeopleGenerator.kimSeren)", method: .get, headers: headers
        ).status
    }

    @Test func aCommittedChangeInvalidatesEveryInstanceWithinASecond() async throws {
        let person = try await Self.makePublicPerson()
        try await withApp { first in
            try await withApp { second in
                #expect(try await Self.status(second, person) == .ok)
                // Hide the card with a plain write: the second instance still serves its cached copy…
                try await TestDatabase.withAppRoleClient { client in
                    try await Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey).transaction(as: .system, logger: TestDatabase.logger) { connection in
                        try await connection.query("UPDATE profiles SET searchable = false WHERE user_id = \(person)", logger: TestDatabase.logger)
                    }
                }
                #expect(try await Self.status(second, person) == .ok, "served from the cache")
                // …until a write announces the change, as every profile write does.
                try await TestDatabase.withAppRoleClient { client in
                    try await Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey).transaction(as: .system, logger: TestDatabase.logger) { connection in
                        try await CacheInvalidation.publish(.profiles, keyPrefix: person.uuidString.lowercased() + "/", on: connection, logger: TestDatabase.logger)
                    }
                }
                let start = ContinuousClock.now
                var status = HTTPResponse.Status.ok
                while status == .ok, ContinuousClock.now - start < .seconds(3) {
                    try await Task.sleep(for: .milliseconds(20))
                    status = try await Self.status(second, person)
                }
                #expect(status == .notFound)
                #expect(ContinuousClock.now - start < .seconds(1), "invalidated within a second")
                #expect(try await Self.status(first, person) == .notFound)
                let stats = try JSONBody(try await second.execute(uri: "/api/cache/test", method: .get))
                #expect(stats["data.testResult.match"] as? Bool == true)
                #expect(stats["data.testResult.servedFromCache"] as? Bool == true)
                #expect((stats["data.statistics.invalidations"] as? Int ?? 0) >= 1)
            }
        }
    }

    @Test func whatOnePersonMaySeeIsNeverServedToAnother() async throws {
        let person = try await Self.makePublicPerson()
        try await withAccounts { accounts in
            let viewer = try await accounts.signUp()
            let blocker = try await accounts.signUp()
            // The viewer's lookup fills the cache.
            #expect(try await Self.status(accounts.client, person, token: viewer.access) == .ok)
            // The blocked relationship: the hidden person blocks the blocker.
            try await TestDatabase.withAppRoleClient { client in
                try await Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey).transaction(as: .system, logger: TestDatabase.logger) { connection in
                    try await connection.query(
                        "INSERT INTO blocks (blocker_id, blocked_id) VALUES (\(person), \(UUID(uuidString: blocker.userID)!))", logger: TestDatabase.logger
                    )
                }
            }
            #expect(try await Self.status(accounts.client, person, token: blocker.access) == .notFound, "another viewer's cached card is not theirs")
            #expect(try await Self.status(accounts.client, person, token: viewer.access) == .ok)
        }
    }
}
