import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The seed's verification checklist for a rollout phase, run against a live deployment over HTTP
/// (`inyeon rollout verify --phase N --url URL`): the legacy endpoints and their shapes, health and
/// row-level security, `aiInsights`, 401 for an invalid token and only the caller's view for a valid
/// one, the phase's flags, and its KPI thresholds. Every check is one row, passed or failed with why.
public struct RolloutVerification: Sendable {
    /// The phases of the brief's table, with their flags and the KPI ceilings each must stay under.
    public struct Phase: Sendable {
        public var number: Int
        /// Which flags are on (`true`) and which off (`false`) in this phase.
        public var flags: [String: Bool]
        public var maximumP95Milliseconds: Double
        public var maximumMemoryMegabytes: Double
        public var maximumErrorRate: Double
        public var minimumCacheHitRate: Double

        public static func numbered(_ number: Int) -> Phase? {
            switch number {
            case 1:
                Phase(number: 1, flags: ["enhancedAuth": false, "aiInsights": false, "realTimeChat": false],
                      maximumP95Milliseconds: 500, maximumMemoryMegabytes: 200, maximumErrorRate: 0.01, minimumCacheHitRate: 0.5)
            case 2:
                Phase(number: 2, flags: ["enhancedAuth": false, "aiInsights": true, "realTimeChat": false],
                      maximumP95Milliseconds: 800, maximumMemoryMegabytes: 400, maximumErrorRate: 0.01, minimumCacheHitRate: 0.5)
            case 3:
                Phase(number: 3, flags: ["enhancedAuth": true, "aiInsights": true, "realTimeChat": true],
                      maximumP95Milliseconds: 1000, maximumMemoryMegabytes: 512, maximumErrorRate: 0.01, minimumCacheHitRate: 0.5)
            default:
                nil
            }
        }
    }

    public struct Check: Sendable, Equatable {
        public var name: String
        public var passed: Bool
        public var detail: String
    }

    public var phase: Phase
    /// The deployment's base URL, e.g. http://10.77.0.20 or http://127.0.0.1:3000.
    public var baseURL: String
    /// A token with `ops:read` (`inyeon token issue --scope ops:read`), for the health and RLS checks.
    public var operatorToken: String?
    /// A person's e-mail and password, to sign in and see the filtered view.
    public var person: (email: String, password: String)?

    public init(phase: Phase, baseURL: String, operatorToken: String?, person: (email: String, password: String)?) {
        self.phase = phase
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.operatorToken = operatorToken
        self.person = person
    }

