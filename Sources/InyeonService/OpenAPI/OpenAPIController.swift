import Hummingbird

/// `/openapi.json` (the API description) and `/docs` (a readable page built from it).
struct OpenAPIController: Sendable {
    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/openapi.json", use: document)
        routes.get("/docs", use: page)
    }

    @Sendable func document(request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json))
        )
    }

    /// The page under the site's one Content-Security-Policy (`SecurityHeadersMiddleware`): its style
    /// and script are files under /static, and the script reads /openapi.json from this origin.
    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: APIDocsPage.html))
        )
    }
}

/// A dependency-free page that lists every operation of `/openapi.json` (without script: the link).
enum APIDocsPage {
    static let html = #"""
        <!doctype html>
        <html lang="ko">
        <head>
        <meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Inyeon API</title>
        <link rel="stylesheet" href="/static/docs.css">
        <script src="/static/docs.js" defer></script>
        </head>
        <body>
        <h1>Inyeon API</h1>
        <p>기계가 읽는 설명: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1)</p>
        <main id="ops">불러오는 중…</main>
        </body>
        </html>
        """#
}
