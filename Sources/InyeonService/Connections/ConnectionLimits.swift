/// How long the server waits for a client, and how many connections one address may hold
/// (HTTP_HEADER_TIMEOUT, HTTP_IDLE_TIMEOUT, HTTP_BODY_TIMEOUT, MAX_CONNECTIONS_PER_ADDRESS).
public struct ConnectionLimits: Sendable {
    /// From the connection opening until its first request's head has arrived.
    public var headerTimeout: Duration
    /// From a response until the next request's head has arrived (keep-alive); also how long a client
    /// may leave its answer unread once the server cannot write more.
    public var idleTimeout: Duration
    /// From a request's head until the last byte of its body.
    public var bodyTimeout: Duration
    /// Open connections one client address may hold; trusted proxies are not counted.
    public var connectionsPerAddress: Int
}
