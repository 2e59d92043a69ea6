import Foundation
@testable import InyeonService
import Logging
import PostgresNIO
import Synchronization
import Testing

/// The recommendation engine's whole-table training reads go to the replicas (`DATABASE_READ_URL`,
/// HAProxy's replica port in the cluster) when the deployment has them, and to the primary when
/// they cannot be read: training never waits on a replica.
@Suite struct TrainingReadsTests {
    static let currentYear = 2026

    /// A replica refuses writes: a client whose every transaction is read-only stands in for one.
    @Test func trainingReadsGoToTheReplicasAndNeedNoWrites() async throws {
        try await withApp { _ in }  // migrated and seeded with the demo people
        try await TestDatabase.withAppRoleClient { primaryClient in
            let primary = Database(client: primaryClient, poolSize: 4, identityKey: TestDatabase.identityKey)
            var url = try TestDatabase.configuration().databaseURL
            url.tlsMode = .disable
            var replicaConfiguration = url.clientConfiguration(poolSize: 2)
            replicaConfiguration.options.additionalStartupParameters.append(("default_transaction_read_only", "on"))
            let replicaClient = PostgresClient(configuration: replicaConfiguration, backgroundLogger: TestDatabase.logger)
            let running = Task { await replicaClient.run() }
            defer { running.cancel() }
            let onReplica = Mutex(0)
            let replica = Database(
                client: replicaClient, poolSize: 2, identityKey: TestDatabase.identityKey,
                observeTransaction: { _ in onReplica.withLock { $0 += 1 } }
            )
            let withReplicas = MatchingRepository(database: primary, trainingReads: replica)
            let primaryOnly = MatchingRepository(database: primary)

            let profiles = try await withReplicas.searchableProfiles(currentYear: Self.currentYear, logger: TestDatabase.logger)
            let expected = try await primaryOnly.searchableProfiles(currentYear: Self.currentYear, logger: TestDatabase.logger)
            #expect(profiles.count >= 100, "the demo people who appear in search")
            #expect(Set(profiles.map(\.id)) == Set(expected.map(\.id)))
            let decisions = try await withReplicas.allDecisions(logger: TestDatabase.logger)
            #expect(decisions.count == (try await primaryOnly.allDecisions(logger: TestDatabase.logger)).count)
            // Each read: a short look at the replica, then the read itself, both there.
            #expect(onReplica.withLock { $0 } == 4)
        }
    }

    /// No replica to be had (the port refuses, or none is in HAProxy's rotation): the primary, promptly.
    @Test func whenTheReplicasCannotBeReadTrainingReadsFromThePrimary() async throws {
        try await withApp { _ in }
        try await ConnectionLossTests.withDatabaseBehindAProxy { unreachable, proxy in
            proxy.cut()
            try await TestDatabase.withAppRoleClient { primaryClient in
                let primary = Database(client: primaryClient, poolSize: 4, identityKey: TestDatabase.identityKey)
                let started = ContinuousClock.now
                let profiles = try await MatchingRepository(database: primary, trainingReads: unreachable)
                    .searchableProfiles(currentYear: Self.currentYear, logger: TestDatabase.logger)
                #expect(profiles.count >= 100, "the demo people who appear in search")
                #expect(ContinuousClock.now - started < MatchingRepository.replicaWait + .seconds(3))
            }
        }
    }
}
