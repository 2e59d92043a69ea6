import Foundation
import Hummingbird
import Logging
import NIOCore

/// On the pages, a refusal or a fault is a page in plain words with a way back, never a JSON
/// document: a form without its token, a database that does not answer, anything unexpected.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let renderer: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard WebSessionMiddleware.isPage(request.uri.path) else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return page(status: error.status, message: WebText(korean: context.web.preferences.korean).message(for: error), request: request,
                        context: context)
        } catch let error as RateLimitedError {
            let text = WebText(korean: context.web.preferences.korean)
            let message = text["too_many_requests"].replacingOccurrences(of: "%d", with: String(Self.minutes(error.retryAfterSeconds)))
            var response = page(status: .tooManyRequests, message: message, request: request, context: context)
            response.headers[.retryAfter] = String(error.retryAfterSeconds)
            return response
        } catch let error as RecommendationModelStore.NotReady {
            let text = WebText(korean: context.web.preferences.korean)
            let message = text["recommendations_warming_up"].replacingOccurrences(of: "%d", with: String(error.retryAfterSeconds))
            return page(status: .serviceUnavailable, message: message, request: request, context: context)
        } catch is NIOTooManyBytesError {
            let text = WebText(korean: context.web.preferences.korean)
            return page(status: .contentTooLarge, message: text["form_too_large"], request: request, context: context)
        } catch let error as HTTPError where error.status == .notFound {
            let text = WebText(korean: context.web.preferences.korean)
            return page(status: .notFound, message: text["page_not_found"], request: request, context: context)
        } catch {
            context.logger.failure("page failed", error, level: .error, metadata: ["path": "\(request.uri.path)"])
            let text = WebText(korean: context.web.preferences.korean)
            return page(status: .internalServerError, message: text["page_failed"], request: request, context: context)
        }
    }

    /// Whole minutes to wait, at least one (what a person reads next to `Retry-After`).
    static func minutes(_ seconds: Int) -> Int { max(1, (seconds + 59) / 60) }

    private func page(status: HTTPResponse.Status, message: String, request: Request, context: Context) -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        return renderer.render(
            "message", title: text["error_title"],
            values: ["heading": text["error_title"], "text": message, "linkHref": context.caller == nil ? "/" : "/recommendations",
                     "linkLabel": text["go_back"]],
            status: status, request: request, context: context
        )
    }
}
