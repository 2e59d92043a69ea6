import Synchronization

/// Counts security events in this process, for health output and metrics.
final class SecurityEventCounter: Sendable {
    enum Event: String, CaseIterable, Sendable {
        case invalidToken, loginFailure, loginThrottled, credentialStuffing, refreshTokenReuse, rlsDenied
    }

    private let counts = Mutex<[Event: Int]>([:])

    /// Counts one more; returns the new total.
    @discardableResult
    func count(_ event: Event) -> Int {
        counts.withLock { counts in
            counts[event, default: 0] += 1
            return counts[event]!
        }
    }

    var snapshot: [String: Int] {
        counts.withLock { counts in
            Dictionary(uniqueKeysWithValues: Event.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        }
    }
}
