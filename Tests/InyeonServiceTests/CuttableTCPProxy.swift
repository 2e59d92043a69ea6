import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A real TCP proxy in front of PostgreSQL that a test can cut and restore, to see how the
/// service behaves while its database is unreachable, without stopping the shared test cluster.
final class CuttableTCPProxy: Sendable {
    private let upstreamHost: String
    private let upstreamPort: Int
    private let state = NIOLockedValueBox<(isCut: Bool, channels: [any Channel], accepted: Int, brokenBelow: Int)>((false, [], 0, 0))
    private let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
    let port: Int

    init(upstreamHost: String, upstreamPort: Int) async throws {
        self.upstreamHost = upstreamHost
        self.upstreamPort = upstreamPort
        server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        port = server.channel.localAddress?.port ?? 0
    }

    /// Accepts and relays connections until the task is cancelled.
    func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { inbound in
                for try await connection in inbound {
                    group.addTask { await self.relay(connection) }
                }
            }
        }
    }

    /// Drops every open connection and refuses new ones.
    func cut() {
        let channels = state.withLockedValue { state in
            state.isCut = true
            defer { state.channels = [] }
            return state.channels
        }
        for channel in channels { channel.close(promise: nil) }
    }

    func restore() {
        state.withLockedValue { $0.isCut = false }
    }

    /// The connections open now break the next time the client sends on them (closed, nothing
    /// relayed), as a path to a database that is gone breaks: the client learns of it only by using
    /// it. New connections are relayed as usual.
    func breakOpenConnectionsOnNextUse() {
        state.withLockedValue { $0.brokenBelow = $0.accepted }
    }

    private func relay(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let (isCut, number) = state.withLockedValue { state in
            state.accepted += 1
            return (state.isCut, state.accepted)
        }
        guard !isCut else {
            try? await connection.channel.close()
            return
        }
        do {
            let upstream = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: upstreamHost, port: upstreamPort) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            state.withLockedValue { $0.channels += [connection.channel, upstream.channel] }
            try await connection.executeThenClose { clientIn, clientOut in
                try await upstream.executeThenClose { serverIn, serverOut in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for try await bytes in clientIn {
                                if self.state.withLockedValue({ number <= $0.brokenBelow }) { return }
                                try await serverOut.write(bytes)
                            }
                        }
                        group.addTask { for try await bytes in serverIn { try await clientOut.write(bytes) } }
                        try await group.next()
                        group.cancelAll()
                    }
                }
            }
        } catch {
            try? await connection.channel.close()
        }
    }
}
