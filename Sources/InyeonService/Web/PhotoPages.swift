import Foundation
import Hummingbird
import NIOCore
import Logging

/// One's photos on the profile: choose a picture (previewed before it is sent), move a photo
/// earlier or later (the first is the main one), remove one. Photos are shown through `/photos/…`,
/// which sees the page's signed-in person, under the same rule as the card.
struct PhotoPages: Sendable {
    let renderer: PageRenderer
    let photos: PhotosController

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/profile/photos", use: show)
        router.post("/profile/photos", use: upload)
        router.post("/profile/photos/:photoId/move", use: move)
        router.post("/profile/photos/:photoId/remove", use: remove)
        router.get("/photos/:photoId/:size", use: photos.show)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/profile/photos") }
        let text = WebText(korean: context.web.preferences.korean)
        let list = try await photos.photos(of: userID, logger: context.logger)
        let items: [[String: Any]] = list.enumerated().map { index, photo in
            [
                "id": photo.id, "number": index + 1, "first": index == 0, "last": index == list.count - 1,
                "src": "/photos/\(photo.id)/thumbnail", "alt": text["photo_alt"].replacingOccurrences(of: "%d", with: String(index + 1)),
            ]
        }
        return renderer.render(
            "photos", title: text["photos_title"],
            values: ["photos": items, "canAdd": list.count < 6, "count": list.count, "error": request.uri.queryParameters.get("error") as Any],
            request: request, context: context
        )
    }

    /// The picture itself (raw bytes, as the page's script sends it, with the form token in a header).
    /// A refusal is answered as JSON, in the reader's language, so the page's script can show the
    /// reason in words (this path is a page's, whose errors are otherwise whole pages).
    @Sendable func upload(request: Request, context: AppRequestContext) async throws -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        do {
            try context.requireFormToken(request.headers[.init("X-CSRF-Token")!])
            return try await photos.upload(request: request, context: context)
        } catch let error as APIError {
            return Self.refusal(error.status, code: error.code, message: text.message(for: error), retryAfter: nil)
        } catch let error as RateLimitedError {
            let minutes = PageErrorMiddleware.minutes(error.retryAfterSeconds)
            return Self.refusal(error.status, code: error.code, message: text["photo_wait"].replacingOccurrences(of: "%d", with: String(minutes)),
                                retryAfter: error.retryAfterSeconds)
        } catch is NIOTooManyBytesError {
            return Self.refusal(.contentTooLarge, code: PhotosController.tooLarge.code, message: text.message(for: PhotosController.tooLarge),
                                retryAfter: nil)
        }
    }

    private static func refusal(_ status: HTTPResponse.Status, code: String, message: String, retryAfter: Int?) -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: ["success": false, "error": message, "code": code], options: [.sortedKeys]))
            ?? Data()
        var response = Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    @Sendable func move(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/profile/photos") }
        let current = try await photos.photos(of: userID, logger: context.logger).compactMap { UUID(uuidString: $0.id) }
        guard let photoID = context.parameters.get("photoId").flatMap(UUID.init(uuidString:)), let index = current.firstIndex(of: photoID) else {
            return PageRenderer.redirect(to: "/profile/photos")
        }
        let target = form["direction"] == "earlier" ? index - 1 : index + 1
        guard current.indices.contains(target) else { return PageRenderer.redirect(to: "/profile/photos") }
        var order = current
        order.swapAt(index, target)
        try await photos.reorder(order, of: userID, logger: context.logger)
        return PageRenderer.redirect(to: "/profile/photos")
    }

    @Sendable func remove(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/profile/photos") }
        if let photoID = context.parameters.get("photoId").flatMap(UUID.init(uuidString:)) {
            _ = try await photos.remove(photoID, of: userID, requestID: context.id, logger: context.logger)
        }
        return PageRenderer.redirect(to: "/profile/photos")
    }
}
