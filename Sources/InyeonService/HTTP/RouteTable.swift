import Hummingbird

/// Registers routes on the router and remembers each (method, path), so the OpenAPI document
/// can be checked against what really exists.
final class RouteTable<Context: RequestContext>: @unchecked Sendable {
    let router: Router<Context>
    private(set) var routes: [(method: HTTPRequest.Method, path: String)] = []

    init(router: Router<Context>) {
        self.router = router
    }

    func get(_ path: String, use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        routes.append((.get, path))
        router.get(RouterPath(path), use: handler)
    }

    func delete(_ path: String, use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        routes.append((.delete, path))
        router.delete(RouterPath(path), use: handler)
    }

    func put(_ path: String, use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        routes.append((.put, path))
        router.put(RouterPath(path), use: handler)
    }

    func post(_ path: String, use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        routes.append((.post, path))
        router.post(RouterPath(path), use: handler)
    }
}
