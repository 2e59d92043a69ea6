import Foundation
import Hummingbird

extension Cache {
    /// What every signed-out caller is shown alike (a page of the public list, the demo matching
    /// run), kept as the encoded answer in `publicAnswers`: computed once, shared for at most a
    /// second, dropped at once when any card changes, and sent as it was encoded (no decoding and
    /// encoding again per caller). Only answers are kept: a failure (404, 503) is thrown to each
    /// caller as it happens.
    func sharedAnswer<Payload: Encodable & Sendable>(
        key: String, message: String, _ compute: @Sendable @escaping () async throws -> Payload
    ) async throws -> Response {
        let body = try await encoded(.publicAnswers, key: key) {
            try AppRequestContext.jsonEncoder().encode(APIResponse(try await compute(), message: message))
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = String(body.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
