import Synchronization

/// Counts security events in this process, for health output and metrics.
final class SecurityEventCounter: Sendable {
    enum Event: String, CaseIterable, Sendable {
        case invalidToken, loginFailure, loginThrottled, credentialStuffing, refreshTokenReuse, rlsDenied
    }

    private let counts = Mutex<[Event: Int]>([:])

    func count(_ event: Event) {
        counts.withLock { $0[event, default: 0] += 1 }
    }

    var snapshot: [String: Int] {
        counts.withLock { counts in
            Dictionary(uniqueKeysWithValues: Event.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        }
    }
}
