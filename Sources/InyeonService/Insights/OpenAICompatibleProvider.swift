import AsyncHTTPClient
import Foundation
import InyeonCore
import NIOCore
import NIOHTTP1

/// Chat completions on any OpenAI-compatible server (hosted or local), with structured output
/// checked against `InsightText.jsonSchema` on arrival. It sends the anonymous `InsightFacts` only.
struct OpenAICompatibleProvider: InsightProvider {
    let name = "openai-compatible"
    let client: HTTPClient
    let baseURL: String
    let apiKey: String
    let model: String
    /// One attempt may take at most this long (the caller's deadline bounds the whole).
    let attemptTimeout: Duration

    struct ChatRequest: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }

        struct ResponseFormat: Encodable {
            struct Schema: Encodable {
                var name = "relationship_insight"
                var strict = true
                var schema: JSONFragment
            }

            var type = "json_schema"
            var json_schema: Schema
        }

        var model: String
        var messages: [Message]
        var response_format: ResponseFormat
        var temperature = 0.6
        var max_tokens = 700
    }

    struct ChatResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
            }

            var message: Message
        }

        struct Usage: Decodable {
            var total_tokens: Int?
        }

        var choices: [Choice]
        var usage: Usage?
    }

    static func instructions(_ language: InsightLanguage) -> String {
        switch language {
        case .ko:
            """
            당신은 40~60대 한국인을 위한 만남 서비스의 상담가입니다. 두 사람에 대한 익명의 사실(JSON)만 보고, \
            따뜻하고 정중한 존댓말로 답하세요. recommendation은 두세 문장으로 두 사람이 잘 어울릴 이유와 유의할 점을 말합니다. \
            conversationStarters는 3~5개이며, 각각 두 사람이 함께 가진 것(sharedValues, 자녀, 여행, 운동) \
            중 하나를 그 단어 그대로 언급해야 합니다. 일반적인 질문은 쓰지 마세요. 주어진 사실에 없는 내용은 지어내지 마세요. \
            확률이나 점수는 말하지 마세요.
            """
        case .en:
            """
            You advise people in their 40s-60s on a Korean matching service. Using only the anonymous facts (JSON) \
            about two people, answer warmly and respectfully in English. recommendation: two or three sentences on why \
            they may suit each other and what to be mindful of. conversationStarters: 3-5, each naming, word for word, \
            something both share (sharedValues, children, travel, exercise); never generic. \
            Invent nothing beyond the facts. Do not state probabilities or scores.
            """
        }
    }

    func requestBody(_ facts: InsightFacts, language: InsightLanguage) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let factsJSON = String(decoding: try encoder.encode(PromptFacts(facts, language: language)), as: UTF8.self)
        let request = ChatRequest(
            model: model,
            messages: [.init(role: "system", content: Self.instructions(language)), .init(role: "user", content: factsJSON)],
            response_format: .init(json_schema: .init(schema: JSONFragment(InsightText.jsonSchema)))
        )
        return try encoder.encode(request)
    }

    func write(_ facts: InsightFacts, language: InsightLanguage) async throws -> WrittenInsight {
        var request = HTTPClientRequest(url: baseURL.trimmingSuffix("/") + "/chat/completions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try requestBody(facts, language: language)))
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(request, timeout: .nanoseconds(Int64(attemptTimeout.components.seconds) * 1_000_000_000
                + Int64(attemptTimeout.components.attoseconds / 1_000_000_000)))
            body = try await response.body.collect(upTo: 1 << 20)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw InsightProviderError.timedOut
        }
        switch response.status.code {
        case 200..<300: break
        case 429, 500..<600: throw InsightProviderError.retryable(status: Int(response.status.code))
        default: throw InsightProviderError.rejected(status: Int(response.status.code))
        }
        let chat: ChatResponse
        do {
            chat = try JSONDecoder().decode(ChatResponse.self, from: Data(body.readableBytesView))
        } catch {
            throw InsightProviderError.malformed("the response is not a chat completion")
        }
        guard let content = chat.choices.first?.message.content else { throw InsightProviderError.malformed("no content") }
        let text: InsightText
        do {
            text = try JSONDecoder().decode(InsightText.self, from: Data(content.utf8)).validated()
        } catch {
            throw InsightProviderError.malformed("the content breaks the schema: \(error)")
        }
        return WrittenInsight(text: text, tokensUsed: chat.usage?.total_tokens ?? 0)
    }
}

/// What the external provider is told about a pair: the anonymous facts, in words it can use.
/// Nothing a person wrote (interests are their own words: only how many they share) and no place
/// (only whether both live in the same 시·도); age brackets only where the card shows them.
struct PromptFacts: Encodable {
    var language: String
    var ageBrackets: [String]
    var sharedInterestCount: Int
    var sharedValues: [String]
    var sameCity: Bool
    var bothHaveChildren: Bool
    var bothChildrenGrown: Bool
    var bothTravelOften: Bool
    var bothExerciseOften: Bool
    var communicationStyles: [String]
    var strongPoints: [String]
    var weakPoints: [String]

    init(_ facts: InsightFacts, language: InsightLanguage) {
        self.language = language.rawValue
        ageBrackets = facts.ageBrackets
        sharedInterestCount = facts.sharedInterests.count
        sharedValues = facts.sharedValues.map { InsightFacts.valueName($0.dimension, language) }
        sameCity = facts.sharedCity != nil
        bothHaveChildren = facts.bothHaveChildren
        bothChildrenGrown = facts.bothChildrenGrown
        bothTravelOften = facts.bothTravelOften
        bothExerciseOften = facts.bothActive
        communicationStyles = facts.communicationStyles
        let components = facts.namedComponents
        strongPoints = components.filter { $0.score >= 75 }.map(\.name)
        weakPoints = components.filter { $0.score < 60 }.map(\.name)
    }
}

/// A piece of JSON text that encodes as itself (the schema), not as a string.
struct JSONFragment: Encodable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    func encode(to encoder: any Encoder) throws {
        let value = try JSONDecoder().decode(AnyJSON.self, from: Data(text.utf8))
        try value.encode(to: encoder)
    }
}

/// Enough of JSON to carry a schema through Codable.
indirect enum AnyJSON: Codable {
    case object([String: AnyJSON]), array([AnyJSON]), string(String), number(Double), bool(Bool), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([AnyJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: AnyJSON].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .object(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 { try container.encode(Int(value)) } else { try container.encode(value) }
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
