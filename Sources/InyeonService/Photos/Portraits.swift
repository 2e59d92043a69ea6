import Foundation
import Logging
import PostgresNIO

/// Each person's first photo, for the faces on cards, lists and conversations: one query for a whole
/// page of people, read under the caller's own row-level security, so a face appears exactly where
/// the card may be seen (and `/photos/:id/:size` answers by the same rule).
struct Portraits: Sendable {
    let database: Database

    struct Portrait: Sendable, Equatable {
        var photoID: UUID
        /// The original's size; the served sizes keep its proportions.
        var width: Int
        var height: Int

        /// The width and height of the image served at `size` (its longest side at most the size's).
        func dimensions(at size: PhotoProcessor.Size) -> (width: Int, height: Int) {
            let longest = max(width, height)
            let scale = min(1, Double(size.longestSide) / Double(longest))
            return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
        }
    }

    /// The first photo of each of `people` that the caller may see; people without one are absent.
    func first(of people: [UUID], as identity: RequestIdentity, logger: Logger) async throws -> [UUID: Portrait] {
        let unique = Array(Set(people))
        guard !unique.isEmpty else { return [:] }
        return try await database.transaction(as: identity, logger: logger) { connection in
            var found: [UUID: Portrait] = [:]
            let rows = try await connection.query(
                """
                SELECT DISTINCT ON (user_id) user_id, id, width, height FROM photos
                WHERE user_id = ANY(\(unique)) ORDER BY user_id, position
                """,
                logger: logger
            ).decode((UUID, UUID, Int, Int).self)
            for try await (userID, photoID, width, height) in rows {
                found[userID] = Portrait(photoID: photoID, width: width, height: height)
            }
            return found
        }
    }

    /// What a page's `portrait` partial shows: the photo at `size`, or the first letter of the name
    /// on a calm panel. `alt` is empty where the name is written right beside the face.
    static func face(_ portrait: Portrait?, name: String, size: PhotoProcessor.Size, alt: String) -> [String: Any] {
        let initial = name.trimmingCharacters(in: .whitespaces).first.map(String.init) ?? "?"
        var face: [String: Any] = ["initial": initial, "size": size == .thumbnail ? "thumb" : "card", "card": size != .thumbnail]
        if let portrait {
            let (width, height) = portrait.dimensions(at: size)
            face["photo"] = [
                "src": "/photos/\(portrait.photoID.uuidString.lowercased())/\(size.rawValue)", "width": width, "height": height, "alt": alt,
            ]
        }
        return face
    }
}
