import Foundation
import Hummingbird
import HummingbirdTesting
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
            let health = try JSONBody(try await accounts.get("/api/health/enhanced", token: nil))
            #expect((health["data.securityEvents.credentialStuffing"] as? Int ?? 0) >= 1)
        }
    }
}
