import Foundation
import Hummingbird
import InyeonCore
import Logging
import PostgresNIO

/// The values assessment: the questions, taking it (re-taking replaces the result), and one's result.
struct AssessmentController: Sendable {
    let database: Database

    struct Questions: Encodable, Sendable {
        var questions: [Question]
        var count: Int

        struct Question: Encodable, Sendable {
            var id: String
            var text: String
            var textEnglish: String
            var options: [Option]
        }

        struct Option: Encodable, Sendable {
            var id: String
            var text: String
            var textEnglish: String
        }
    }

    struct Submission: Decodable, Sendable {
        var answers: [String: String]
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/assessment/questions", use: questions)
        routes.post("/api/assessment", use: submit)
        routes.get("/api/assessment", use: result)
    }

    @Sendable func questions(request: Request, context: AppRequestContext) async throws -> APIResponse<Questions> {
        let english = request.uri.queryParameters.get("lang") == "en"
        let questions = AssessmentCatalog.questions.map { question in
            Questions.Question(
                id: question.id, text: english ? question.english : question.korean, textEnglish: question.english,
                options: question.options.map { .init(id: $0.id, text: english ? $0.english : $0.korean, textEnglish: $0.english) }
            )
        }
        return APIResponse(Questions(questions: questions, count: questions.count), message: "가치관 검사 문항입니다.")
    }

    @Sendable func submit(request: Request, context: AppRequestContext) async throws -> APIResponse<AssessmentScorer.Result> {
        let (userID, _) = try context.requireSignedIn()
        let submission = try await request.decode(as: Submission.self, context: context)
        let result = try await store(submission.answers, for: userID, requestID: context.id, logger: context.logger)
        return APIResponse(result, message: "가치관 검사 결과가 저장되었습니다.")
    }

    /// Scores a complete set of answers and stores the result (re-taking replaces it); used by the API and the pages.
    func store(_ answers: [String: String], for userID: UUID, requestID: String?, logger: Logger) async throws -> AssessmentScorer.Result {
        let result: AssessmentScorer.Result
        do {
            result = try AssessmentScorer.score(answers)
        } catch .unanswered(let missing) {
            throw APIError.badRequest("ASSESSMENT_INCOMPLETE", "모든 문항에 답해 주세요. 남은 문항: \(missing.count)개 (\(missing.joined(separator: ", ")))")
        } catch .unknownQuestion(let question) {
            throw APIError.badRequest("UNKNOWN_QUESTION", "알 수 없는 문항입니다: \(question)")
        } catch .unknownOption(let question, let option) {
            throw APIError.badRequest("UNKNOWN_OPTION", "'\(question)' 문항에 '\(option)' 보기는 없습니다.")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let answers = String(decoding: try encoder.encode(answers), as: UTF8.self)
        let personality = String(decoding: try encoder.encode(result.personality), as: UTF8.self)
        let values = String(decoding: try encoder.encode(result.values), as: UTF8.self)
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO values_assessments (user_id, answers, personality_scores, value_scores, reliability, completed_at)
                VALUES (\(userID), \(answers)::jsonb, \(personality)::jsonb, \(values)::jsonb, \(Float(result.reliability)), now())
                ON CONFLICT (user_id) DO UPDATE SET answers = EXCLUDED.answers, personality_scores = EXCLUDED.personality_scores,
                    value_scores = EXCLUDED.value_scores, reliability = EXCLUDED.reliability, completed_at = now()
                """,
                logger: logger
            )
            try await connection.query(
                "UPDATE profiles SET communication_style = \(result.communicationStyle.rawValue), updated_at = now() WHERE user_id = \(userID)",
                logger: logger
            )
            try await AuditLog.record(
                AuditEntry(action: "assessment.completed", actorID: userID, actorRole: .user, targetType: "account",
                           targetID: userID.uuidString.lowercased(), details: ["reliability": "\(result.reliability)"]),
                requestID: requestID, on: connection, logger: logger
            )
            // Values feed every compatibility card of this person.
            try await CacheInvalidation.publish(.profiles, keyPrefix: userID.uuidString.lowercased() + "/", on: connection, logger: logger)
        }
        return result
    }

    @Sendable func result(request: Request, context: AppRequestContext) async throws -> Response {
        let (userID, _) = try context.requireSignedIn()
        let logger = context.logger
        let json = try await database.transaction(as: .user(userID), logger: logger) { connection -> String? in
            for try await json in try await connection.query(
                """
                SELECT json_build_object('personality', personality_scores, 'values', value_scores, 'reliability', reliability,
                                         'answers', answers, 'completedAt', completed_at)::text
                FROM values_assessments WHERE user_id = \(userID)
                """,
                logger: logger
            ).decode(String.self) {
                return json
            }
            return nil
        }
        guard let json else {
            throw APIError(.notFound, code: "ASSESSMENT_NOT_FOUND", message: "아직 가치관 검사를 하지 않으셨습니다.")
        }
        return try envelopedJSON(json, message: "가치관 검사 결과입니다.")
    }
}
