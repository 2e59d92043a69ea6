import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Watches one HTTP connection from the moment it opens: it refuses an address past its connection
/// cap, closes a connection whose client is too slow to send a request's head or body, to read its
/// answer, or that sits idle between requests, and answers a request it cannot parse with 400 and a close.
///
/// It sits right after the WebSocket-upgrade handler, so it sees the decoded HTTP parts of every
/// plain request and the responses written to them. When the connection becomes the chat socket it
/// puts `MaskedClientFramesOnly` in its place and leaves (the socket's own pings find a dead peer).
/// The upgrade handler keeps an upgrade request's head to itself, so for the socket's opening request
/// the header deadline runs until the upgrade is done (the admission check is one short query).
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart
    typealias UpgradeHandler = NIOTypedHTTPServerUpgradeHandler<HTTP1WebSocketUpgradeChannel.UpgradeResult>

    /// How long a refused connection may still send before it is closed (so it reads the 400 rather than a reset).
    static let lingerAfterRefusal: Duration = .seconds(2)

    private let limits: ConnectionLimits
    private let connections: ConnectionsPerAddress
    private let proxies: TrustedProxies?
    private let logger: Logger

    private var started = false
    /// Requests whose head has arrived and whose response has not been written to its end.
    private var unanswered = 0
    /// Since when a request's body has been read (nil: no body being read).
    private var readingBodySince: NIODeadline?
    /// Since when the connection has waited for a request's head (nil: a request is open).
    private var waitingSince: NIODeadline?
    /// Since when the client has not read what it was sent fast enough for more to be written (nil: it reads).
    private var stalledSince: NIODeadline?
    private var answeredAny = false
    private var refused = false
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    init(limits: ConnectionLimits, connections: ConnectionsPerAddress, proxies: TrustedProxies?, logger: Logger) {
        self.limits = limits
        self.connections = connections
        self.proxies = proxies
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        if let address = context.channel.remoteAddress?.ipAddress, proxies?.contains(address) != true {
            guard connections.admit(address) else {
                logger.debug("connection refused: too many from one address", metadata: ["address": "\(address)"])
                refused = true
                closeQuietly(context: context)
                return
            }
            let connections = connections
            context.channel.closeFuture.whenComplete { _ in connections.release(address) }
        }
        waitingSince = .now()
        arm(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            readingBodySince = .now()
            waitingSince = nil
            arm(context: context)
        case .body:
            break
        case .end:
            readingBodySince = nil
            arm(context: context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unanswered = max(0, unanswered - 1)
            answeredAny = true
            if unanswered == 0 { waitingSince = .now() }
            arm(context: context)
        }
        context.write(data, promise: promise)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // A client that asks and never reads would hold its answer, and the connection, forever.
        stalledSince = context.channel.isWritable ? nil : .now()
        arm(context: context)
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Broken HTTP while no request is open (a garbage request line, an unknown method, bad headers):
        // nobody else would answer it. Inside a request the error reaches the request's handler as before.
        guard error is HTTPParserError, unanswered == 0, readingBodySince == nil else {
            context.fireErrorCaught(error)
            return
        }
        guard !refused else { return }
        refused = true
        logger.debug("unreadable request refused", metadata: ["error": "\(error)"])
        answerMalformed(context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let upgrade = event as? HTTPServerUpgradeEvents, case .upgradeComplete = upgrade {
            // The chat socket: HTTP deadlines end here, and client frames must be masked (RFC 6455 5.1).
            context.fireUserInboundEventTriggered(event)
            becomeWebSocket(context: context)
            return
        }
        if event is ChannelShouldQuiesceEvent, unanswered == 0, readingBodySince == nil {
            // Shutting down: a connection with no request open closes now rather than at its deadline.
            closeQuietly(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func becomeWebSocket(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        do {
            let decoder = try context.pipeline.syncOperations.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self)
            try context.pipeline.syncOperations.addHandler(MaskedClientFramesOnly(), position: .after(decoder))
        } catch {
            logger.failure("could not watch the socket's frames; closing it", error, level: .error)
            context.close(promise: nil)
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    // MARK: Deadlines

    private var deadline: (at: NIODeadline, reason: String)? {
        var deadlines: [(at: NIODeadline, reason: String)] = []
        if let since = stalledSince { deadlines.append((since + .init(limits.idleTimeout), "answer not read in time")) }
        if let since = readingBodySince {
            deadlines.append((since + .init(limits.bodyTimeout), "body not received in time"))
        } else if unanswered == 0, let since = waitingSince {
            deadlines.append(
                answeredAny ? (since + .init(limits.idleTimeout), "idle") : (since + .init(limits.headerTimeout), "request head not received in time")
            )
        }
        return deadlines.min { $0.at < $1.at }
    }

    /// Schedules the close for the current deadline (the timer is kept when the deadline has not moved).
    private func arm(context: ChannelHandlerContext) {
        let next = deadline?.at
        guard next != timerDeadline else { return }
        timer?.cancel()
        timer = nil
        timerDeadline = next
        guard let next else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: next) { [self] in
            timer = nil
            timerDeadline = nil
            guard let due = deadline else { return }
            if due.at > .now() {
                arm(context: context)
            } else {
                logger.debug("connection closed", metadata: ["reason": "\(due.reason)"])
                closeQuietly(context: context)
            }
        }
    }

    // MARK: Closing

    /// 400 in the API's envelope, then the connection's output closes; it closes fully after a short linger.
    private func answerMalformed(context: ChannelHandlerContext) {
        let body = APIError.badRequest("MALFORMED_REQUEST", "요청을 읽을 수 없습니다.").encodedBody
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { [self] _ in
            // Before the first request the upgrade handler would report any close it was not told of
            // as an error (the client's included), so it is told now; later, the client gets a moment.
            guard !awaitingFirstRequest(context: context) else {
                closeQuietly(context: context)
                return
            }
            context.close(mode: .output, promise: nil)
            context.eventLoop.assumeIsolated().scheduleTask(in: .init(Self.lingerAfterRefusal)) {
                context.close(promise: nil)
            }
        }
    }

    /// Whether the upgrade handler still waits for the connection's first request.
    private func awaitingFirstRequest(context: ChannelHandlerContext) -> Bool {
        (try? context.pipeline.syncOperations.handler(type: UpgradeHandler.self)) != nil
    }

    /// Closes the connection. While the upgrade handler still waits for the first request, it is told
    /// the input ended instead, so it closes the connection itself and Hummingbird logs that as the
    /// ordinary end it is (a plain close would be logged as an error for every refused or idle connection).
    private func closeQuietly(context: ChannelHandlerContext) {
        if awaitingFirstRequest(context: context),
            let decoder = try? context.pipeline.syncOperations.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
        {
            decoder.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        }
        context.close(promise: nil)
    }
}
