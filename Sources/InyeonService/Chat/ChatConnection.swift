import Foundation
import Synchronization

/// One open chat socket, as its instance's hub sees it: who it is, which conversation, and the
/// ordered stream of frames waiting to be written to it.
final class ChatConnection: Sendable {
    enum Frame: Sendable {
        case text(String)
        /// Close the socket with this code (4000-4999 are the service's own) and reason.
        case close(code: UInt16, reason: String)
    }

    /// Close codes the service uses.
    enum CloseCode {
        /// Reconnect and resume from the last sequence seen: this instance lost track of events, or
        /// it is shutting down (the reason then says so).
        static let resume: UInt16 = 4000
        static let restartingReason = "server restarting: reconnect and resume"
        /// The conversation ended: unmatched or blocked.
        static let conversationClosed: UInt16 = 4001
        /// The client did not read its frames fast enough; reconnect and resume.
        static let tooSlow: UInt16 = 4008
        /// Too many frames that could not be understood.
        static let misbehaving: UInt16 = 1008
        /// The session the socket was opened in ended (logout, logout everywhere, a password change,
        /// suspension, account deletion): sign in again before reconnecting.
        static let sessionEnded: UInt16 = 4401
    }

    let id: Int
    let userID: UUID
    let sessionID: UUID
    let conversationID: UUID
    let korean: Bool
    /// "instance/connection": events this socket caused are not echoed back to it.
    let origin: String
    let frames: AsyncStream<Frame>
    private let continuation: AsyncStream<Frame>.Continuation
    private let state = Mutex(State())

    private struct State {
        /// Until the missed messages are written, live events wait here, so the client sees them in order.
        var holding = true
        var held: [ChatEvent] = []
        /// The highest message revision written to this socket: older or repeated events are skipped.
        var highestRevision: Int64 = 0
        var closed = false
        /// The code the service closed the socket with (nil: the client ended it, or it broke).
        var closedWith: UInt16?
        /// A client frame is being handled now (a send may be committing; its ack must go out first).
        var handling = false
        /// Close once the frame being handled is answered; no further frames are taken.
        var closeWhenIdle: (code: UInt16, reason: String)?
    }

    /// Frames waiting to be written beyond this, and the client is too slow: it is closed and resumes later.
    static let bufferLimit = 2_000

    init(id: Int, userID: UUID, sessionID: UUID, conversationID: UUID, korean: Bool, instance: String) {
        self.id = id
        self.userID = userID
        self.sessionID = sessionID
        self.conversationID = conversationID
        self.korean = korean
        self.origin = "\(instance)/\(id)"
        (frames, continuation) = AsyncStream.makeStream(of: Frame.self, bufferingPolicy: .bufferingOldest(Self.bufferLimit))
    }

    /// Writes a frame that answers this socket directly (ready, ack, error, missed messages).
    func send(_ text: String) {
        let result = continuation.yield(.text(text))
        if case .dropped = result { close(code: CloseCode.tooSlow, reason: "too slow: reconnect and resume") }
    }

    /// Marks missed messages up to `revision` as written and passes on the events that waited meanwhile.
    func release(afterRevision revision: Int64) {
        let waiting = state.withLock { state in
            state.holding = false
            state.highestRevision = max(state.highestRevision, revision)
            defer { state.held = [] }
            return state.held
        }
        for event in waiting { deliver(event) }
    }

    /// Passes a hub event on to this socket (in the order the hub receives them).
    func deliver(_ event: ChatEvent) {
        let frame: String? = state.withLock { state in
            if state.closed { return nil }
            if state.holding {
                state.held.append(event)
                return nil
            }
            switch event.kind {
            case .message, .messageReference:
                guard let message = event.message, message.revision > state.highestRevision else { return nil }
                state.highestRevision = message.revision
                if event.origin == origin { return nil }
                return ChatJSON.string(ServerFrame.message(ChatMessage(message, viewer: userID, korean: korean)))
            case .typing:
                guard let user = event.user, user != userID else { return nil }
                return ChatJSON.string(ServerFrame.typing(user: user))
            case .read:
                guard let user = event.user, let sequence = event.sequence, event.origin != origin else { return nil }
                return ChatJSON.string(ServerFrame.read(user: user, sequence: sequence))
            case .closed:
                return nil
            }
        }
        if event.kind == .closed {
            send(ChatJSON.string(ServerFrame.closed(korean: korean)))
            close(code: CloseCode.conversationClosed, reason: "conversation closed")
        } else if let frame {
            send(frame)
        }
    }

    /// Ends the socket: the writer sends a close frame and stops.
    func close(code: UInt16, reason: String) {
        let first = state.withLock { state in
            defer { state.closed = true }
            if !state.closed { state.closedWith = code }
            return !state.closed
        }
        guard first else { return }
        continuation.yield(.close(code: code, reason: reason))
        continuation.finish()
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// The code the service closed the socket with, if it did.
    var closedWith: UInt16? { state.withLock { $0.closedWith } }

    /// Takes the next client frame for handling, unless the socket is closing (then the frame is
    /// left unanswered: the client sends it again after resuming, under the same client id).
    func beginHandling() -> Bool {
        state.withLock { state in
            guard !state.closed, state.closeWhenIdle == nil else { return false }
            state.handling = true
            return true
        }
    }

    /// The frame taken by `beginHandling` is answered; a close that waited for it goes out now.
    func endHandling() {
        let pending = state.withLock { state in
            state.handling = false
            return state.closeWhenIdle
        }
        if let pending { close(code: pending.code, reason: pending.reason) }
    }

    /// Closes after the frame being handled (if any) is answered, so a committed send keeps its ack.
    func closeWhenIdle(code: UInt16, reason: String) {
        let now = state.withLock { state in
            if state.closeWhenIdle == nil { state.closeWhenIdle = (code, reason) }
            return !state.handling
        }
        if now { close(code: code, reason: reason) }
    }

    /// The socket ended from the client's side.
    func finish() {
        state.withLock { $0.closed = true }
        continuation.finish()
    }
}
