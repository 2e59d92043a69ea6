import Synchronization

/// Stops calling a provider that keeps failing: after `failureThreshold` failures in a row it opens
/// for `coolDown`; then it lets exactly one probe through (half-open). The probe's success closes
/// it; its failure opens it again for another `coolDown`.
final class CircuitBreaker: Sendable {
    enum State: String, Sendable {
        case closed, open
        case halfOpen = "half_open"
    }

    struct Status: Sendable, Encodable {
        var state: String
        var consecutiveFailures: Int
        var timesOpened: Int
    }

    private struct Inner {
        var state: State = .closed
        var consecutiveFailures = 0
        var openedAt: ContinuousClock.Instant?
        var probeInFlight = false
        var timesOpened = 0
    }

    let failureThreshold: Int
    let coolDown: Duration
    private let inner = Mutex(Inner())

    init(failureThreshold: Int, coolDown: Duration) {
        self.failureThreshold = failureThreshold
        self.coolDown = coolDown
    }

    /// Whether a call may go out now. When half-open, only the first caller gets a yes.
    func allowsCall(now: ContinuousClock.Instant = .now) -> Bool {
        inner.withLock { inner in
            switch inner.state {
            case .closed:
                return true
            case .open:
                guard let openedAt = inner.openedAt, now - openedAt >= coolDown else { return false }
                inner.state = .halfOpen
                inner.probeInFlight = true
                return true
            case .halfOpen:
                if inner.probeInFlight { return false }
                inner.probeInFlight = true
                return true
            }
        }
    }

    func recordSuccess() {
        inner.withLock { inner in
            inner.state = .closed
            inner.consecutiveFailures = 0
            inner.probeInFlight = false
            inner.openedAt = nil
        }
    }

    func recordFailure(now: ContinuousClock.Instant = .now) {
        inner.withLock { inner in
            inner.consecutiveFailures += 1
            inner.probeInFlight = false
            if inner.state == .halfOpen || inner.consecutiveFailures >= failureThreshold {
                if inner.state != .open { inner.timesOpened += 1 }
                inner.state = .open
                inner.openedAt = now
            }
        }
    }

    var status: Status {
        inner.withLock { Status(state: $0.state.rawValue, consecutiveFailures: $0.consecutiveFailures, timesOpened: $0.timesOpened) }
    }
}
