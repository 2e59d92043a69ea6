import Foundation
import Hummingbird
import HummingbirdTesting
import NIOWebSocket
import PostgresNIO
import Synchronization
import Testing
import WSCore
@testable import InyeonService

/// A session that ends, ends everywhere: its chat sockets close on every running instance (4401),
/// whatever ended it, and what it held no longer works.
@Suite(.timeLimit(.minutes(2))) struct SessionEndTests {
    static let password = "a calm morning walk"

    /// Runs SQL as the owner with the system's identity (RLS binds the owner too).
    static func asSystem<Result: Sendable>(_ body: @Sendable @escaping (DatabaseConnection) async throws -> Result) async throws -> Result {
        try await TestDatabase.withOwnerClient { client in
            try await Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey).transaction(as: .system, logger: TestDatabase.logger) {
                try await body($0)
            }
        }
    }

    static func email(of member: MatchLifecycleTests.Member) async throws -> String {
        try await asSystem { connection in
            var email = ""
            for try await found in try await connection.query(
                "SELECT email FROM private_profiles WHERE user_id = \(UUID(uuidString: member.id)!)", logger: TestDatabase.logger
            ).decode(String.self) {
                email = found
            }
            return email
        }
    }

    /// Another session of the same person, signed in on `accounts`' instance: its access token.
    static func secondSession(_ accounts: AccountHelper, of member: MatchLifecycleTests.Member) async throws -> String {
        let login = try await accounts.login(email: try await email(of: member), password: password)
        #expect(login.status == .ok, "\(login.text)")
        return try #require(try JSONBody(login)["data.accessToken"] as? String)
    }

    enum Ending: String, CaseIterable {
        case logout, logoutEverywhere, passwordChange, suspension
    }

    @Test func anEndedSessionClosesItsSocketOnTheOtherInstanceAndSendingStops() async throws {
        let outbox = AccountHelper.outboxDirectory()
        try await withLiveAccounts(outbox: outbox) { first, _ in
            try await withLiveAccounts(outbox: outbox) { second, secondPort in
                for ending in Ending.allCases {
                    let pair = try await ChatPair.make(first)
                    // Her socket is on the second instance; the session ends through the first (or in SQL).
                    let her = try await ChatTestSocket.open(
                        port: secondPort, conversation: pair.conversation, ticket: try await first.ticket(for: pair.first)
                    )
                    switch ending {
                    case .logout:
                        #expect(try await first.post("/api/auth/logout", [:], token: pair.first.token).status == .ok)
                    case .logoutEverywhere:
                        let other = try await Self.secondSession(first, of: pair.first)
                        #expect(try await first.post("/api/auth/logout-all", [:], token: other).status == .ok)
                    case .passwordChange:
                        let other = try await Self.secondSession(first, of: pair.first)
                        let changed = try await first.post(
                            "/api/auth/password", ["currentPassword": Self.password, "newPassword": "a new and quiet evening"], token: other
                        )
                        #expect(changed.status == .ok, "\(changed.text)")
                    case .suspension:
                        try await Self.asSystem { connection in
                            try await connection.query(
                                "UPDATE accounts SET status = 'suspended' WHERE id = \(UUID(uuidString: pair.first.id)!)", logger: TestDatabase.logger
                            )
                        }
                    }
                    let closed = try await her.closedByServer(timeout: .seconds(2))
                    #expect(closed?.closeCode == .unknown(4401), "\(ending)")
                    // Nothing sent in that session gets through afterwards, by socket or by REST.
                    let sent = try await second.post(
                        "/api/conversations/\(pair.conversation)/messages", ["clientId": "after-\(ending)", "text": "끝난 세션에서"],
                        token: pair.first.token
                    )
                    #expect(sent.status == .unauthorized, "\(ending): \(sent.text)")
                    #expect(try await second.post("/api/auth/websocket-ticket", [:], token: pair.first.token).status == .unauthorized)
                    let page = try JSONBody(try await second.get("/api/conversations/\(pair.conversation)/messages", token: pair.second.token))
                    #expect((page["data.messages"] as? [Any])?.isEmpty == true, "\(ending)")
                }
            }
        }
    }

    @Test func aSocketWhoseSessionEndedUnnoticedIsClosedAtItsNextSend() async throws {
        try await withLiveAccounts { accounts, port in
            let pair = try await ChatPair.make(accounts)
            let her = try await ChatTestSocket.open(port: port, conversation: pair.conversation, ticket: try await accounts.ticket(for: pair.first))
            // The session ends without a notification reaching this instance (as while its listener reconnects):
            // its trigger is off for this one transaction alone (DDL in a transaction is seen by no one else).
            try await Self.asSystem { connection in
                try await connection.query("BEGIN", logger: TestDatabase.logger)
                try await connection.query("ALTER TABLE sessions DISABLE TRIGGER sessions_end_announced", logger: TestDatabase.logger)
                try await connection.query(
                    "UPDATE sessions SET revoked_at = now(), revoked_reason = 'test' WHERE id = \(UUID(uuidString: pair.first.tokens.session)!)",
                    logger: TestDatabase.logger
                )
                try await connection.query("ALTER TABLE sessions ENABLE TRIGGER sessions_end_announced", logger: TestDatabase.logger)
                try await connection.query("COMMIT", logger: TestDatabase.logger)
            }
            try her.send(["type": "send", "clientId": "late", "text": "아직 열려 있나요"])
            #expect(try await her.closedByServer(timeout: .seconds(2))?.closeCode == .unknown(4401))
            let page = try JSONBody(try await accounts.get("/api/conversations/\(pair.conversation)/messages", token: pair.second.token))
            #expect((page["data.messages"] as? [Any])?.isEmpty == true, "the message was not stored")
        }
    }
}
