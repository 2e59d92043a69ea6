import Foundation
import InyeonCore
import Logging
import PostgresNIO

/// The rollout plans and their cohorts' counts in PostgreSQL (admins and the system only).
struct RolloutRepository: Sendable {
    let database: Database

    struct Stored: Sendable, Equatable {
        var plan: RolloutPlan
        var progress: RolloutPlan.Progress
        var reason: String?
        var updatedAt: Date

        /// The flag setting the plan wants now.
        var setting: FlagSetting {
            switch progress.status {
            case .completed: .on
            case .rolledBack: .off
            case .running, .paused: FlagSetting(parsing: "\(plan.steps[min(progress.step, plan.steps.count - 1)])%") ?? .off
            }
        }
    }

    func plans(as identity: RequestIdentity = .system, logger: Logger) async throws -> [Stored] {
        try await database.transaction(as: identity, logger: logger) { connection in
            try await Self.plans(on: connection, locking: false, logger: logger)
        }
    }

    /// Whether any plan is running (a look at one row at most).
    func anyRunning(logger: Logger) async throws -> Bool {
        try await database.transaction(as: .system, logger: logger) { connection in
            var running = false
            for try await _ in try await connection.query("SELECT 1 FROM rollout_plans WHERE status = 'running' LIMIT 1", logger: logger)
                .decode(Int.self) {
                running = true
            }
            return running
        }
    }

