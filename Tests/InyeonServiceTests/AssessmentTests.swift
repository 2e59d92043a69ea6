import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
import Testing

@Suite struct AssessmentTests {
    @Test func takingAndRetakingTheAssessment() async throws {
        try await withAccounts { accounts in
            let questions = try JSONBody(try await accounts.get("/api/assessment/questions", token: nil))
            #expect(questions["data.count"] as? Int == 20)
            let english = try JSONBody(try await accounts.get("/api/assessment/questions?lang=en", token: nil))
            #expect(english["data.questions.0.text"] as? String == AssessmentCatalog.questions[0].english)

            let me = try await accounts.signUp()
            #expect(try await accounts.get("/api/assessment", token: me.access).status == .notFound)
            var answers = Dictionary(uniqueKeysWithValues: AssessmentCatalog.questions.map { ($0.id, "a") })
            let first = try await accounts.post("/api/assessment", ["answers": answers], token: me.access)
            #expect(first.status == .ok)
            let firstFamily = try JSONBody(first)["data.values.family"] as? Double
            answers = Dictionary(uniqueKeysWithValues: AssessmentCatalog.questions.map { ($0.id, "c") })
            let second = try await accounts.post("/api/assessment", ["answers": answers], token: me.access)
            #expect(second.status == .ok)
            let stored = try JSONBody(try await accounts.get("/api/assessment", token: me.access))
            #expect(stored["data.answers.life_values"] as? String == "c", "re-taking replaces the result")
            #expect(stored["data.values.family"] as? Double != firstFamily)
            #expect(stored["data.reliability"] is Double)

            answers["money"] = nil
            let incomplete = try await accounts.post("/api/assessment", ["answers": answers], token: me.access)
            #expect(incomplete.status == .badRequest)
            #expect(try JSONBody(incomplete)["code"] as? String == "ASSESSMENT_INCOMPLETE")
            answers["money"] = "q"
            #expect(try JSONBody(try await accounts.post("/api/assessment", ["answers": answers], token: me.access))["code"] as? String == "UNKNOWN_OPTION")
            #expect(try await accounts.post("/api/assessment", ["answers": answers]).status == .unauthorized)
        }
    }
}
