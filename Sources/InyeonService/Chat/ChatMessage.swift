import Foundation
import InyeonCore

/// A message as PostgreSQL stores it (what every instance's hub and the history endpoints read).
struct StoredMessage: Codable, Sendable, Equatable {
    var conversationID: UUID
    var sequence: Int64
    /// The conversation's change number when this message was last sent, edited or deleted.
    var revision: Int64
    var senderID: UUID
    var clientID: String
    /// Empty once deleted.
    var text: String
    var scamSignals: [ScamSignal]
    var sentAt: Date
    var editedAt: Date?
    var deletedAt: Date?
}

/// A message as a person sees it: the recipient of a flagged message also gets a calm warning;
/// the sender never learns that a message was flagged.
struct ChatMessage: Codable, Sendable, Equatable {
    var conversationId: String
    var sequence: Int64
    var revision: Int64
    var senderId: String
    var clientId: String
    var text: String
    var sentAt: Date
    var editedAt: Date?
    var deletedAt: Date?
    var safetyWarning: SafetyNotice?

    init(_ stored: StoredMessage, viewer: UUID, korean: Bool) {
        conversationId = stored.conversationID.uuidString.lowercased()
        sequence = stored.sequence
        revision = stored.revision
        senderId = stored.senderID.uuidString.lowercased()
        clientId = stored.clientID
        text = stored.text
        sentAt = stored.sentAt
        editedAt = stored.editedAt
        deletedAt = stored.deletedAt
        safetyWarning = viewer != stored.senderID && !stored.scamSignals.isEmpty && stored.deletedAt == nil
            ? SafetyNotice(signals: stored.scamSignals, korean: korean) : nil
    }
}

/// What the recipient is shown beside a message that carries a romance-scam signal.
struct SafetyNotice: Codable, Sendable, Equatable {
    /// The signals, as plain words in the reader's language.
    var signals: [String]
    var text: String

    init(signals: [ScamSignal], korean: Bool) {
        self.signals = signals.map { korean ? $0.koreanName : $0.englishName }
        self.text = SafetyWarning.text(for: signals, korean: korean)
    }
}

/// One JSON encoder and decoder for everything chat puts on the wire (dates as ISO 8601), made
/// once: every frame and every notification goes through them.
enum ChatJSON {
    private static let sharedEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static let sharedDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func decoder() -> JSONDecoder { sharedDecoder }

    static func string(_ value: some Encodable) -> String {
        (try? String(decoding: sharedEncoder.encode(value), as: UTF8.self)) ?? "{}"
    }
}
