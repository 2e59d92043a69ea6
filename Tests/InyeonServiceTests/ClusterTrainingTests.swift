import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
import Logging
import PostgresNIO
import Testing
@testable import InyeonService

/// One recommendation training for the whole cluster (`StoredRecommendationModels`): two real
/// instances of the service on one PostgreSQL, each warming up its engine as it starts. One takes the
/// training lock, learns and publishes; the other loads what it published, and both serve the same
/// version, as each one's operators' health shows. A version published later reaches both at once,
/// and when the instance holding the lock dies mid-training, another takes over.
@Suite(.serialized, .timeLimit(.minutes(4))) struct ClusterTrainingTests {
    static let warmingUp = ["RECOMMENDATION_WARM_UP": "true", "RECOMMENDATION_MODEL_MAX_AGE": "1h"]

    struct Served: Equatable {
        var version: Int64?
        var trainedHere: Bool
    }

    /// The model an instance serves, as its `/api/health/enhanced` says.
    static func served(by client: any TestClientProtocol, token: String) async throws -> Served? {
        let response = try await client.execute(uri: "/api/health/enhanced", method: .get, headers: [.authorization: "Bearer \(token)"])
        let body = try JSONBody(response)
        guard let model = body["data.recommendationModel"] as? [String: Any] else { return nil }
        return Served(version: (model["version"] as? NSNumber)?.int64Value, trainedHere: model["trainedHere"] as? Bool ?? false)
    }

    /// Asks until `condition` holds for what the instance serves, for at most `seconds`.
    static func waitFor(
        _ client: any TestClientProtocol, token: String, seconds: Int = 90, _ condition: (Served?) -> Bool
    ) async throws -> Served? {
        var last: Served?
        for _ in 0..<(seconds * 5) {
            last = try await served(by: client, token: token)
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        return last
    }

    /// The stored versions, read as the system (row-level security binds the owner too).
    static func storedVersions() async throws -> [Int64] {
        try await SessionEndTests.asSystem { connection in
            try await connection.query("SELECT version FROM recommendation_models ORDER BY version", logger: TestDatabase.logger)
                .collect().map { try $0.decode(Int64.self) }
        }
    }

    static func forgetStoredModels() async throws {
        try await DatabasePreparation.migrate(configuration: try TestDatabase.configuration(), logger: TestDatabase.logger)
        try await SessionEndTests.asSystem { connection in
            try await connection.query("DELETE FROM recommendation_models", logger: TestDatabase.logger)
        }
    }

    @Test func twoInstancesServeTheOneModelThatOneOfThemTrained() async throws {
        try await Self.forgetStoredModels()
        let token = try await OperatorToken.opsRead()
        try await withApp(Self.warmingUp, testing: .live) { first in
            try await withApp(Self.warmingUp, testing: .live) { second in
                let a = try await Self.waitFor(first, token: token) { $0?.version != nil }
                let b = try await Self.waitFor(second, token: token) { $0?.version != nil }
                let version = try #require(a?.version, "the first instance serves a stored version")
                #expect(b?.version == version, "both serve the same version")
                #expect([a?.trainedHere, b?.trainedHere].filter { $0 == true }.count == 1, "exactly one of them trained it: \(String(describing: a)), \(String(describing: b))")
                let stored = try await Self.storedVersions()
                #expect(stored == [version], "one training, one stored version: \(stored)")

                // An operator (or another instance) publishes a newer version: both load it at once,
                // through the notification, long before their hour's age limit.
                let newer = try await SessionEndTests.asSystem { connection in
                    let number = try await connection.query(
                        """
                        INSERT INTO recommendation_models (trained_by, people, decisions, training_milliseconds, model)
                        SELECT 'a test', people, decisions, 0, model FROM recommendation_models WHERE version = \(version)
                        RETURNING version
                        """,
                        logger: TestDatabase.logger
                    ).collect().map { try $0.decode(Int64.self) }.first ?? 0
                    try await connection.query("SELECT pg_notify('inyeon_recommendation_model', \(String(number)))", logger: TestDatabase.logger)
                    return number
                }
                let firstNow = try await Self.waitFor(first, token: token, seconds: 30) { $0?.version == newer }
                let secondNow = try await Self.waitFor(second, token: token, seconds: 30) { $0?.version == newer }
                #expect(firstNow == Served(version: newer, trainedHere: false))
                #expect(secondNow == Served(version: newer, trainedHere: false))
            }
        }
    }

    @Test func whenTheInstanceHoldingTheTrainingLockDiesAnotherTakesOver() async throws {
        try await Self.forgetStoredModels()
        let token = try await OperatorToken.opsRead()
        try await TestDatabase.withOwnerClient { owner in
            // A trainer that took the lock and is still at work: the lock, on a connection of its own.
            let (locked, lockTaken) = AsyncStream.makeStream(of: Int32.self)
            let holder = Task {
                try await owner.withConnection { connection in
                    var pid: Int32 = 0
                    for try await number in try await connection.query(
                        "SELECT pg_backend_pid() FROM (SELECT pg_advisory_lock(\(StoredRecommendationModels.trainingLockKey))) AS taken",
                        logger: TestDatabase.logger
                    ).decode(Int32.self) { pid = number }
                    lockTaken.yield(pid)
                    // Busy until its backend is ended under it.
                    while !connection.isClosed {
                        _ = try? await connection.query("SELECT pg_sleep(0.2)", logger: TestDatabase.logger)
                    }
                }
            }
            var iterator = locked.makeAsyncIterator()
            let trainerBackend = try #require(await iterator.next())
            try await withApp(Self.warmingUp, testing: .live) { client in
                // The instance waits for the other trainer's version, ranking by compatibility meanwhile.
                try await Task.sleep(for: .seconds(3))
                let waiting = try await Self.served(by: client, token: token)
                #expect(waiting?.version == nil, "no version while the other instance holds the lock: \(String(describing: waiting))")
                #expect(try await Self.storedVersions().isEmpty)

                // The trainer dies: PostgreSQL ends its session, and its lock with it.
                try await owner.query("SELECT pg_terminate_backend(\(trainerBackend))")
                let took = try await Self.waitFor(client, token: token) { $0?.version != nil }
                #expect(took?.trainedHere == true, "this instance took the lock over and trained: \(String(describing: took))")
                #expect(try await Self.storedVersions() == [try #require(took?.version)])
            }
            _ = await holder.result
        }
    }
}
