import Foundation
import Logging

/// Reading people's cards. Every method runs as the given identity, so PostgreSQL's policies
/// decide whom the caller can see; nothing here filters for privacy by itself.
protocol ProfileRepository: Sendable {
    /// Visible cards, newest first: after `cursor` (keyset, whatever the depth) or past `offset`
    /// (compatible, its cost grows with the offset); the listed total (`app.listed_people_count`),
    /// and the cursor of the last card when a page is full.
    func cards(as identity: RequestIdentity, limit: Int, offset: Int, after cursor: CardCursor?, logger: Logger) async throws -> CardPage
    /// One visible person, or nil when they don't exist or the caller may not see them.
    func person(_ id: UUID, as identity: RequestIdentity, logger: Logger) async throws -> VisiblePerson?
    /// Visible people other than `excluding`, up to `limit`, for ranking.
    func people(excluding id: UUID, as identity: RequestIdentity, limit: Int, logger: Logger) async throws -> [VisiblePerson]
    /// Everyone with a profile (an operator figure).
    func totalPeople(logger: Logger) async throws -> Int
}

/// A place in the newest-first list of cards: the last card's creation time (PostgreSQL's own text
/// for it, so nothing is rounded) and id. Sent to clients as one opaque, URL-safe string.
struct CardCursor: Sendable, Equatable {
    var createdAt: String
    var userID: UUID

    var token: String {
        Data((createdAt + "|" + userID.uuidString.lowercased()).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The cursor in `token`, or nil when it is not one this service gave out.
    init?(token: String) {
        guard token.utf8.count <= 200 else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        // PostgreSQL's timestamptz text: digits, '-', ':', '.', '+', and one space.
        guard parts.count == 2, let id = UUID(uuidString: String(parts[1])), (19...40).contains(parts[0].utf8.count),
              parts[0].allSatisfy({ $0.isNumber || "-:.+ ".contains($0) }) else { return nil }
        self.init(createdAt: String(parts[0]), userID: id)
    }

    init(createdAt: String, userID: UUID) {
        self.createdAt = createdAt
        self.userID = userID
    }
}

/// One page of cards.
struct CardPage: Sendable {
    var cards: [ProfileCard]
    /// How many the caller's list holds (`app.listed_people_count`): exact but for the caller's own
    /// blocks, their own card when it is hidden, and paused matches.
    var total: Int
    /// Where the next page starts; nil on the last page.
    var next: CardCursor?
}
