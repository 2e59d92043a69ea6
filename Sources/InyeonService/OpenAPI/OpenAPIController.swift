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

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: APIDocsPage.html))
        )
    }
}

/// A dependency-free page that lists every operation of `/openapi.json`.
enum APIDocsPage {
    static let html = #"""
        <!doctype html>
        <html lang="ko">
        <head>
        <meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Inyeon API</title>
        <style>
        body { font: 18px/1.6 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; }
        h2 { border-bottom: 2px solid #333; } code { background: #eee; padding: 0 .3em; }
        .op { margin: 1rem 0; padding: .75rem 1rem; border: 1px solid #999; border-radius: 6px; }
        .method { font-weight: bold; text-transform: uppercase; margin-right: .5em; }
        </style>
        </head>
        <body>
        <h1>Inyeon API</h1>
        <p>기계가 읽는 설명: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1)</p>
        <main id="ops">불러오는 중…</main>
        <script>
        fetch('/openapi.json').then(r => r.json()).then(doc => {
          const main = document.getElementById('ops');
          main.textContent = '';
          const text = (tag, value, cls) => { const e = document.createElement(tag); e.textContent = value; if (cls) e.className = cls; return e; };
          for (const [path, item] of Object.entries(doc.paths)) {
            for (const [method, op] of Object.entries(item)) {
              const box = document.createElement('section'); box.className = 'op';
              const head = document.createElement('h3');
              head.append(text('span', method, 'method'), text('code', path));
              box.append(head, text('p', op.summary || ''));
              if (op.description) box.append(text('p', op.description));
              const codes = Object.entries(op.responses || {}).map(([c, r]) => c + ': ' + r.description).join(' · ');
              box.append(text('p', '응답 — ' + codes));
              main.append(box);
            }
          }
        });
        </script>
        </body>
        </html>
        """#
}
