import Foundation
import Hummingbird

/// Reads an API request's JSON body, but only one declared as JSON (`application/json` or a
/// `+json` type): a `text/plain` or form body, which any web page can send across sites without
/// asking, is refused with 415 before a byte of it is read.
public struct JSONBodyDecoder: RequestDecoder {
    public init() {}

    static let unsupportedMediaType = APIError(
        .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE", message: "JSON 본문은 Content-Type: application/json 으로 보내 주세요."
    )

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        guard Self.declaresJSON(request.headers[.contentType]) else { throw Self.unsupportedMediaType }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try await decoder.decode(type, from: request, context: context)
    }

    static func declaresJSON(_ header: String?) -> Bool {
        guard let header, let media = MediaType(from: header), media.type == .application else { return false }
        let subType = media.subType.lowercased()
        return subType == "json" || subType.hasSuffix("+json")
    }
}