    /// The plans, in the caller's transaction; `locking` holds them until it ends (the driver's turn).
    static func plans(on connection: DatabaseConnection, locking: Bool, logger: Logger) async throws -> [Stored] {
        var stored: [Stored] = []
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT plan::text, status, step, step_started_at, reason, updated_at FROM rollout_plans ORDER BY flag"
                + (locking ? " FOR NO KEY UPDATE" : "")),
            logger: logger
        )
        for try await (json, status, step, started, reason, updated) in rows.decode((String, String, Int, Date, String?, Date).self) {
            guard let plan = try? JSONDecoder().decode(RolloutPlan.self, from: Data(json.utf8)),
                  let status = RolloutPlan.Progress.Status(rawValue: status) else { continue }
            stored.append(Stored(plan: plan, progress: .init(status: status, step: step, stepStartedAt: started), reason: reason, updatedAt: updated))
        }
        return stored
    }

    /// Starts (or starts again) `plan` at its first step, as `identity`, audited.
    func start(_ plan: RolloutPlan, at now: Date, as identity: RequestIdentity, requestID: String?, logger: Logger) async throws -> Stored {
        let json = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        let stored = Stored(plan: plan, progress: .init(status: .running, step: 0, stepStartedAt: now), reason: "started", updatedAt: now)
        try await database.transaction(as: identity, logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO rollout_plans (flag, plan, status, step, step_started_at, reason, updated_at)
                VALUES (\(plan.flag.rawValue), \(json)::jsonb, 'running', 0, \(now), 'started', \(now))
                ON CONFLICT (flag) DO UPDATE SET plan = EXCLUDED.plan, status = 'running', step = 0,
                    step_started_at = EXCLUDED.step_started_at, reason = 'started', updated_at = EXCLUDED.updated_at
                """,
                logger: logger
            )
            // A new run draws new charts (the audit log keeps what the last run decided).
            try await connection.query("DELETE FROM rollout_cohort_history WHERE flag = \(plan.flag.rawValue)", logger: logger)
            try await AuditLog.record(
                AuditEntry(action: "rollout.started", actorID: identity.userID, actorRole: identity.role, targetType: "flag",
                           targetID: plan.flag.rawValue, details: ["steps": plan.steps.map(String.init).joined(separator: ","),
                                                                   "minimumStepSeconds": "\(plan.minimumStepSeconds)",
                                                                   "minimumPeoplePerStep": "\(plan.minimumPeoplePerStep)"]),
                requestID: requestID, on: connection, logger: logger
            )
        }
        return stored
    }

    /// Moves a plan on (a decision, or an operator's pause, resume or rollback), audited with its
    /// reason. `expected` guards against two movers: the change applies only if the plan is still
    /// where the caller saw it. Returns whether it applied.
    func move(
        _ flag: FeatureFlag, from expected: RolloutPlan.Progress, to progress: RolloutPlan.Progress, action: String, reason: String,
        as identity: RequestIdentity, requestID: String?, now: Date, logger: Logger
    ) async throws -> Bool {
        try await database.transaction(as: identity, logger: logger) { connection in
            try await Self.move(
                flag, from: expected, to: progress, action: action, reason: reason, as: identity, requestID: requestID, now: now,
                on: connection, logger: logger
            )
        }
    }

    /// The same, in the caller's transaction (the driver's, under the rollout lock); `details` are
    /// added to the audit entry's.
    static func move(
        _ flag: FeatureFlag, from expected: RolloutPlan.Progress, to progress: RolloutPlan.Progress, action: String, reason: String,
        as identity: RequestIdentity, details: [String: String] = [:], requestID: String?, now: Date, on connection: DatabaseConnection,
        logger: Logger
    ) async throws -> Bool {
        var moved = false
        for try await _ in try await connection.query(
            """
            UPDATE rollout_plans SET status = \(progress.status.rawValue), step = \(progress.step),
                step_started_at = \(progress.stepStartedAt), reason = \(String(reason.prefix(2000))), updated_at = \(now)
            WHERE flag = \(flag.rawValue) AND status = \(expected.status.rawValue) AND step = \(expected.step)
            RETURNING flag
            """,
            logger: logger
        ).decode(String.self) {
            moved = true
        }
        guard moved else { return false }
        try await AuditLog.record(
            AuditEntry(action: action, actorID: identity.userID, actorRole: identity.role, targetType: "flag", targetID: flag.rawValue,
                       details: ["step": "\(progress.step)", "status": progress.status.rawValue, "reason": String(reason.prefix(500))]
                           .merging(details) { current, _ in current }),
            requestID: requestID, on: connection, logger: logger
        )
        return true
    }

    /// How many of the people who had the feature are counted at most: the plan's minimum (what the
    /// policy needs), and at least one.
    static func peopleCounted(_ plan: RolloutPlan) -> Int { max(1, plan.minimumPeoplePerStep) }

    /// Adds this instance's counts, and says how much memory it holds.
    func add(_ batch: CohortCounter.Batch, instance: String, residentMegabytes: Double?, logger: Logger) async throws {
        try await database.transaction(as: .system, logger: logger) { connection in
            if let residentMegabytes {
                try await connection.query(
                    """
                    INSERT INTO rollout_instance_memory (instance, resident_megabytes, reported_at) VALUES (\(instance), \(residentMegabytes), now())
                    ON CONFLICT (instance) DO UPDATE SET resident_megabytes = EXCLUDED.resident_megabytes, reported_at = EXCLUDED.reported_at
                    """,
                    logger: logger
                )
            }
            let latency = batch.latency.sorted {
                ($0.key.flag.rawValue, $0.key.withFeature ? 1 : 0, $0.key.boundMilliseconds) < ($1.key.flag.rawValue, $1.key.withFeature ? 1 : 0, $1.key.boundMilliseconds)
            }
            for (key, requests) in latency {
                try await connection.query(
                    """
                    INSERT INTO rollout_cohort_latency (flag, started, instance, with_feature, bound_ms, requests)
                    SELECT \(key.flag.rawValue), \(key.started), \(instance), \(key.withFeature), \(key.boundMilliseconds), \(requests)
                    WHERE EXISTS (SELECT 1 FROM rollout_plans WHERE flag = \(key.flag.rawValue))
                    ON CONFLICT (flag, started, instance, with_feature, bound_ms) DO UPDATE
                    SET requests = rollout_cohort_latency.requests + EXCLUDED.requests
                    """,
                    logger: logger
                )
            }
            // In one order, always: concurrent writers never wait on each other in a circle.
            let ordered = batch.counts.sorted { ($0.key.flag.rawValue, $0.key.withFeature ? 1 : 0, $0.key.measure.rawValue) < ($1.key.flag.rawValue, $1.key.withFeature ? 1 : 0, $1.key.measure.rawValue) }
            for (key, counts) in ordered {
                try await connection.query(
                    """
                    INSERT INTO rollout_cohort_counts (flag, started, instance, with_feature, measure, trials, events)
                    SELECT \(key.flag.rawValue), \(key.started), \(instance), \(key.withFeature), \(key.measure.rawValue), \(counts.trials), \(counts.events)
                    WHERE EXISTS (SELECT 1 FROM rollout_plans WHERE flag = \(key.flag.rawValue))
                    ON CONFLICT (flag, started, instance, with_feature, measure) DO UPDATE
                    SET trials = rollout_cohort_counts.trials + EXCLUDED.trials, events = rollout_cohort_counts.events + EXCLUDED.events
                    """,
                    logger: logger
                )
            }
            for (flag, people) in batch.people {
                try await connection.query(
                    """
                    INSERT INTO rollout_cohort_people (flag, started, user_id)
                    SELECT \(flag.rawValue), \(people.started), person FROM unnest(\(Array(people.ids))::uuid[]) AS person
                    WHERE EXISTS (SELECT 1 FROM rollout_plans WHERE flag = \(flag.rawValue))
                    -- In one order on every instance: two inserting the same people never wait on each other in a circle.
                    ORDER BY person
                    ON CONFLICT DO NOTHING
                    """,
                    logger: logger
                )
            }
        }
    }

    /// How often a cohort's figures are kept for the console's charts by default (a decision always keeps them).
    static let historyEvery: Int = 60
    /// How long they are kept.
    static let historyKeptDays: Int = 90

    /// Keeps each cohort's figures so far in the plan's current step (requests, server errors, slow
    /// requests, p95 from the histogram), at `at`: when `always`, or when none were kept in the last
    /// `every` seconds. In the driver's transaction, under the rollout lock.
    static func keepHistory(
        of stored: Stored, at: Date, every: Int = historyEvery, always: Bool, on connection: DatabaseConnection, logger: Logger
    ) async throws {
        let flag = stored.plan.flag.rawValue, started = stored.progress.stepStartedAt
        let percentage = stored.plan.steps[min(stored.progress.step, stored.plan.steps.count - 1)]
        try await connection.query(
            """
            INSERT INTO rollout_cohort_history (flag, taken_at, started, percentage, with_feature, requests, server_errors, slow_requests, p95_ms)
            SELECT \(flag), \(at), \(started), \(percentage), cohort.with_feature,
                coalesce((SELECT sum(trials) FROM rollout_cohort_counts c WHERE c.flag = \(flag) AND c.started = \(started)
                          AND c.with_feature = cohort.with_feature AND c.measure = 'serverErrors'), 0),
                coalesce((SELECT sum(events) FROM rollout_cohort_counts c WHERE c.flag = \(flag) AND c.started = \(started)
                          AND c.with_feature = cohort.with_feature AND c.measure = 'serverErrors'), 0),
                coalesce((SELECT sum(events) FROM rollout_cohort_counts c WHERE c.flag = \(flag) AND c.started = \(started)
                          AND c.with_feature = cohort.with_feature AND c.measure = 'slowRequests'), 0),
                (SELECT min(bound_ms) FROM (
                    SELECT bound_ms, sum(sum(requests)) OVER (ORDER BY bound_ms) AS seen, sum(sum(requests)) OVER () AS total
                    FROM rollout_cohort_latency l WHERE l.flag = \(flag) AND l.started = \(started) AND l.with_feature = cohort.with_feature
                    GROUP BY bound_ms
                ) AS histogram WHERE seen >= 0.95 * total)
            FROM (VALUES (true), (false)) AS cohort (with_feature)
            WHERE \(always) OR NOT EXISTS (
                SELECT 1 FROM rollout_cohort_history
                WHERE flag = \(flag) AND taken_at > \(at) - make_interval(secs => \(every)::float8) AND taken_at <= \(at)
            )
            -- At the same moment (a test's clock that stands still), the later figures win.
            ON CONFLICT (flag, taken_at, with_feature) DO UPDATE SET started = EXCLUDED.started, percentage = EXCLUDED.percentage,
                requests = EXCLUDED.requests, server_errors = EXCLUDED.server_errors, slow_requests = EXCLUDED.slow_requests,
                p95_ms = EXCLUDED.p95_ms
            """,
            logger: logger
        )
        try await connection.query(
            "DELETE FROM rollout_cohort_history WHERE flag = \(flag) AND taken_at < \(at) - make_interval(days => \(Self.historyKeptDays)::int)",
            logger: logger
        )
    }

    /// A cohort's figures at one moment of a plan (a point of the console's charts).
    struct HistoryPoint: Sendable, Equatable {
        var takenAt: Date
        var started: Date
        var percentage: Int
        var withFeature: Bool
        var requests: Int
        var serverErrors: Int
        var slowRequests: Int
        var p95Milliseconds: Int?
    }

    /// A plan's kept figures since `since`, oldest first (at most `limit` moments).
    func history(of flag: FeatureFlag, since: Date, limit: Int = 2_000, as identity: RequestIdentity, logger: Logger) async throws -> [HistoryPoint] {
        try await database.transaction(as: identity, logger: logger) { connection in
            var points: [HistoryPoint] = []
            for try await (taken, started, percentage, withFeature, requests, errors, slow, p95) in try await connection.query(
                """
                SELECT taken_at, started, percentage, with_feature, requests, server_errors, slow_requests, p95_ms FROM (
                    SELECT * FROM rollout_cohort_history WHERE flag = \(flag.rawValue) AND taken_at >= \(since)
                    ORDER BY taken_at DESC LIMIT \(limit * 2)
                ) AS newest ORDER BY taken_at, with_feature
                """,
                logger: logger
            ).decode((Date, Date, Int, Bool, Int, Int, Int, Int?).self) {
                points.append(HistoryPoint(
                    takenAt: taken, started: started, percentage: percentage, withFeature: withFeature, requests: requests,
                    serverErrors: errors, slowRequests: slow, p95Milliseconds: p95
                ))
            }
            return points
        }
    }

    /// What every instance counted during the plan's current step. The people are counted only up
    /// to what the plan needs (`peopleCounted`), so the cost does not grow with the membership.
    /// `products`: read the product measures too (the console shows them all; the driver needs them
    /// only when one is a guardrail of the plan, and otherwise spares the five reads every turn).
    func observations(of stored: Stored, products: Bool = true, logger: Logger) async throws -> RolloutPlan.Observations {
        try await database.transaction(as: .system, logger: logger) { connection in
            var cohorts: [RolloutPlan.Guardrail.Measure: (on: SequentialGuardrail.Counts, off: SequentialGuardrail.Counts)] = [:]
            let flag = stored.plan.flag.rawValue, started = stored.progress.stepStartedAt
            for try await (measure, withFeature, trials, events) in try await connection.query(
                """
                SELECT measure, with_feature, sum(trials)::bigint, sum(events)::bigint FROM rollout_cohort_counts
                WHERE flag = \(flag) AND started = \(started) GROUP BY measure, with_feature
                """,
                logger: logger
            ).decode((String, Bool, Int, Int).self) {
                guard let measure = RolloutPlan.Guardrail.Measure(rawValue: measure) else { continue }
                var pair = cohorts[measure] ?? (SequentialGuardrail.Counts(trials: 0, events: 0), SequentialGuardrail.Counts(trials: 0, events: 0))
                if withFeature { pair.on = .init(trials: trials, events: events) } else { pair.off = .init(trials: trials, events: events) }
                cohorts[measure] = pair
            }
            // The product measures, from the service's own tables (each bounded by its sample).
            if products {
                for (measure, pair) in try await CohortProductMeasures().measure(stored, on: connection, logger: logger) {
                    cohorts[measure] = pair
                }
            }
            var people = 0
            let enough = Self.peopleCounted(stored.plan)
            for try await count in try await connection.query(
                """
                SELECT count(*)::bigint FROM (
                    SELECT 1 FROM rollout_cohort_people WHERE flag = \(flag) AND started = \(started) LIMIT \(enough)
                ) AS counted
                """,
                logger: logger
            ).decode(Int.self) {
                people = count
            }
            // The on-cohort's p95: the bound of the histogram bucket that holds its 95th percentile.
            var histogram: [(bound: Int, requests: Int)] = []
            for try await (bound, requests) in try await connection.query(
                """
                SELECT bound_ms, sum(requests)::bigint FROM rollout_cohort_latency
                WHERE flag = \(flag) AND started = \(started) AND with_feature GROUP BY bound_ms ORDER BY bound_ms
                """,
                logger: logger
            ).decode((Int, Int).self) {
                histogram.append((bound, requests))
            }
            let total = histogram.reduce(0) { $0 + $1.requests }
            var seen = 0
            let p95 = total == 0 ? nil : histogram.first { bucket in
                seen += bucket.requests
                return Double(seen) >= 0.95 * Double(total)
            }.map { Double($0.bound) }
            // The most any instance holds, of those that spoke in the last two minutes.
            var memory: Double?
            for try await megabytes in try await connection.query(
                "SELECT max(resident_megabytes) FROM rollout_instance_memory WHERE reported_at > now() - interval '2 minutes'", logger: logger
            ).decode(Double?.self) {
                memory = megabytes
            }
            return RolloutPlan.Observations(cohorts: cohorts, peopleWithTheFeature: people, onP95Milliseconds: p95, memoryMegabytes: memory)
        }
    }
}
