import Hummingbird

/// The earlier system's success envelope: `{"success": true, "data": ..., "message": "..."}`.
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
