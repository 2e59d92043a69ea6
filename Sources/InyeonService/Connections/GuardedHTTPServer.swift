import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 server with the WebSocket upgrade, with a `ConnectionGuard` on every
/// connection from the moment it is accepted (Hummingbird's own idle timeout starts only after the
/// first request's head, so it cannot end a connection that never sends one).
struct GuardedHTTPServer: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let server: HTTP1WebSocketUpgradeChannel
    let limits: ConnectionLimits
    let connections: ConnectionsPerAddress
    let proxies: TrustedProxies?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (limits, connections, proxies) = (limits, connections, proxies)
        return server.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let upgrade = try channel.pipeline.syncOperations.handler(type: ConnectionGuard.UpgradeHandler.self)
            try channel.pipeline.syncOperations.addHandler(
                ConnectionGuard(limits: limits, connections: connections, proxies: proxies, logger: logger), position: .after(upgrade)
            )
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await server.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// `.http1WebSocketUpgrade(webSocketRouter:configuration:)` with every connection guarded by `limits`;
    /// connections from `proxies` are not counted against the per-address cap.
    static func guardedHTTP1WebSocketUpgrade(
        webSocketRouter: Router<ChatSocketRequestContext>, configuration: HTTP1WebSocketUpgradeChannel.Configuration, limits: ConnectionLimits,
        proxies: TrustedProxies?
    ) -> HTTPServerBuilder {
        let webSocketResponder = webSocketRouter.buildResponder()
        let connections = ConnectionsPerAddress(limit: limits.connectionsPerAddress)
        return HTTPServerBuilder { responder in
            GuardedHTTPServer(
                server: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                limits: limits, connections: connections, proxies: proxies
            )
        }
    }
}
