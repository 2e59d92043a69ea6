import Logging
import ServiceLifecycle
import Synchronization

/// The operators' health figures that cost the database real work, read in the background every
/// `interval` rather than per request: this role's connections (from `pg_stat_activity`, whose cost
/// grows with the server's connections) and the number of listed people. `/api/health/enhanced`
/// answers with the newest reading and its age, so however often monitoring asks, the database
/// does the same work. A reading older than `stale` (the loop is not running, as in a test without
/// the service's background tasks, or it is stuck) is taken again by the caller, once for all
/// callers waiting at that moment.
final class BackgroundHealthFigures: Service, Sendable {
    struct Reading: Sendable {
        var pool: DatabaseProbe.Reading.Pool?
        var usersCount: Int?
        var takenAt: ContinuousClock.Instant

        var ageSeconds: Double {
            let age = ContinuousClock.now - takenAt
            return ((Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18) * 10).rounded() / 10
        }
    }

    let probe: DatabaseProbe
    let profiles: any ProfileRepository
    let interval: Duration
    let logger: Logger
    private let state = Mutex<(latest: Reading?, refreshing: Task<Reading, Never>?)>((nil, nil))

    init(probe: DatabaseProbe, profiles: any ProfileRepository, interval: Duration = .seconds(5), logger: Logger) {
        self.probe = probe
        self.profiles = profiles
        self.interval = interval
        self.logger = logger
    }

    /// Past this age a reading is taken again by the caller.
    var stale: Duration { interval * 3 }

    func run() async throws {
        await runPeriodically(every: interval, logger: logger, failure: "the health figures could not be read") {
            _ = await refresh().value
        }
    }

    /// The newest reading, or a new one when there is none yet or it is stale.
    func current() async -> Reading {
        let latest = state.withLock { $0.latest }
        if let latest, ContinuousClock.now - latest.takenAt < stale { return latest }
        return await refresh().value
    }

    /// The database as the operators' health and `/metrics` show it: whether it answers and its
    /// round trip measured now (one `SELECT 1`), the pool's connections from the newest background
    /// reading; with that reading, for its people count and age.
    func database(logger: Logger) async -> (database: DatabaseProbe.Reading, figures: Reading) {
        var database = await probe.read(pool: false, logger: logger)
        let figures = await current()
        if database.isReachable { database.pool = figures.pool }
        return (database, figures)
    }

    /// Starts a reading, or joins the one under way.
    private func refresh() -> Task<Reading, Never> {
        state.withLock { state in
            if let running = state.refreshing { return running }
            let task = Task { [probe, profiles, logger] in
                let database = await probe.read(pool: true, logger: logger)
                let users = database.isReachable ? try? await profiles.totalPeople(logger: logger) : nil
                let reading = Reading(pool: database.pool, usersCount: users, takenAt: .now)
                self.state.withLock { $0 = (reading, nil) }
                return reading
            }
            state.refreshing = task
            return task
        }
    }
}
