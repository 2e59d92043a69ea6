import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import InyeonService

/// A session found open is not asked about again for a moment (`SESSION_CHECK_REUSE`), and yet its
/// end counts at once on every instance: here the moment is a whole minute, so only PostgreSQL's
/// announcement of the end can be what refuses the token on the other instance.
@Suite(.timeLimit(.minutes(2))) struct RecentSessionCheckTests {
    let session = UUID(), user = UUID()

    @Test func anOpenSessionIsRememberedForAMomentAndNoLonger() {
        let checks = RecentSessionChecks(reuse: .seconds(2))
        let start = ContinuousClock.now
        let ticket = checks.ticket(now: start)
        checks.remember(session, user: user, expiresAt: Date().addingTimeInterval(600), since: ticket)
        #expect(checks.isRecentlyOpen(session, user: user, now: start + .seconds(1)))
        #expect(!checks.isRecentlyOpen(session, user: UUID(), now: start + .seconds(1)), "another person's token naming the same session")
        #expect(!checks.isRecentlyOpen(session, user: user, now: start + .seconds(2)), "asked again once the moment has passed")
    }

    @Test func neverPastTheSessionsOwnExpiry() {
        let checks = RecentSessionChecks(reuse: .seconds(60))
        checks.remember(session, user: user, expiresAt: Date().addingTimeInterval(1), since: checks.ticket())
        #expect(checks.isRecentlyOpen(session, user: user))
        #expect(!checks.isRecentlyOpen(session, user: user, date: Date().addingTimeInterval(2)))
    }

    @Test func anEndAnnouncedWhileTheDatabaseWasAskedIsNotUndone() {
        let checks = RecentSessionChecks(reuse: .seconds(60))
        let ticket = checks.ticket()
        // The database said "open"; before the answer is remembered, the end is announced.
        checks.announced(#"{"session": "\#(session.uuidString)", "user": "\#(user.uuidString)"}"#)
        checks.remember(session, user: user, expiresAt: Date().addingTimeInterval(600), since: ticket)
        #expect(!checks.isRecentlyOpen(session, user: user))
    }

    @Test func everyWayOfEndingForgets() {
        let checks = RecentSessionChecks(reuse: .seconds(60))
        let other = UUID()
        func rememberBoth() {
            let ticket = checks.ticket()
            checks.remember(session, user: user, expiresAt: Date().addingTimeInterval(600), since: ticket)
            checks.remember(other, user: UUID(), expiresAt: Date().addingTimeInterval(600), since: ticket)
        }
        rememberBoth()
        checks.announced(#"{"session": "\#(session.uuidString)", "user": "\#(user.uuidString)"}"#)
        #expect(!checks.isRecentlyOpen(session, user: user))
        #expect(checks.count == 1, "only the session that ended")

        rememberBoth()
        checks.announced(#"{"user": "\#(user.uuidString)"}"#)  // suspension: all of a person's sessions
        #expect(!checks.isRecentlyOpen(session, user: user))
        #expect(checks.count == 1)

        rememberBoth()
        checks.announced(nil)  // the listener reconnected: announcements may have been missed
        #expect(checks.count == 0)

        rememberBoth()
        checks.announced("not an announcement")
        #expect(checks.count == 0, "an unreadable announcement is taken as a possible end of anything")
    }

    @Test func aFullMemoryStartsAgainRatherThanGrowing() {
        let checks = RecentSessionChecks(reuse: .seconds(60), capacity: 3)
        for _ in 0..<10 { checks.remember(UUID(), user: user, expiresAt: Date().addingTimeInterval(600), since: checks.ticket()) }
        #expect(checks.count <= 3)
    }

    @Test func logoutThroughOneInstanceEndsTheTokenOnAnotherThatRememberedItsSession() async throws {
        let outbox = AccountHelper.outboxDirectory()
        try await withAccounts(["SESSION_CHECK_REUSE": "1m"], outbox: outbox) { first in
            try await withAccounts(["SESSION_CHECK_REUSE": "1m"], outbox: outbox) { second in
                let me = try await first.signUp()
                // The second instance checks the session once and remembers it for a minute.
                #expect(try await second.get("/api/auth/sessions", token: me.access).status == .ok)
                #expect(try await second.get("/api/auth/sessions", token: me.access).status == .ok)

                #expect(try await first.post("/api/auth/logout", [:], token: me.access).status == .ok)
                var refused = false
                let clock = ContinuousClock()
                let ended = clock.now
                while clock.now - ended < .seconds(5) {
                    if try await second.get("/api/auth/sessions", token: me.access).status == .unauthorized {
                        refused = true
                        break
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(refused, "the other instance refuses the token long before its minute is up")
                #expect(clock.now - ended < .seconds(2), "took \(clock.now - ended)")
            }
        }
    }

    @Test func theInstanceThatEndsASessionRefusesItsTokenAtOnce() async throws {
        try await withAccounts(["SESSION_CHECK_REUSE": "1m"]) { accounts in
            let me = try await accounts.signUp()
            #expect(try await accounts.get("/api/auth/sessions", token: me.access).status == .ok)
            #expect(try await accounts.post("/api/auth/logout", [:], token: me.access).status == .ok)
            // The very next request, without waiting for PostgreSQL's announcement.
            #expect(try await accounts.get("/api/auth/sessions", token: me.access).status == .unauthorized)
        }
    }
}
