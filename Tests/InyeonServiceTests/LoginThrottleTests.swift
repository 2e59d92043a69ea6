import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import Testing

@Suite struct LoginThrottleTests {
    @Test func anAttackerSlowsThemselvesWithoutLockingOutTheOwner() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("target")
            _ = try await accounts.signUp(email: email)
            let attacker = "203.0.113.\(Int.random(in: 1...250))"
            for attempt in 1...5 {
                let response = try await accounts.login(email: email, password: "guess number \(attempt)", address: attacker)
                #expect(response.status == .unauthorized)
            }
            let sixth = try await accounts.login(email: email, password: "a calm morning walk", address: attacker)
            #expect(sixth.status == .tooManyRequests)
            let retryAfter = Int(sixth.headers[.retryAfter] ?? "") ?? 0
            #expect(retryAfter > 0 && retryAfter <= 900)
            #expect(try JSONBody(sixth)["code"] as? String == "TOO_MANY_ATTEMPTS")
            // The owner, from their own address, is not locked out by someone else's failures.
            let owner = try await accounts.login(email: email, password: "a calm morning walk", address: "192.0.2.10")
            #expect(owner.status == .ok)
        }
    }

    @Test func simultaneousGuessesOnTwoInstancesAreCountedBeforeAnyIsChecked() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        let settings = ["MAIL_OUTBOX_DIR": outbox, "TRUST_PROXY": "true"]
        try await withApp(settings) { one in
            try await withApp(settings) { two in
                let (first, second) = (AccountHelper(client: one, outbox: outbox), AccountHelper(client: two, outbox: outbox))
                let email = AccountHelper.uniqueEmail("raced")
                _ = try await first.signUp(email: email)
                let attacker = "203.0.113.\(Int.random(in: 1...250))"
                // 20 wrong passwords at the same instant, half through each instance, against a limit of 5.
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for attempt in 0..<20 {
                        let instance = attempt.isMultiple(of: 2) ? first : second
                        group.addTask { try await instance.login(email: email, password: "guess number \(attempt)", address: attacker).status }
                    }
                    return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .unauthorized }.count == 5, "only 5 passwords were checked: \(statuses)")
                #expect(statuses.filter { $0 == .tooManyRequests }.count == 15)
                // While the address is held back, the right password is refused too, on either instance.
                for instance in [first, second] {
                    let right = try await instance.login(email: email, password: "a calm morning walk", address: attacker)
                    #expect(right.status == .tooManyRequests)
                    #expect(try JSONBody(right)["code"] as? String == "TOO_MANY_ATTEMPTS")
                }
            }
        }
    }

    @Test func manyAccountsFromOneAddressIsRefusedAsStuffing() async throws {
        try await withAccounts { accounts in
            let address = "198.18.\(Int.random(in: 0...255)).\(Int.random(in: 1...250))"
            for _ in 0..<10 {
                let response = try await accounts.login(email: AccountHelper.uniqueEmail("stuffed"), password: "leaked password 1", address: address)
                #expect(response.status == .unauthorized)
            }
            let refused = try await accounts.login(email: AccountHelper.uniqueEmail("stuffed"), password: "leaked password 1", address: address)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "900")
            let health = try JSONBody(try await accounts.get("/api/health/enhanced", token: try await OperatorToken.opsRead()))
            #expect((health["data.securityEvents.credentialStuffing"] as? Int ?? 0) >= 1)
        }
    }
}

@Suite struct AbuseTests {
    @Test func anAddressFloodingInvalidTokensIsRefusedForAWhile() async throws {
        try await withAccounts { accounts in
            let prober = "203.0.113.99"
            for _ in 0..<20 {
                var headers: HTTPFields = [.authorization: "Bearer forged.token.value"]
                headers[.init("X-Forwarded-For")!] = prober
                let response = try await accounts.client.execute(uri: "/api/users/rls", method: .get, headers: headers)
                #expect(response.status == .unauthorized)
            }
            var headers: HTTPFields = [.authorization: "Bearer forged.token.value"]
            headers[.init("X-Forwarded-For")!] = prober
            let refused = try await accounts.client.execute(uri: "/api/users/rls", method: .get, headers: headers)
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Someone else is unaffected.
            let member = try await accounts.signUp()
            var other: HTTPFields = [.authorization: "Bearer \(member.access)"]
            other[.init("X-Forwarded-For")!] = "192.0.2.44"
            #expect(try await accounts.client.execute(uri: "/api/users/rls", method: .get, headers: other).status == .ok)
        }
    }

    @Test func manyFailuresAgainstOneAccountSlowItDownWithoutLockingIt() async throws {
        try await TestDatabase.withAppRoleClient { client in
            let throttle = LoginThrottle(database: Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey))
            let emailHash = Data(UUID().uuidString.utf8)
            for index in 0..<24 {
                // Each reserved attempt counts as a failure until a right password clears it.
                _ = try await throttle.reserve(emailHash: emailHash, address: "198.51.100.\(index)", logger: TestDatabase.logger)
            }
            let decision = try await throttle.reserve(emailHash: emailHash, address: "192.0.2.1", logger: TestDatabase.logger)
            guard case .allow(_, let delay) = decision else {
                Issue.record("refused: \(decision)")
                return
            }
            #expect(delay == 1000, "slowed by 250 ms per failure past 20, never refused")
        }
    }
}
