import Foundation
import Synchronization

/// Sessions this instance found open within the last moment (`reuse`, 2 s by default), so that a
/// person's requests in quick succession (a page and what it loads) check their session in the
/// database once, not once each: that check was a transaction of its own on every authenticated
/// request.
///
/// An ended session stops counting at once on every instance, not after the moment: whatever ends
/// one (logout, a password change, suspension, deletion, refresh-token reuse) is announced by
/// PostgreSQL in the same transaction (`inyeon_sessions`), and `ended` forgets it here. A check that
/// was already under way when a session ended is not remembered (`Ticket`), so it cannot put back
/// what the announcement removed. After the listener reconnects, when announcements may have been
/// missed, everything is forgotten. Expiry counts too: an entry never outlives its session.
final class RecentSessionChecks: Sendable {
    struct Entry: Sendable {
        var user: UUID
        var checkedAt: ContinuousClock.Instant
        var expiresAt: Date
    }

    /// How many sessions ended here before a check began: its answer is remembered only if none has since.
    struct Ticket: Sendable {
        fileprivate var endings: UInt64
        /// When the check began: the moment of reuse counts from here, not from the answer.
        fileprivate var takenAt: ContinuousClock.Instant
    }

    private struct State {
        var entries: [UUID: Entry] = [:]
        var endings: UInt64 = 0
    }

    let reuse: Duration
    /// At most this many are remembered; past it they are all forgotten at once (each costs one check again).
    let capacity: Int
    private let state = Mutex(State())

    init(reuse: Duration = .seconds(2), capacity: Int = 100_000) {
        self.reuse = reuse
        self.capacity = capacity
    }

    /// Whether `session` of `user` was found open within the last `reuse`, and has not ended or expired since.
    func isRecentlyOpen(_ session: UUID, user: UUID, now: ContinuousClock.Instant = .now, date: Date = Date()) -> Bool {
        guard reuse > .zero else { return false }
        return state.withLock { state in
            guard let entry = state.entries[session], entry.user == user else { return false }
            guard now - entry.checkedAt < reuse, date < entry.expiresAt else {
                state.entries[session] = nil
                return false
            }
            return true
        }
    }

    /// Taken before asking the database.
    func ticket(now: ContinuousClock.Instant = .now) -> Ticket {
        Ticket(endings: state.withLock { $0.endings }, takenAt: now)
    }

    /// The database found `session` open (until `expiresAt`), as asked after `ticket` was taken.
    func remember(_ session: UUID, user: UUID, expiresAt: Date, since ticket: Ticket) {
        guard reuse > .zero else { return }
        state.withLock { state in
            guard state.endings == ticket.endings else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[session] = Entry(user: user, checkedAt: ticket.takenAt, expiresAt: expiresAt)
        }
    }

    /// A session ended (`session` nil: every session of `user`).
    func ended(session: UUID?, user: UUID) {
        state.withLock { state in
            state.endings &+= 1
            if let session {
                state.entries[session] = nil
            } else {
                state.entries = state.entries.filter { $0.value.user != user }
            }
        }
    }

    /// Announcements may have been missed (the listener reconnected): nothing is taken on trust.
    func forgetAll() {
        state.withLock { state in
            state.endings &+= 1
            state.entries.removeAll()
        }
    }

    /// The payload of `inyeon_sessions` (`{"session": …, "user": …}` or `{"user": …}`); nil after a reconnect.
    func announced(_ payload: String?) {
        struct Announcement: Decodable {
            var session: UUID?
            var user: UUID
        }
        guard let payload, let announcement = try? JSONDecoder().decode(Announcement.self, from: Data(payload.utf8)) else {
            forgetAll()
            return
        }
        ended(session: announcement.session, user: announcement.user)
    }

    var count: Int { state.withLock { $0.entries.count } }
}