    /// Runs every check in order; none stops the others.
    public func run() async -> [Check] {
        var checks: [Check] = []
        func record(_ name: String, _ work: () async throws -> String) async {
            do {
                checks.append(Check(name: name, passed: true, detail: try await work()))
            } catch let failure as Failure {
                checks.append(Check(name: name, passed: false, detail: failure.reason))
            } catch {
                checks.append(Check(name: name, passed: false, detail: "\(error)"))
            }
        }
        // With enhanced auth on (phase 3) an anonymous caller sees no one, so the matching checks are
        // made as the verification person, who needs a profile; before, anonymously, as the seed did.
        var personToken: String?
        var signInProblem = "not checked: give a person's --email and --password (INYEON_VERIFY_EMAIL, INYEON_VERIFY_PASSWORD)"
        if let person {
            do {
                let (status, signedIn) = try await send(.POST, "/api/auth/login", body: ["email": person.email, "password": person.password])
                personToken = Self.value(signedIn, "data", "accessToken") as? String
                if personToken == nil { signInProblem = "signing in as \(person.email) answered \(status) \(Self.text(signedIn["code"]))" }
            } catch let failure as Failure {
                signInProblem = failure.reason
            } catch {
                signInProblem = "\(error)"
            }
        }
        let matchingToken: String? = phase.flags["enhancedAuth"] == true ? personToken : nil
        let matchingProblem: String? = phase.flags["enhancedAuth"] == true && personToken == nil
            ? "with enhanced auth on, checked as a person with a profile: " + signInProblem : nil
        await record("GET /ping") {
            let (status, _) = try await get("/ping", json: false)
            try expect(status == 200, "answered \(status)")
            return "200"
        }
        await record("GET /api/health") {
            let (status, body) = try await get("/api/health")
            try expect(status == 200, "answered \(status)")
            try expect(body["success"] as? Bool == true, "success is not true")
            return "200, status \(Self.text(Self.value(body, "data", "status")))"
        }
        await record("GET /api/users (legacy shape, nothing private)") {
            let (status, body) = try await get("/api/users?limit=20")
            try expect(status == 200, "answered \(status)")
            let users = try require(Self.value(body, "data", "users") as? [[String: Any]], "data.users is not a list")
            try expect(Self.value(body, "data", "totalCount") is NSNumber, "data.totalCount is missing")
            try expect(Self.value(body, "data", "currentCount") as? Int == users.count, "data.currentCount is not the list's length")
            try noPrivateFacts(users)
            return "\(users.count) cards, totalCount \(Self.text(Self.value(body, "data", "totalCount")))"
        }
        await record("GET /api/matching/test (legacy shape)") {
            if let matchingProblem { throw Failure(matchingProblem) }
            let (status, body) = try await get("/api/matching/test", token: matchingToken)
            try expect(status == 200, "answered \(status)")
            let compatibility = try require(Self.value(body, "data", "results", "advancedCompatibility") as? [String: Any], "no advancedCompatibility")
            try expect(compatibility["totalScore"] is NSNumber, "no totalScore")
            let breakdown = try require(compatibility["breakdown"] as? [String: Any], "no breakdown")
            let parts = ["valuesAlignment", "lifestyleMatch", "maritalStatusCompatibility", "childrenCompatibility",
                         "occupationCompatibility", "ageCompatibility", "locationCompatibility"]
            let missing = parts.filter { breakdown[$0] == nil }
            try expect(missing.isEmpty, "breakdown lacks \(missing.joined(separator: ", "))")
            let matches = try require(Self.value(body, "data", "results", "potentialMatches") as? [[String: Any]], "no potentialMatches")
            for match in matches {
                // `age` (a bracket) is left out for a person who hides it.
                let absent = ["userId", "name", "compatibilityScore", "serendipityScore", "matchReason"].filter { match[$0] == nil }
                try expect(absent.isEmpty, "a potential match lacks \(absent.joined(separator: ", "))")
            }
            return "totalScore \(Self.text(compatibility["totalScore"])), \(matches.count) potential matches"
        }
        await record("GET /api/matching/intelligent-compatibility/<unknown> is 404 USER_NOT_FOUND") {
            let (status, body) = try await get("/api/matching/intelligent-compatibility/\(UUID().uuidString.lowercased())")
            try expect(status == 404 && body["code"] as? String == "USER_NOT_FOUND", "answered \(status) \(Self.text(body["code"]))")
            return "404 USER_NOT_FOUND"
        }
        await record("GET /api/<unknown> is 404 JSON listing the endpoints") {
            let (status, body) = try await get("/api/rollout-verify-no-such-path")
            let listed = (body["availableEndpoints"] as? [Any])?.count ?? 0
            try expect(status == 404 && listed > 0, "answered \(status) with \(listed) endpoints listed")
            return "404, \(listed) endpoints listed"
        }
        await record("GET /api/users/rls with an invalid token is 401") {
            let (status, _) = try await get("/api/users/rls", token: "rollout-verify.invalid.token")
            try expect(status == 401, "answered \(status)")
            return "401"
        }
        await record("GET /api/users/rls signed in shows only the caller's view") {
            guard let personToken else { throw Failure(signInProblem) }
            let (listed, body) = try await get("/api/users/rls", token: personToken)
            try expect(listed == 200, "answered \(listed)")
            try expect(Self.value(body, "data", "viewer", "role") as? String == "user", "the view is not a person's (viewer.role)")
            try expect(Self.value(body, "data", "enforcedBy") as? String == "postgresql-row-level-security", "not enforced by PostgreSQL's RLS")
            let users = try require(Self.value(body, "data", "users") as? [[String: Any]], "data.users is not a list")
            try noPrivateFacts(users)
            return "200 as \(Self.text(Self.value(body, "data", "viewer", "userId"))), \(users.count) cards, no e-mail, phone or exact place"
        }
        await record("GET /api/matching/enhanced-test has aiInsights") {
            if let matchingProblem { throw Failure(matchingProblem) }
            let (status, body) = try await get("/api/matching/enhanced-test", token: matchingToken)
            try expect(status == 200, "answered \(status)")
            let data = try require(body["data"] as? [String: Any], "no data")
            try expect(data.keys.contains("aiInsights"), "no aiInsights key")
            let insights = data["aiInsights"] as? [String: Any]
            if phase.flags["aiInsights"] == true {
                let shaped = insights?["recommendation"] != nil && insights?["conversationStarters"] is [Any]
                    && insights?["relationshipPrediction"] is [String: Any]
                try expect(shaped, "aiInsights is \(insights == nil ? "null" : "missing recommendation, conversationStarters or relationshipPrediction") with the AI flag on")
                return "present, with recommendation, conversation starters and a prediction"
            }
            try expect(insights == nil, "aiInsights is not null with the AI flag off")
            return "present, null (the AI flag is off in phase 1)"
        }
        let enhanced: [String: Any]? = await {
            guard let operatorToken, let (status, body) = try? await get("/api/health/enhanced", token: operatorToken), status == 200 else { return nil }
            return body
        }()
        await record("GET /api/health/enhanced") {
            guard operatorToken != nil else { throw Failure("not checked: give an ops:read token (--operator-token or INYEON_OPERATOR_TOKEN)") }
            guard let enhanced else { throw Failure("did not answer 200 with the operator token") }
            return "200, database \(Self.text(Self.value(enhanced, "data", "database", "status")))"
        }
        await record("phase \(phase.number) flags") {
            guard let settings = Self.value(enhanced ?? [:], "data", "featureFlags") as? [String: Any] else {
                throw Failure("not checked: needs /api/health/enhanced (an ops:read token)")
            }
            var seen: [String] = []
            for (flag, wanted) in phase.flags.sorted(by: { $0.key < $1.key }) {
                let setting = settings[flag] as? String ?? "?"
                let on = setting == "true" || (setting.hasSuffix("%") && setting != "0%")
                try expect(on == wanted, "\(flag) is \(setting); phase \(phase.number) wants it \(wanted ? "on" : "off")")
                seen.append("\(flag) \(setting)")
            }
            return seen.joined(separator: ", ")
        }
        await record("GET /api/rls/status: enforced on every table") {
            guard let operatorToken else { throw Failure("not checked: give an ops:read token (--operator-token or INYEON_OPERATOR_TOKEN)") }
            let (status, body) = try await get("/api/rls/status", token: operatorToken)
            try expect(status == 200, "answered \(status)")
            try expect(Self.value(body, "data", "enforced") as? Bool == true, "enforced is not true")
            try expect(Self.value(body, "data", "superuser") as? Bool == false && Self.value(body, "data", "bypassrls") as? Bool == false,
                       "the service's role is a superuser or bypasses RLS")
            let tables = try require(Self.value(body, "data", "tables") as? [[String: Any]], "no tables")
            let open = tables.filter { $0["rlsEnabled"] as? Bool != true || $0["rlsForced"] as? Bool != true }.compactMap { $0["table"] as? String }
            try expect(open.isEmpty, "not enforced on \(open.joined(separator: ", "))")
            return "\(tables.count) tables, enabled and forced, role \(Self.text(Self.value(body, "data", "connectedRole")))"
        }
        for (name, unit, limit, below) in [
            ("responseTimeP95", "ms", phase.maximumP95Milliseconds, true), ("memory", "MiB", phase.maximumMemoryMegabytes, true),
            ("errorRate", "", phase.maximumErrorRate, true), ("cacheHitRate", "", phase.minimumCacheHitRate, false),
        ] {
            await record("KPI \(name) \(below ? "<" : "≥") \(Self.number(limit))\(unit.isEmpty ? "" : " " + unit) (phase \(phase.number))") {
                guard let kpis = Self.value(enhanced ?? [:], "data", "kpis") as? [[String: Any]] else {
                    throw Failure("not checked: needs /api/health/enhanced (an ops:read token)")
                }
                let kpi = try require(kpis.first { $0["name"] as? String == name }, "no KPI named \(name)")
                guard let value = (kpi["value"] as? NSNumber)?.doubleValue else {
                    // No sample yet (no cache lookups since the start, say): nothing to hold against the limit.
                    return "no measurement yet (\(Self.text(kpi["detail"])))"
                }
                try expect(below ? value < limit : value >= limit, "\(Self.number(value)) \(unit) (\(Self.text(kpi["detail"])))")
                return "\(Self.number(value))\(unit.isEmpty ? "" : " " + unit) (\(Self.text(kpi["detail"])))"
            }
        }
        return checks
    }

