import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import Testing

/// Which address the per-address limits see (assessment issue 15: the leftmost `X-Forwarded-For`
/// entry, which the client writes itself, was believed).
@Suite struct ClientAddressTests {
    static let proxies = TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/8, fd00::/8")!

    @Test func theClientIsTheRightmostAddressThatIsNotATrustedProxy() {
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["192.0.2.44, 203.0.113.9"], proxies: Self.proxies) == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: ["192.0.2.44", "203.0.113.9, 10.0.0.7"], proxies: Self.proxies) == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["2001:db8::5, fd00::1"], proxies: Self.proxies) == "2001:db8::5")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["203.0.113.9:51234"], proxies: Self.proxies) == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["[2001:db8::5]:443"], proxies: Self.proxies) == "2001:db8::5")
    }

    @Test func forwardedForIsIgnoredUnlessThePeerIsATrustedProxy() {
        #expect(ClientAddress.resolve(peer: "198.51.100.7", forwardedFor: ["203.0.113.9"], proxies: Self.proxies) == "198.51.100.7")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["203.0.113.9"], proxies: nil) == "127.0.0.1")
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: ["203.0.113.9"], proxies: Self.proxies) == "unknown")
    }

    @Test func garbageEndsTheWalkAtTheLastProxyThatHandedItOn() {
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["not-an-address"], proxies: Self.proxies) == "127.0.0.1")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["203.0.113.9, <script>, 10.0.0.2"], proxies: Self.proxies) == "10.0.0.2")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: [], proxies: Self.proxies) == "127.0.0.1")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["10.0.0.9"], proxies: Self.proxies) == "10.0.0.9", "all proxies: the farthest")
    }

    @Test func rangesMatchByPrefixAndMappedIPv4CountsAsIPv4() throws {
        let proxies = try #require(TrustedProxies(parsing: "192.0.2.0/25, 2001:db8:1::/48"))
        #expect(proxies.contains("192.0.2.127"))
        #expect(!proxies.contains("192.0.2.128"))
        #expect(proxies.contains("::ffff:192.0.2.5"))
        #expect(proxies.contains("2001:db8:1:ffff::1"))
        #expect(!proxies.contains("2001:db8:2::1"))
        #expect(!proxies.contains("unknown"))
        for bad in ["", "10.0.0.0/33", "example.org", "10.0.0.1/", "::1/129"] {
            #expect(TrustedProxies(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func aBadTrustedProxiesSettingStopsStartUp() throws {
        #expect(throws: ConfigurationError.self) { try TestDatabase.configuration(["TRUSTED_PROXIES": "10.0.0.0/40"]) }
        let configuration = try TestDatabase.configuration(["TRUST_PROXY": "true", "TRUSTED_PROXIES": "10.0.0.0/8"])
        #expect(configuration.believedProxies?.contains("10.9.9.9") == true)
        #expect(try TestDatabase.configuration().believedProxies == nil, "TRUST_PROXY is off by default")
    }

    /// Through the real server (its peer, 127.0.0.1, is the trusted proxy): an attacker who writes a
    /// new leftmost address on every request is still one address to the invalid-token limiter.
    @Test func aClientCannotDodgeTheLimitsByWritingForwardedFor() async throws {
        try await withLiveAccounts { accounts, _ in
            let attacker = "203.0.113.\(Int.random(in: 1...250))"
            for attempt in 0..<20 {
                var headers: HTTPFields = [.authorization: "Bearer forged.token.value"]
                headers[.init("X-Forwarded-For")!] = "198.51.100.\(attempt), \(attacker)"
                #expect(try await accounts.client.execute(uri: "/api/users/rls", method: .get, headers: headers).status == .unauthorized)
            }
            var headers: HTTPFields = [.authorization: "Bearer forged.token.value"]
            headers[.init("X-Forwarded-For")!] = "198.51.100.99, \(attacker)"
            #expect(try await accounts.client.execute(uri: "/api/users/rls", method: .get, headers: headers).status == .tooManyRequests)
            // Nor aim them: the address the attacker wrote on the left is not the one refused.
            let member = try await accounts.signUp()
            var victim: HTTPFields = [.authorization: "Bearer \(member.access)"]
            victim[.init("X-Forwarded-For")!] = "198.51.100.99"
            #expect(try await accounts.client.execute(uri: "/api/users/rls", method: .get, headers: victim).status == .ok)
        }
    }
}
