import Foundation

/// What one instance tells every instance (PostgreSQL `NOTIFY` on `chat_events`): each instance's
/// hub passes it on to the sockets it holds for that conversation.
struct ChatEvent: Codable, Sendable {
    enum Kind: String, Codable, Sendable {
        /// A message was sent, edited or deleted (`message`).
        case message
        /// The same, when the message is too large for a notification: read it by `sequence`.
        case messageReference
        /// `user` is typing.
        case typing
        /// `user` has read up to `sequence`.
        case read
        /// The conversation ended (unmatch or block): its sockets close.
        case closed
    }

    var kind: Kind
    var conversation: UUID
    /// The socket whose action this is ("instance/connection"), which already has its answer.
    var origin: String?
    var message: StoredMessage?
    var sequence: Int64?
    var user: UUID?

    /// PostgreSQL refuses notification payloads of 8,000 bytes or more.
    static let payloadLimit = 7_900
}
