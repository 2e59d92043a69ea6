import Foundation
import Hummingbird
import Logging
import NIOCore
import PostgresNIO

/// `/api/me/photos` (upload, list, reorder, remove one's own) and `/api/photos/:id/:size` (a photo,
/// shown to whoever may see its owner's card).
struct PhotosController: Sendable {
    let database: Database
    let storage: any PhotoStorage
    let processor = PhotoProcessor()
    /// Where photos are decoded; its places bound the uploads in progress (and their bodies in memory).
    let decoding: PhotoDecodePool
    /// Upload attempts per person (every attempt costs a decode, accepted or not).
    let uploads: AbuseLimiter

    struct Photo: Encodable, Sendable {
        var id: String
        var position: Int
        var width: Int
        var height: Int
        var urls: [String: String]

        init(id: UUID, position: Int, width: Int, height: Int) {
            let text = id.uuidString.lowercased()
            self.id = text
            self.position = position
            self.width = width
            self.height = height
            urls = Dictionary(uniqueKeysWithValues: PhotoProcessor.Size.allCases.map {
                ($0.rawValue, "/api/photos/\(text)/\($0.rawValue)")
            })
        }
    }

    struct Limits: Sendable {
        /// Photos decoded at once (each on its own thread, apart from NIO's shared pool).
        var decodeThreads = 1
        /// Uploads that may wait for a thread; past threads + queue, 503 PHOTO_BUSY.
        var decodeQueue = 4
        /// Upload attempts one person may make in `uploadWindowSeconds`; past that, 429 TOO_MANY_UPLOADS.
        var uploadsPerWindow = 20
        var uploadWindowSeconds = 600
    }

    struct Order: Decodable, Sendable {
        var photoIds: [String]
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.post("/api/me/photos", use: upload)
        routes.get("/api/me/photos", use: list)
        routes.put("/api/me/photos/order", use: reorder)
        routes.delete("/api/me/photos/:photoId", use: remove)
        routes.get("/api/photos/:photoId/:size", use: show)
    }

