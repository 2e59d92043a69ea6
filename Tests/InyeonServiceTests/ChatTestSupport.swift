import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import InyeonService
import Logging
import NIOWebSocket
import Synchronization
import Testing

/// Runs `test` against the application served on a real port (WebSockets need a live server).
func withLiveAccounts(
    _ overrides: [String: String] = [:],
    outbox: String = AccountHelper.outboxDirectory(),
    _ test: @Sendable @escaping (AccountHelper, Int) async throws -> Void
) async throws {
    let settings = overrides.merging(["MAIL_OUTBOX_DIR": outbox, "TRUST_PROXY": "true", "FEATURE_REAL_TIME_CHAT": "true"]) { mine, _ in mine }
    let app = try await buildApplication(configuration: try TestDatabase.configuration(settings), logger: TestDatabase.logger)
    try await app.test(.live) { client in
        guard let port = client.port else { throw TestSetupError("the live test server has no port") }
        try await test(AccountHelper(client: client, outbox: outbox), port)
    }
}

/// Two people who liked each other, and their conversation.
struct ChatPair {
    var first: MatchLifecycleTests.Member
    var second: MatchLifecycleTests.Member
    var conversation: String

    static func make(_ accounts: AccountHelper) async throws -> ChatPair {
        let first = try await MatchLifecycleTests.member(accounts, "female", name: "김정숙")
        let second = try await MatchLifecycleTests.member(accounts, "male", name: "박영수")
        _ = try await MatchLifecycleTests.decide(accounts, first, "like", about: second)
        let matched = try await MatchLifecycleTests.decide(accounts, second, "like", about: first)
        guard let conversation = matched["data.matchId"] as? String else { throw TestSetupError("no match: \(matched.object)") }
        return ChatPair(first: first, second: second, conversation: conversation)
    }
}

extension AccountHelper {
    func ticket(for member: MatchLifecycleTests.Member) async throws -> String {
        let response = try await post("/api/auth/websocket-ticket", [:], token: member.token)
        #expect(response.status == .ok, "\(response.text)")
        guard let ticket = try JSONBody(response)["data.ticket"] as? String else { throw TestSetupError("no ticket") }
        return ticket
    }
}

/// A real WebSocket client of the chat socket, driven step by step: frames arrive in a buffer
/// that `next` reads (waiting up to a timeout), and `send` writes one JSON frame.
final class ChatTestSocket: Sendable {
    struct Frame: @unchecked Sendable {
        let text: String
        let json: [String: Any]
        var type: String { json["type"] as? String ?? "" }
        subscript(path: String) -> Any? {
            var current: Any? = json
            for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
            return current
        }
    }

    /// Frames received so far, how many `next` has handed out, and whether the connection ended.
    final class Inbox: Sendable {
        let state = Mutex<(frames: [String], read: Int, ended: Bool)>(([], 0, false))
    }

    private let inbox = Inbox()
    private let outgoing: AsyncStream<String>.Continuation
    private let task: Task<WebSocketCloseFrame?, any Error>

    private init(url: String) {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        outgoing = continuation
        let inbox = self.inbox
        task = Task {
            defer { inbox.state.withLock { $0.ended = true } }
            return try await WebSocketClient.connect(url: url, logger: TestDatabase.logger) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await text in stream { try await outbound.write(.text(text)) }
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            if case .text(let text) = message { inbox.state.withLock { $0.frames.append(text) } }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    /// Opens the socket and waits for `ready` (which comes after any missed messages).
    static func open(port: Int, conversation: String, ticket: String, query: String = "") async throws -> ChatTestSocket {
        let socket = ChatTestSocket(url: "ws://localhost:\(port)/api/conversations/\(conversation)/socket?ticket=\(ticket)\(query)")
        guard try await socket.waitForReady() else {
            _ = try await socket.task.value
            throw TestSetupError("the socket closed before it was ready")
        }
        return socket
    }

    /// Whether the server refuses to open the socket (before any frame).
    static func isRefused(port: Int, conversation: String, ticket: String) async -> Bool {
        let socket = ChatTestSocket(url: "ws://localhost:\(port)/api/conversations/\(conversation)/socket?ticket=\(ticket)")
        if (try? await socket.waitForReady()) == true {
            await socket.close()
            return false
        }
        do {
            _ = try await socket.task.value
            return socket.inbox.state.withLock { $0.frames.isEmpty }
        } catch {
            return true
        }
    }

    private func waitForReady() async throws -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(10) {
            let (ready, ended) = inbox.state.withLock { state in (state.frames.contains { $0.contains(#""type":"ready""#) }, state.ended) }
            if ready { return true }
            if ended { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    func send(_ object: [String: Any]) throws {
        outgoing.yield(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    func sendRaw(_ text: String) {
        outgoing.yield(text)
    }

    /// The next frame not read yet, skipping frames whose type is in `skipping`; nil after `timeout`.
    func next(skipping: Set<String> = ["ready"], timeout: Duration = .seconds(5)) async throws -> Frame? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            let text: String? = inbox.state.withLock { state in
                guard state.read < state.frames.count else { return nil }
                defer { state.read += 1 }
                return state.frames[state.read]
            }
            if let text {
                let json = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
                let frame = Frame(text: text, json: json)
                if skipping.contains(frame.type) { continue }
                return frame
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        return nil
    }

    /// The next frame of `type`, skipping others.
    func next(_ type: String, timeout: Duration = .seconds(5)) async throws -> Frame? {
        let start = ContinuousClock.now
        while let frame = try await next(skipping: [], timeout: timeout - (ContinuousClock.now - start)) {
            if frame.type == type { return frame }
        }
        return nil
    }

    /// Every frame that arrives within `window` (unread ones first).
    func drain(for window: Duration) async throws -> [Frame] {
        var frames: [Frame] = []
        let start = ContinuousClock.now
        while ContinuousClock.now - start < window {
            if let frame = try await next(skipping: [], timeout: .milliseconds(20)) { frames.append(frame) }
        }
        return frames
    }

    /// Closes from the client's side and waits until the connection has ended.
    func close() async {
        outgoing.finish()
        _ = try? await task.value
    }

    /// Waits for the server to end the connection; its close frame.
    func closedByServer(timeout: Duration = .seconds(5)) async throws -> WebSocketCloseFrame? {
        try await withThrowingTaskGroup(of: WebSocketCloseFrame?.self) { group in
            group.addTask { try await self.task.value }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TestSetupError("the server did not close the socket within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// Drops the connection without a goodbye (as a phone losing its signal would), by cancelling the client.
    func drop() async {
        task.cancel()
        _ = try? await task.value
    }
}
