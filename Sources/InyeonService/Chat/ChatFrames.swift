import Foundation

/// A frame from the client. `type` is one of: `send` (clientId, text), `edit` (sequence, text),
/// `delete` (sequence), `read` (sequence), `typing`, `ping`.
struct ClientFrame: Decodable, Sendable {
    var type: String
    var clientId: String?
    var text: String?
    var sequence: Int64?
}

/// A frame to the client. Every frame has a `type`:
/// - `ready`: the socket is open and every missed message has been sent (`lastSequence`, `partnerReadSequence`, `userId`);
/// - `message`: a message, new or changed (the latest revision of it);
/// - `ack`: one's own send, edit or delete is stored (`clientId`, `duplicate`, `message`);
/// - `typing`, `read` (`userId`, `sequence`): the other person's typing and read receipts;
/// - `error` (`code`, `error`, `clientId`): a frame was refused; the socket stays open;
/// - `closed`: the conversation ended; the socket closes with code 4001;
/// - `pong`: the answer to `ping`.
struct ServerFrame: Encodable, Sendable {
    var type: String
    var message: ChatMessage?
    var clientId: String?
    var duplicate: Bool?
    var userId: String?
    var sequence: Int64?
    var lastSequence: Int64?
    var partnerReadSequence: Int64?
    var code: String?
    var error: String?

    private init(type: String) { self.type = type }

    static func ready(user: UUID, lastSequence: Int64, partnerReadSequence: Int64) -> ServerFrame {
        var frame = ServerFrame(type: "ready")
        frame.userId = user.uuidString.lowercased()
        frame.lastSequence = lastSequence
        frame.partnerReadSequence = partnerReadSequence
        return frame
    }

    static func message(_ message: ChatMessage) -> ServerFrame {
        var frame = ServerFrame(type: "message")
        frame.message = message
        return frame
    }

    static func ack(_ message: ChatMessage, clientID: String?, duplicate: Bool) -> ServerFrame {
        var frame = ServerFrame(type: "ack")
        frame.message = message
        frame.clientId = clientID
        frame.duplicate = duplicate
        return frame
    }

    static func typing(user: UUID) -> ServerFrame {
        var frame = ServerFrame(type: "typing")
        frame.userId = user.uuidString.lowercased()
        return frame
    }

    static func read(user: UUID, sequence: Int64) -> ServerFrame {
        var frame = ServerFrame(type: "read")
        frame.userId = user.uuidString.lowercased()
        frame.sequence = sequence
        return frame
    }

    static func error(_ error: APIError, clientID: String?) -> ServerFrame {
        var frame = ServerFrame(type: "error")
        frame.code = error.code
        frame.error = error.message
        frame.clientId = clientID
        return frame
    }

    static func closed(korean: Bool) -> ServerFrame {
        var frame = ServerFrame(type: "closed")
        frame.error = korean ? "대화가 종료되었습니다." : "This conversation has ended."
        return frame
    }

    static let pong = ServerFrame(type: "pong")
}
