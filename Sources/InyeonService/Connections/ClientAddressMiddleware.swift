import Hummingbird

/// Sets the request's `remoteAddress` through `ClientAddress` (the socket's peer, or the client a
/// trusted proxy names), before anything that limits or logs by address runs.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// Nil when `TRUST_PROXY` is off: the peer is the client.
    let proxies: TrustedProxies?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.remoteAddress = ClientAddress.resolve(
            peer: context.peerAddress, forwardedFor: request.headers[values: .init("X-Forwarded-For")!], proxies: proxies
        )
        return try await next(request, context)
    }
}
