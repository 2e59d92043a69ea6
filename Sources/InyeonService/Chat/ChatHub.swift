import Foundation
import Logging
import PostgresNIO
import Synchronization

/// This instance's open chat sockets, by conversation. Every event reaches it through PostgreSQL
/// (`LISTEN chat_events`), also the events of this instance's own sockets, so two people on two
/// instances talk exactly as two people on one.
final class ChatHub: Sendable {
    static let channel = "chat_events"

    struct Limits: Sendable {
        /// Open sockets one person may hold on one instance.
        var socketsPerPerson = 8
        /// Open sockets one instance holds at most.
        var socketsPerInstance = 20_000
    }

    enum Refusal: Error {
        case tooManyForPerson, tooManyForInstance
        /// The instance is shutting down.
        case stopping
    }

    let instanceID = UUID().uuidString.lowercased().prefix(8).description
    let limits: Limits
    private let repository: ChatRepository
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var nextID = 1
        var byConversation: [UUID: [Int: ChatConnection]] = [:]
        var perPerson: [UUID: Int] = [:]
        var total = 0
        /// Set once the instance starts closing its sockets for shutdown.
        var stopping = false
    }

    init(repository: ChatRepository, limits: Limits = Limits(), logger: Logger) {
        self.repository = repository
        self.limits = limits
        self.logger = logger
    }

    /// Whether one more socket for `userID` would be admitted now.
    func hasRoom(for userID: UUID) -> Bool {
        state.withLock { !$0.stopping && $0.total < limits.socketsPerInstance && $0.perPerson[userID, default: 0] < limits.socketsPerPerson }
    }

    var openSockets: Int { state.withLock { $0.total } }

    func register(user: UUID, session: UUID, conversation: UUID, korean: Bool) throws(Refusal) -> ChatConnection {
        try state.withLock { state throws(Refusal) in
            guard !state.stopping else { throw .stopping }
            guard state.total < limits.socketsPerInstance else { throw .tooManyForInstance }
            guard state.perPerson[user, default: 0] < limits.socketsPerPerson else { throw .tooManyForPerson }
            let connection = ChatConnection(
                id: state.nextID, userID: user, sessionID: session, conversationID: conversation, korean: korean, instance: instanceID
            )
            state.nextID += 1
            state.byConversation[conversation, default: [:]][connection.id] = connection
            state.perPerson[user, default: 0] += 1
            state.total += 1
            return connection
        }
    }

    func unregister(_ connection: ChatConnection) {
        state.withLock { state in
            guard state.byConversation[connection.conversationID]?.removeValue(forKey: connection.id) != nil else { return }
            if state.byConversation[connection.conversationID]?.isEmpty == true { state.byConversation[connection.conversationID] = nil }
            state.perPerson[connection.userID, default: 1] -= 1
            if state.perPerson[connection.userID] == 0 { state.perPerson[connection.userID] = nil }
            state.total -= 1
        }
    }

    // MARK: Events

    /// Tells every instance, when the surrounding transaction commits.
    static func announce(_ event: ChatEvent, on connection: DatabaseConnection, logger: Logger) async throws {
        var payload = ChatJSON.string(event)
        if payload.utf8.count > ChatEvent.payloadLimit, let message = event.message {
            var reference = event
            reference.kind = .messageReference
            reference.message = nil
            reference.sequence = message.sequence
            payload = ChatJSON.string(reference)
        }
        try await DatabaseNotifications.notify(channel, payload, on: connection, logger: logger)
    }

    /// A notification from PostgreSQL (nil: the listener reconnected and events may have been missed).
    func receive(_ payload: String?) async {
        guard let payload else { return await resynchronise() }
        guard var event = try? ChatJSON.decoder().decode(ChatEvent.self, from: Data(payload.utf8)) else {
            logger.warning("unreadable chat event", metadata: ["payload": "\(payload.prefix(200))"])
            return
        }
        let sockets = connections(in: event.conversation)
        guard !sockets.isEmpty else { return }
        if event.kind == .messageReference, let sequence = event.sequence {
            do {
                event.message = try await repository.message(sequence, in: event.conversation, logger: logger)
            } catch {
                logger.failure("could not read a large message; its sockets will resume", error)
                for socket in sockets { socket.close(code: ChatConnection.CloseCode.resume, reason: "reconnect and resume") }
                return
            }
        }
        for socket in sockets { socket.deliver(event) }
    }

    // MARK: Sessions

    /// Where PostgreSQL announces ended sessions (a trigger on `sessions`, and suspension on `accounts`).
    static let sessionsChannel = "inyeon_sessions"

    struct SessionEnd: Decodable {
        /// Absent: every session of the person ended (suspension).
        var session: UUID?
        var user: UUID
    }

    /// An ended session: its sockets on this instance close at once (4401). Nil (the listener
    /// reconnected) needs nothing here: `receive(nil)` already makes every socket reconnect, and a
    /// reconnect needs a ticket, which an ended session cannot have.
    func sessionEnded(_ payload: String?) {
        guard let payload else { return }
        guard let ended = try? JSONDecoder().decode(SessionEnd.self, from: Data(payload.utf8)) else {
            logger.warning("unreadable session event", metadata: ["payload": "\(payload.prefix(200))"])
            return
        }
        let sockets = state.withLock { state in
            state.byConversation.values.flatMap(\.values).filter { $0.userID == ended.user && (ended.session == nil || $0.sessionID == ended.session) }
        }
        for socket in sockets { socket.close(code: ChatConnection.CloseCode.sessionEnded, reason: "session ended") }
    }

    /// The instance is stopping: no socket is admitted any more, and every open one closes with
    /// 4000 (reconnect and resume, on another instance) once the frame it is handling is answered.
    /// Returns how many sockets were asked to close.
    func closeAllForShutdown() -> Int {
        let all = state.withLock { state in
            state.stopping = true
            return state.byConversation.values.flatMap(\.values)
        }
        for socket in all { socket.closeWhenIdle(code: ChatConnection.CloseCode.resume, reason: ChatConnection.CloseCode.restartingReason) }
        return all.count
    }

    var isStopping: Bool { state.withLock { $0.stopping } }

    private func connections(in conversation: UUID) -> [ChatConnection] {
        state.withLock { $0.byConversation[conversation].map { Array($0.values) } ?? [] }
    }

    /// After the listener reconnects, events sent meanwhile are lost: sockets of conversations that
    /// ended close, and the others are asked to reconnect and resume from their last sequence.
    private func resynchronise() async {
        let all = state.withLock { $0.byConversation.values.flatMap(\.values) }
        guard !all.isEmpty else { return }
        let open = (try? await repository.stillOpen(Array(Set(all.map(\.conversationID))), logger: logger)) ?? []
        for socket in all {
            if open.contains(socket.conversationID) {
                socket.close(code: ChatConnection.CloseCode.resume, reason: "reconnect and resume")
            } else {
                socket.deliver(ChatEvent(kind: .closed, conversation: socket.conversationID))
            }
        }
    }
}
