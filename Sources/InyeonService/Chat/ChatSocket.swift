import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOWebSocket
import Synchronization

/// The request context of the socket router: what the admission check found, for the socket handler.
struct ChatSocketRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let admitted = AdmittedSlot()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
    }
}

/// Carries the admission from the upgrade check to the socket handler.
final class AdmittedSlot: Sendable {
    private let value = Mutex<ChatAdmission.Admitted?>(nil)

    func set(_ admitted: ChatAdmission.Admitted) { value.withLock { $0 = admitted } }
    func get() -> ChatAdmission.Admitted? { value.withLock { $0 } }
}

/// `GET /api/conversations/:conversationId/socket?ticket=…&after=…&afterRevision=…&lang=ko|en`:
/// one conversation's live socket. See `ClientFrame` and `ServerFrame` for what travels over it.
struct ChatSocket: Sendable {
    static let path = "/api/conversations/:conversationId/socket"
    /// Largest frame or message accepted (a 2,000-character message is at most about 8 KB of UTF-8).
    static let maxFrameSize = 16_384
    /// After this many frames that could not be understood, the socket is closed.
    static let misbehaviourLimit = 20

    let service: ChatService
    let admission: ChatAdmission
    /// Each socket's end, counted into the rollout cohorts (a broken one is a drop).
    var cohorts: (counter: CohortCounter, flags: FlagStore)?

    func addRoutes(to router: Router<ChatSocketRequestContext>) {
        router.ws(RouterPath(Self.path)) { request, context in
            do {
                let admitted = try await admission.admit(
                    request, conversation: context.parameters.get("conversationId"), spend: true, logger: context.logger
                )
                context.admitted.set(admitted)
                return .upgrade([:])
            } catch {
                context.logger.info("chat socket refused", metadata: ["reason": "\((error as? APIError)?.code ?? "\(error)")"])
                return .dontUpgrade
            }
        } onUpgrade: { inbound, outbound, context in
            guard let admitted = context.requestContext.admitted.get() else { return }
            await run(admitted, inbound: inbound, outbound: outbound, logger: context.logger)
        }
    }

