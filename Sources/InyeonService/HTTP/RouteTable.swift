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
        add(.get, path, handler)
    }

    func post(_ path: String, use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        add(.post, path, handler)
    }

    func put(_ path: String, use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        add(.put, path, handler)
    }

    func patch(_ path: String, use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        add(.patch, path, handler)
    }

    func delete(_ path: String, use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        add(.delete, path, handler)
    }

    private func add(
        _ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator
    ) {
        routes.append((method, path))
        router.on(RouterPath(path), method: method, use: handler)
    }
}