    /// The checks as a table; the last line says whether all passed.
    public static func table(_ checks: [Check]) -> String {
        let width = min(72, checks.map(\.name.count).max() ?? 0)
        var lines = checks.map { check in
            (check.passed ? "PASS  " : "FAIL  ") + check.name.padding(toLength: max(width, check.name.count), withPad: " ", startingAt: 0) + "  " + check.detail
        }
        let failed = checks.filter { !$0.passed }.count
        lines.append(failed == 0 ? "all \(checks.count) checks passed" : "\(failed) of \(checks.count) checks failed")
        return lines.joined(separator: "\n")
    }

    // MARK: - HTTP

    struct Failure: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private func expect(_ condition: Bool, _ reason: @autoclosure () -> String) throws {
        if !condition { throw Failure(reason()) }
    }

    private func require<T>(_ value: T?, _ reason: String) throws -> T {
        guard let value else { throw Failure(reason) }
        return value
    }

    /// No card may carry another person's e-mail, phone number or exact location.
    private func noPrivateFacts(_ cards: [[String: Any]]) throws {
        let forbidden = ["email", "phone", "phoneNumber", "latitude", "longitude", "birthYear", "incomeBand"]
        for card in cards {
            let found = forbidden.filter { card[$0] != nil }
            try expect(found.isEmpty, "a card shows \(found.joined(separator: ", "))")
        }
    }

    private func get(_ path: String, token: String? = nil, json: Bool = true) async throws -> (Int, [String: Any]) {
        try await send(.GET, path, token: token, json: json)
    }

    private func send(
        _ method: HTTPMethod, _ path: String, token: String? = nil, body: [String: String]? = nil, json: Bool = true
    ) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
        } catch {
            throw Failure("no answer from \(baseURL + path): \(error)")
        }
        let bytes = try await response.body.collect(upTo: 8 << 20)
        guard json else { return (Int(response.status.code), [:]) }
        let decoded = try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))
        guard let object = decoded as? [String: Any] else {
            throw Failure("answered \(response.status.code) with a body that is not a JSON object")
        }
        return (Int(response.status.code), object)
    }

    static func value(_ object: [String: Any], _ path: String...) -> Any? {
        var current: Any? = object
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }

    static func text(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: "null"
        case let string as String: string
        case let number as NSNumber: number.stringValue
        default: "\(value!)"
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.3g", value)
    }
}