    @Sendable func upload(request: Request, context: AppRequestContext) async throws -> Response {
        let (userID, _) = try context.requireSignedIn()
        let person = userID.uuidString.lowercased()
        if let wait = uploads.retryAfter(for: person) { throw Self.tooManyUploads(retryAfter: wait) }
        // A place before the body is read: bodies in memory are bounded by the pool's places.
        guard decoding.enter() else { throw Self.busy }
        defer { decoding.leave() }
        _ = uploads.recordFailure(from: person)
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: PhotoProcessor.maximumBytes)
        } catch {
            throw Self.tooLarge
        }
        guard try await photos(of: userID, logger: context.logger).count < 6 else { throw Self.limitReached }
        let rendered: PhotoProcessor.Rendered
        do {
            rendered = try await processor.render(Data(body.readableBytesView), on: decoding)
        } catch let rejection as PhotoProcessor.Rejection {
            throw Self.error(for: rejection)
        }
        let photoID = UUID()
        let prefix = photoID.uuidString.lowercased()
        for (size, data) in rendered.sizes {
            try await storage.store(data, key: "\(prefix)/\(size.rawValue).jpg")
        }
        do {
            let position = try await database.transaction(as: .user(userID), logger: context.logger) { connection -> Int? in
                for try await position in try await connection.query(
                    """
                    INSERT INTO photos (id, user_id, position, width, height, source_format)
                    SELECT \(photoID), \(userID), slot, \(rendered.width), \(rendered.height), \(rendered.format.rawValue)
                    FROM (SELECT min(s) AS slot FROM generate_series(0, 5) s
                          WHERE s NOT IN (SELECT position FROM photos WHERE user_id = \(userID))) free
                    WHERE slot IS NOT NULL
                    RETURNING position
                    """,
                    logger: context.logger
                ).decode(Int.self) {
                    try await AuditLog.record(
                        AuditEntry(action: "photo.added", actorID: userID, actorRole: .user, targetType: "photo", targetID: prefix),
                        requestID: context.id, on: connection, logger: context.logger
                    )
                    try await CacheInvalidation.publish(.profiles, keyPrefix: userID.uuidString.lowercased() + "/", on: connection, logger: context.logger)
                    return position
                }
                return nil
            }
            guard let position else { throw Self.limitReached }
            let photo = Photo(id: photoID, position: position, width: rendered.width, height: rendered.height)
            var response = try APIResponse(photo, message: "사진을 올렸습니다.").response(from: request, context: context)
            response.status = .created
            return response
        } catch {
            // Nothing half-stored: without its row, the files go too.
            try? await storage.remove(keyPrefix: prefix)
            if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "23505" { throw Self.limitReached }
            throw error
        }
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> APIResponse<[Photo]> {
        let (userID, _) = try context.requireSignedIn()
        let photos = try await photos(of: userID, logger: context.logger)
        return APIResponse(photos, message: "사진 \(photos.count)장")
    }

    @Sendable func reorder(request: Request, context: AppRequestContext) async throws -> APIResponse<[Photo]> {
        let (userID, _) = try context.requireSignedIn()
        let order = try await request.decode(as: Order.self, context: context)
        let ids = order.photoIds.compactMap { UUID(uuidString: $0) }
        let current = try await photos(of: userID, logger: context.logger)
        guard ids.count == order.photoIds.count, Set(ids).count == ids.count,
              Set(ids.map { $0.uuidString.lowercased() }) == Set(current.map(\.id)) else {
            throw APIError.badRequest("INVALID_PHOTO_ORDER", "지금 올려 두신 사진을 모두 한 번씩, 원하시는 순서대로 보내 주세요.")
        }
        try await reorder(ids, of: userID, logger: context.logger)
        return APIResponse(try await photos(of: userID, logger: context.logger), message: "사진 순서를 바꿨습니다.")
    }

    /// Puts the person's photos in this order (every photo of theirs exactly once, checked by the caller).
    func reorder(_ ids: [UUID], of userID: UUID, logger: Logger) async throws {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.query("SET CONSTRAINTS photos_slot DEFERRED", logger: logger)
            for (position, id) in ids.enumerated() {
                try await connection.query("UPDATE photos SET position = \(position) WHERE id = \(id) AND user_id = \(userID)", logger: logger)
            }
            try await CacheInvalidation.publish(.profiles, keyPrefix: userID.uuidString.lowercased() + "/", on: connection, logger: logger)
        }
    }

    @Sendable func remove(request: Request, context: AppRequestContext) async throws -> APIResponse<[Photo]> {
        let (userID, _) = try context.requireSignedIn()
        guard let photoID = context.parameters.get("photoId").flatMap(UUID.init(uuidString:)) else { throw Self.notFound }
        guard try await remove(photoID, of: userID, requestID: context.id, logger: context.logger) else { throw Self.notFound }
        return APIResponse(try await photos(of: userID, logger: context.logger), message: "사진을 지웠습니다.")
    }

    /// Removes one of the person's photos (and its files); false when there is no such photo of theirs.
    func remove(_ photoID: UUID, of userID: UUID, requestID: String?, logger: Logger) async throws -> Bool {
        let removed = try await database.transaction(as: .user(userID), logger: logger) { connection -> Bool in
            var removed = false
            for try await position in try await connection.query(
                "DELETE FROM photos WHERE id = \(photoID) AND user_id = \(userID) RETURNING position", logger: logger
            ).decode(Int.self) {
                removed = true
                // Close the gap so the first photo is always the main one.
                try await connection.query(
                    "UPDATE photos SET position = position - 1 WHERE user_id = \(userID) AND position > \(position)", logger: logger
                )
            }
            if removed {
                try await AuditLog.record(
                    AuditEntry(action: "photo.removed", actorID: userID, actorRole: .user, targetType: "photo",
                               targetID: photoID.uuidString.lowercased()),
                    requestID: requestID, on: connection, logger: logger
                )
                try await CacheInvalidation.publish(.profiles, keyPrefix: userID.uuidString.lowercased() + "/", on: connection, logger: logger)
            }
            return removed
        }
        guard removed else { return false }
        try await storage.remove(keyPrefix: photoID.uuidString.lowercased())
        return true
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        guard let photoID = context.parameters.get("photoId").flatMap(UUID.init(uuidString:)),
              let size = context.parameters.get("size").flatMap(PhotoProcessor.Size.init(rawValue:)) else {
            throw Self.notFound
        }
        // Row-level security answers whether the caller may see the owner's card.
        let visible = try await database.transaction(as: context.identity, logger: context.logger) { connection in
            try await connection.query("SELECT 1 FROM photos WHERE id = \(photoID)", logger: context.logger)
                .decode(Int.self).reduce(0) { $0 + $1 } > 0
        }
        guard visible, let data = try await storage.load(key: "\(photoID.uuidString.lowercased())/\(size.rawValue).jpg") else {
            throw Self.notFound
        }
        return Response(
            status: .ok,
            headers: [.contentType: "image/jpeg", .cacheControl: "private, max-age=300", .init("X-Content-Type-Options")!: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    func photos(of userID: UUID, logger: Logger) async throws -> [Photo] {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            var photos: [Photo] = []
            for try await (id, position, width, height) in try await connection.query(
                "SELECT id, position, width, height FROM photos WHERE user_id = \(userID) ORDER BY position", logger: logger
            ).decode((UUID, Int, Int, Int).self) {
                photos.append(Photo(id: id, position: position, width: width, height: height))
            }
            return photos
        }
    }

    static let notFound = APIError(.notFound, code: "PHOTO_NOT_FOUND", message: "사진을 찾을 수 없습니다.")
    static let limitReached = APIError(.conflict, code: "PHOTO_LIMIT", message: "사진은 6장까지 올리실 수 있습니다. 한 장을 지운 뒤 다시 올려 주세요.")
    static let tooLarge = APIError(.contentTooLarge, code: "PHOTO_TOO_LARGE", message: "사진 파일은 10MB까지 올리실 수 있습니다.")

    static let busy = RateLimitedError(
        retryAfterSeconds: 5, code: "PHOTO_BUSY", message: "지금 사진을 올리시는 분이 많습니다. 잠시 후 다시 올려 주세요.", status: .serviceUnavailable
    )

    static func tooManyUploads(retryAfter: Int) -> RateLimitedError {
        RateLimitedError(
            retryAfterSeconds: retryAfter, code: "TOO_MANY_UPLOADS",
            message: "사진을 너무 자주 올리셨습니다. \(max(1, retryAfter / 60))분 후에 다시 올려 주세요."
        )
    }

    static func error(for rejection: PhotoProcessor.Rejection) -> APIError {
        switch rejection {
        case .tooLarge: tooLarge
        case .notAnImage:
            APIError(.unsupportedMediaType, code: "UNSUPPORTED_IMAGE", message: "JPEG, PNG, WebP 사진만 올리실 수 있습니다.")
        case .tooManyPixels(let width, let height, let limit):
            APIError.badRequest("IMAGE_TOO_LARGE", "사진이 너무 큽니다(\(width)×\(height)). \(limit / 10_000)만 화소 이하의 사진을 올려 주세요.")
        case .extremeAspectRatio(let width, let height):
            APIError.badRequest(
                "IMAGE_ASPECT_RATIO",
                "사진이 너무 길쭉합니다(\(width)×\(height)). 긴 변이 짧은 변의 \(PhotoProcessor.maximumAspectRatio)배 이하인 사진을 올려 주세요."
            )
        case .unsupportedDepth:
            APIError(.unsupportedMediaType, code: "IMAGE_DEPTH_UNSUPPORTED", message: "색상당 8비트 사진만 올리실 수 있습니다(16비트 PNG 등은 8비트로 저장해 올려 주세요).")
        case .tooSmall(let width, let height):
            APIError.badRequest("IMAGE_TOO_SMALL", "사진이 너무 작습니다(\(width)×\(height)). 가로세로 200픽셀 이상의 사진을 올려 주세요.")
        case .unreadable:
            APIError.badRequest("IMAGE_UNREADABLE", "사진을 읽을 수 없습니다. 다른 사진으로 다시 시도해 주세요.")
        }
    }
}
