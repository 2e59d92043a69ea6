import Foundation
import Hummingbird
import InyeonCore
import Logging
import PostgresNIO

/// The values assessment, one question per screen with four large answer buttons, back and
/// forward. Every answer is saved at once (`assessment_drafts`), so leaving and coming back, even on
/// another device, continues where one stopped; the twentieth answer scores and stores the result.
struct AssessmentPages: Sendable {
    let renderer: PageRenderer
    let database: Database
    let assessment: AssessmentController

    static var questions: [AssessmentQuestion] { AssessmentCatalog.questions }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/assessment", use: resume)
        router.get("/assessment/done", use: done)
        router.get("/assessment/:number", use: question)
        router.post("/assessment/:number", use: answer)
    }

    private func draft(of userID: UUID, logger: Logger) async throws -> [String: String] {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            for try await json in try await connection.query(
                "SELECT answers::text FROM assessment_drafts WHERE user_id = \(userID)", logger: logger
            ).decode(String.self) {
                return (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
            }
            return [:]
        }
    }

    /// The first question not answered yet (1-based), or nil when all are.
    static func firstUnanswered(_ answers: [String: String], after number: Int = 0) -> Int? {
        let order = Array(questions.enumerated())
        return (order[number...] + order[..<number]).first { answers[$0.element.id] == nil }.map { $0.offset + 1 }
    }

    @Sendable func resume(request: Request, context: AppRequestContext) async throws -> Response {
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/assessment") }
        let answers = try await draft(of: userID, logger: context.logger)
        return PageRenderer.redirect(to: "/assessment/\(Self.firstUnanswered(answers) ?? 1)")
    }

    @Sendable func question(request: Request, context: AppRequestContext) async throws -> Response {
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/assessment") }
        guard let number = context.parameters.get("number").flatMap(Int.init), (1...Self.questions.count).contains(number) else {
            return PageRenderer.redirect(to: "/assessment")
        }
        let answers = try await draft(of: userID, logger: context.logger)
        let text = WebText(korean: context.web.preferences.korean)
        let question = Self.questions[number - 1]
        let chosen = answers[question.id]
        let options: [[String: Any]] = question.options.enumerated().map { index, option in
            ["id": option.id, "index": index + 1, "text": text.korean ? option.korean : option.english, "selected": option.id == chosen]
        }
        var values: [String: Any] = [
            "number": number, "count": Self.questions.count,
            "progressText": text["question_of"].replacingOccurrences(of: "%d", with: String(number)),
            "question": text.korean ? question.korean : question.english, "options": options,
            "answered": answers.count,
        ]
        if number > 1 { values["previous"] = number - 1 }
        if number < Self.questions.count, chosen != nil { values["following"] = number + 1 }
        return renderer.render("assessment-question", title: text["assessment_title"], values: values, request: request, context: context)
    }

    @Sendable func answer(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?expired=1&next=/assessment") }
        guard let number = context.parameters.get("number").flatMap(Int.init), (1...Self.questions.count).contains(number) else {
            return PageRenderer.redirect(to: "/assessment")
        }
        let question = Self.questions[number - 1]
        guard let option = form["option"], question.options.contains(where: { $0.id == option }) else {
            return PageRenderer.redirect(to: "/assessment/\(number)")
        }
        let logger = context.logger
        let answers = try await database.transaction(as: .user(userID), logger: logger) { connection -> [String: String] in
            var answers: [String: String] = [:]
            for try await json in try await connection.query(
                """
                INSERT INTO assessment_drafts AS d (user_id, answers) VALUES (\(userID), jsonb_build_object(\(question.id), \(option)))
                ON CONFLICT (user_id) DO UPDATE SET answers = d.answers || excluded.answers, updated_at = now()
                RETURNING answers::text
                """,
                logger: logger
            ).decode(String.self) {
                answers = (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
            }
            return answers
        }
        if let next = Self.firstUnanswered(answers, after: number) {
            return PageRenderer.redirect(to: "/assessment/\(next)")
        }
        _ = try await assessment.store(answers, for: userID, requestID: context.id, logger: logger)
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.query("DELETE FROM assessment_drafts WHERE user_id = \(userID)", logger: logger)
        }
        return PageRenderer.redirect(to: "/assessment/done")
    }

    @Sendable func done(request: Request, context: AppRequestContext) async throws -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        return renderer.render(
            "message", title: text["assessment_title"],
            values: ["heading": text["assessment_done"], "text": text["assessment_done_text"], "linkHref": "/profile", "linkLabel": text["profile_title"],
                     "linkId": "to-profile"],
            request: request, context: context
        )
    }
}
