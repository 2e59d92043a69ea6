import Foundation
import Hummingbird

/// The earlier system's success envelope: `{"success": true, "data": ..., "message": "..."}`.
/// The success envelope around a JSON document PostgreSQL already built (`json_agg`), without
/// decoding and re-encoding it.
func envelopedJSON(_ data: String, message: String, headers: HTTPFields = [:]) throws -> Response {
    let messageJSON = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
    var allHeaders = headers
    allHeaders[.contentType] = "application/json; charset=utf-8"
    return Response(
        status: .ok, headers: allHeaders,
        body: .init(byteBuffer: ByteBuffer(string: #"{"success":true,"message":\#(messageJSON),"data":\#(data)}"#))
    )
}

struct APIResponse<Payload: Encodable & Sendable>: ResponseEncodable, Sendable {
    let success = true
    var data: Payload
    var message: String

    init(_ data: Payload, message: String) {
        self.data = data
        self.message = message
    }

    private enum CodingKeys: String, CodingKey {
        case success, data, message
    }
}
