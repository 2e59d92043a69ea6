import Foundation
import Hummingbird
import InyeonCore
import Logging
import PostgresNIO

/// Feedback from people (a 1-5 rating and a few words about matching, the service or a meeting),
/// stored with the rollout phase and the flags in force for them, so each step of the rollout can be
/// judged; admins read it at `GET /api/admin/feedback` with averages per phase and topic.
struct FeedbackPages: Sendable {
    let renderer: PageRenderer
    let database: Database
    let flags: FlagStore
    /// Feedback per person (counted in PostgreSQL): each is a row an admin reads.
    var limits = AbuseLimits()

    static let topics = ["matching", "service", "meeting"]

    func addRoutes(to router: Router<AppRequestContext>, api routes: RouteTable<AppRequestContext>) {
        router.get("/feedback", use: form)
        router.post("/feedback", use: submit)
        routes.get("/api/admin/feedback", use: list)
    }

    private func page(request: Request, context: AppRequestContext, values: [String: Any] = [:], status: HTTPResponse.Status = .ok) -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        var values = values
        values["topics"] = Self.topics.map { ["value": $0, "label": text["feedback_topic_\($0)"], "checked": $0 == (values["topic"] as? String ?? "service")] }
        values["ratings"] = (1...5).map { ["value": $0, "label": text["rating_\($0)"]] }
        return renderer.render("feedback", title: text["feedback_title"], values: values, status: status, request: request, context: context)
    }

    @Sendable func form(request: Request, context: AppRequestContext) async throws -> Response {
        guard context.caller != nil else { return PageRenderer.redirect(to: "/login?next=/feedback") }
        return page(request: request, context: context, values: ["thanks": request.uri.queryParameters.get("thanks") != nil])
    }

    /// The rollout phase a person is in, read from the flags in force for them.
    static func phase(_ flags: [FeatureFlag: Bool]) -> Int {
        if flags[.enhancedAuth] == true && flags[.realTimeChat] == true { return 3 }
        if flags[.aiInsights] == true { return 2 }
        return 1
    }

    @Sendable func submit(request: Request, context: AppRequestContext) async throws -> Response {
        let data = try await FormData(request)
        try context.requireFormToken(data[WebSession.csrfField])
        let text = WebText(korean: context.web.preferences.korean)
        let topic = data["topic"] ?? ""
        let comment = (data["comment"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let userID = context.caller?.userID else {
            return page(request: request, context: context, values: ["topic": topic, "comment": comment, "notice": text["login_again"]], status: .unauthorized)
        }
        guard let rating = data["rating"].flatMap(Int.init), (1...5).contains(rating), Self.topics.contains(topic), comment.storedLength <= 2000 else {
            return page(request: request, context: context, values: ["topic": topic, "comment": comment, "ratingError": text["rating_missing"]],
                        status: .badRequest)
        }
        var inForce: [FeatureFlag: Bool] = [:]
        for flag in FeatureFlag.allCases { inForce[flag] = flags.evaluate(flag, for: context.identity).enabled }
        let flagsJSON = ChatJSON.string(Dictionary(uniqueKeysWithValues: inForce.map { ($0.key.apiName, $0.value) }))
        let phase = Self.phase(inForce)
        try await SharedRateLimit(database: database).take(
            [.init(bucket: "feedback", subject: userID.uuidString.lowercased(), limit: limits.feedbackPerPersonPerHour, windowSeconds: 3600)],
            logger: context.logger
        )
        try await database.transaction(as: context.identity, logger: context.logger) { connection in
            try await connection.query(
                """
                INSERT INTO feedback (user_id, topic, rating, comment, phase, flags)
                VALUES (\(userID), \(topic), \(rating), \(comment), \(phase), \(flagsJSON)::jsonb)
                """,
                logger: context.logger
            )
        }
        return PageRenderer.redirect(to: "/feedback?thanks=1")
    }

    struct Summary: Encodable, Sendable {
        var phase: Int
        var topic: String
        var count: Int
        var averageRating: Double
    }

    struct Entry: Encodable, Sendable {
        var topic: String
        var rating: Int
        var comment: String
        var phase: Int
        var flags: [String: Bool]
        var createdAt: Date
    }

    struct Report: Encodable, Sendable {
        var summary: [Summary]
        var recent: [Entry]
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> APIResponse<Report> {
        let admin = try context.require(.feedbackRead)
        let report = try await report(recent: 100, as: admin, logger: context.logger)
        return APIResponse(report, message: "의견 \(report.summary.reduce(0) { $0 + $1.count })건")
    }

    /// The average rating per rollout phase and topic, and the newest `recent` entries (admins only: RLS).
    func report(recent: Int, as admin: RequestIdentity, logger: Logger) async throws -> Report {
        try await database.transaction(as: admin, logger: logger) { connection in
            var summary: [Summary] = []
            for try await (phase, topic, count, average) in try await connection.query(
                "SELECT phase, topic, count(*)::int, avg(rating)::float8 FROM feedback GROUP BY phase, topic ORDER BY phase, topic",
                logger: logger
            ).decode((Int, String, Int, Double).self) {
                summary.append(Summary(phase: phase, topic: topic, count: count, averageRating: (average * 100).rounded() / 100))
            }
            var entries: [Entry] = []
            for try await (topic, rating, comment, phase, flags, createdAt) in try await connection.query(
                "SELECT topic, rating, comment, phase, flags::text, created_at FROM feedback ORDER BY created_at DESC LIMIT \(recent)",
                logger: logger
            ).decode((String, Int, String, Int, String, Date).self) {
                let decoded = (try? JSONDecoder().decode([String: Bool].self, from: Data(flags.utf8))) ?? [:]
                entries.append(Entry(topic: topic, rating: rating, comment: comment, phase: phase, flags: decoded, createdAt: createdAt))
            }
            return Report(summary: summary, recent: entries)
        }
    }
}
