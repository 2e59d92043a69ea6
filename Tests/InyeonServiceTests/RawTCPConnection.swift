import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A plain TCP client for the live server: sends exactly the bytes a test writes (half a request,
/// garbage, an unmasked WebSocket frame), collects what comes back, and tells whether the server
/// closed the connection. It may connect from another loopback address (127.0.0.2 …) to act as
/// a second client.
final class RawTCPConnection: Sendable {
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: NIOLockedValueBox<[UInt8]>

        init(_ received: NIOLockedValueBox<[UInt8]>) { self.received = received }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = Self.unwrapInboundIn(data)
            received.withLockedValue { $0.append(contentsOf: buffer.readableBytesView) }
        }
    }

    let channel: any Channel
    private let received: NIOLockedValueBox<[UInt8]>

    private init(channel: any Channel, received: NIOLockedValueBox<[UInt8]>) {
        self.channel = channel
        self.received = received
    }

    /// With `reading` false nothing is read (and the receive buffer is small) until `startReading`:
    /// a client that asks and does not read its answers.
    static func open(port: Int, from source: String = "127.0.0.1", reading: Bool = true) async throws -> RawTCPConnection {
        let received = NIOLockedValueBox<[UInt8]>([])
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if !reading {
            bootstrap = bootstrap.channelOption(.autoRead, value: false).channelOption(.socketOption(.so_rcvbuf), value: 4096)
        }
        let channel = try await bootstrap
            .bind(to: try SocketAddress(ipAddress: source, port: 0))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(received)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawTCPConnection(channel: channel, received: received)
    }

    /// Opens a connection for `body` and closes it afterwards, also when `body` fails (a server that
    /// waits for its connections to end would otherwise wait for this one at the end of the test).
    static func with(port: Int, from source: String = "127.0.0.1", _ body: (RawTCPConnection) async throws -> Void) async throws {
        let connection = try await open(port: port, from: source)
        do {
            try await body(connection)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    func startReading() async throws {
        try await channel.setOption(.autoRead, value: true)
        channel.read()
    }

    var bytes: [UInt8] { received.withLockedValue { $0 } }
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Waits up to `limit` for the server to close the connection; true when it did.
    func closedByServer(within limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if !channel.isActive { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return !channel.isActive
    }

    /// Waits up to `limit` until what was received contains `text`.
    func waitFor(_ text: String, within limit: Duration = .seconds(10)) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if self.text.contains(text) { return true }
            if !channel.isActive { return self.text.contains(text) }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func close() async {
        try? await channel.close()
    }
}