    func run(_ admitted: ChatAdmission.Admitted, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async {
        let connection: ChatConnection
        do {
            connection = try service.hub.register(
                user: admitted.userID, session: admitted.sessionID, conversation: admitted.conversationID, korean: admitted.korean
            )
        } catch .stopping {
            try? await outbound.close(.unknown(ChatConnection.CloseCode.resume), reason: ChatConnection.CloseCode.restartingReason)
            return
        } catch {
            try? await outbound.close(.unknown(1013), reason: "too many connections")
            return
        }
        service.metrics.recordChatSockets(open: service.hub.openSockets)
        defer {
            service.hub.unregister(connection)
            service.metrics.recordChatSockets(open: service.hub.openSockets)
        }
        // Whether the client's side ended cleanly (nil when the writer ended first: the service closed it).
        let readEnded: Bool? = await withTaskGroup(of: Bool?.self) { group in
            group.addTask {
                await write(connection, to: outbound, logger: logger)
                return nil
            }
            group.addTask {
                await catchUp(connection, admitted, logger: logger)
                let ended = await read(inbound, for: connection, admitted, logger: logger)
                connection.finish()
                return ended
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if let cohorts {
            // A drop: the socket broke, or the service closed it for a reason of its own (not a
            // session or conversation that ended, which the person chose).
            let closedWith = connection.closedWith
            let dropped = readEnded == false
                || closedWith.map { ![ChatConnection.CloseCode.sessionEnded, ChatConnection.CloseCode.conversationClosed].contains($0) } ?? false
            cohorts.counter.recordSocketEnd(person: admitted.userID, dropped: dropped, flags: cohorts.flags)
        }
    }

    /// Writes the connection's frames in order until it closes.
    private func write(_ connection: ChatConnection, to outbound: WebSocketOutboundWriter, logger: Logger) async {
        do {
            for await frame in connection.frames {
                switch frame {
                case .text(let text): try await outbound.write(.text(text))
                case .close(let code, let reason):
                    try await outbound.close(.unknown(code), reason: reason)
                    return
                }
            }
        } catch {
            logger.debug("chat socket write ended", metadata: ["error": "\(error)"])
        }
    }

    /// Sends what the client missed, then `ready`, then lets live events through.
    private func catchUp(_ connection: ChatConnection, _ admitted: ChatAdmission.Admitted, logger: Logger) async {
        var highestRevision: Int64 = 0
        do {
            if let afterSequence = admitted.afterSequence {
                var sequence = afterSequence, revision = admitted.afterRevision ?? 0
                while true {
                    let missed = try await service.repository.missed(
                        in: admitted.conversationID, for: admitted.userID, afterSequence: sequence, afterRevision: revision, limit: 200,
                        logger: logger
                    )
                    for message in missed {
                        connection.send(ChatJSON.string(ServerFrame.message(ChatMessage(message, viewer: admitted.userID, korean: admitted.korean))))
                        highestRevision = max(highestRevision, message.revision)
                        sequence = max(sequence, message.sequence)
                    }
                    revision = max(revision, highestRevision)
                    if missed.count < 200 { break }
                }
            }
            let (last, partnerRead) = try await service.repository.partnerReadSequence(
                in: admitted.conversationID, for: admitted.userID, logger: logger
            )
            connection.send(ChatJSON.string(ServerFrame.ready(user: admitted.userID, lastSequence: last, partnerReadSequence: partnerRead)))
            // Live events at or below what was just sent are skipped; the rest follow in order.
            connection.release(afterRevision: admitted.afterSequence == nil ? 0 : highestRevision)
        } catch {
            logger.failure("chat catch-up failed; the client should resume", error)
            connection.close(code: ChatConnection.CloseCode.resume, reason: "reconnect and resume")
        }
    }

    /// Handles the client's frames one at a time (so its messages are stored in the order it sent them).
    /// False when the socket broke (rather than closed).
    @discardableResult
    private func read(_ inbound: WebSocketInboundStream, for connection: ChatConnection, _ admitted: ChatAdmission.Admitted,
                      logger: Logger) async -> Bool {
        var misunderstood = 0
        var lastTyping: ContinuousClock.Instant?
        do {
            for try await message in inbound.messages(maxSize: Self.maxFrameSize) {
                guard case .text(let text) = message, let frame = try? ChatJSON.decoder().decode(ClientFrame.self, from: Data(text.utf8)) else {
                    misunderstood += 1
                    connection.send(ChatJSON.string(ServerFrame.error(
                        .badRequest("INVALID_FRAME", "이해할 수 없는 메시지 형식입니다. JSON 텍스트 프레임으로 보내 주세요."), clientID: nil
                    )))
                    if misunderstood >= Self.misbehaviourLimit {
                        connection.close(code: ChatConnection.CloseCode.misbehaving, reason: "too many invalid frames")
                        return true
                    }
                    continue
                }
                if frame.type == "typing" {
                    let now = ContinuousClock.now
                    if let lastTyping, now - lastTyping < .seconds(1) { continue }
                    lastTyping = now
                }
                guard connection.beginHandling() else { continue }
                await handle(frame, for: connection, admitted, logger: logger)
                connection.endHandling()
            }
        } catch {
            logger.debug("chat socket read ended", metadata: ["error": "\(error)"])
            return false
        }
        return true
    }

    private func handle(_ frame: ClientFrame, for connection: ChatConnection, _ admitted: ChatAdmission.Admitted, logger: Logger) async {
        let (user, conversation, origin) = (admitted.userID, admitted.conversationID, connection.origin)
        do {
            // What changes the conversation checks that the session is still open (its end also closes the
            // socket through PostgreSQL's notification; this covers the moment in between).
            if ["send", "edit", "delete", "read"].contains(frame.type) {
                guard !connection.isClosed, try await admission.accounts.tokens.isSessionActive(admitted.sessionID, userID: user, logger: logger) else {
                    connection.close(code: ChatConnection.CloseCode.sessionEnded, reason: "session ended")
                    return
                }
            }
            switch frame.type {
            case "send":
                guard let text = frame.text, let clientID = frame.clientId else {
                    throw APIError.badRequest("INVALID_FRAME", "send에는 clientId와 text가 필요합니다.")
                }
                let outcome = try await service.send(text, clientID: clientID, in: conversation, from: user, origin: origin, requestID: nil, logger: logger)
                connection.send(ChatJSON.string(ServerFrame.ack(
                    ChatMessage(outcome.message, viewer: user, korean: admitted.korean), clientID: clientID, duplicate: outcome.duplicate
                )))
            case "edit", "delete":
                guard let sequence = frame.sequence else { throw APIError.badRequest("INVALID_FRAME", "\(frame.type)에는 sequence가 필요합니다.") }
                let changed: StoredMessage
                if frame.type == "edit" {
                    guard let text = frame.text else { throw APIError.badRequest("INVALID_FRAME", "edit에는 text가 필요합니다.") }
                    changed = try await service.edit(sequence: sequence, to: text, in: conversation, by: user, origin: origin, requestID: nil, logger: logger)
                } else {
                    changed = try await service.delete(sequence: sequence, in: conversation, by: user, origin: origin, requestID: nil, logger: logger)
                }
                connection.send(ChatJSON.string(ServerFrame.ack(ChatMessage(changed, viewer: user, korean: admitted.korean), clientID: nil, duplicate: false)))
            case "read":
                guard let sequence = frame.sequence else { throw APIError.badRequest("INVALID_FRAME", "read에는 sequence가 필요합니다.") }
                _ = try await service.markRead(upTo: sequence, in: conversation, by: user, origin: origin, logger: logger)
            case "typing":
                try await service.typing(in: conversation, by: user, logger: logger)
            case "ping":
                connection.send(ChatJSON.string(ServerFrame.pong))
            default:
                throw APIError.badRequest("INVALID_FRAME", "알 수 없는 type입니다: send, edit, delete, read, typing, ping 중 하나를 보내 주세요.")
            }
        } catch let error as RateLimitedError {
            connection.send(ChatJSON.string(ServerFrame.error(
                APIError(.tooManyRequests, code: error.code, message: error.message), clientID: frame.clientId
            )))
        } catch let error as APIError {
            if error.code == ChatService.conversationNotFound.code {
                connection.deliver(ChatEvent(kind: .closed, conversation: conversation))
            } else {
                connection.send(ChatJSON.string(ServerFrame.error(error, clientID: frame.clientId)))
            }
        } catch {
            logger.failure("chat action failed", error)
            connection.send(ChatJSON.string(ServerFrame.error(
                APIError(.serviceUnavailable, code: "TRY_AGAIN", message: "잠시 문제가 있어 저장하지 못했습니다. 같은 clientId로 다시 보내 주세요."),
                clientID: frame.clientId
            )))
        }
    }
}
