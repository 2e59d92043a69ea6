import Hummingbird

/// Every answer of the API (`/api/...`, and the operators' `/metrics`) is about someone or for
/// someone: no cache may keep it (`Cache-Control: no-store`), and no browser may read it as anything
/// but its declared type (`X-Content-Type-Options: nosniff`). Errors included. A route that chose its
/// own caching keeps it (a photo is `private, max-age=300`: the browser alone may keep it briefly);
/// the public, cacheable files (`/static`, `/openapi.json`, the JWKS) are not touched.
struct PrivateResponseHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static func isPrivate(_ path: String) -> Bool {
        path == "/api" || path.hasPrefix("/api/") || path == "/metrics"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard Self.isPrivate(request.uri.path) else { return response }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}
