import NIOPosix
import ServiceLifecycle
import Synchronization

/// The threads that decode photos, apart from NIO's shared pool (password hashing, file reads), so a
/// burst of heavy uploads never makes a login wait. An upload takes a place before its body is read
/// and keeps it until its photo is stored: at most `threads` decode at once, at most `queueLimit`
/// more wait, and the rest are told to come back (503 with `Retry-After`). Memory is so bounded by
/// places × (10 MB of body + one decoded 1600 px image), however many upload at once.
final class PhotoDecodePool: Service, Sendable {
    let threads: Int
    let queueLimit: Int
    private let pool: NIOThreadPool
    private let taken = Mutex(0)

    init(threads: Int, queueLimit: Int) {
        self.threads = threads
        self.queueLimit = queueLimit
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    /// One place, or nil when every thread is busy and the queue is full. `leave()` gives it back.
    func enter() -> Bool {
        taken.withLock { taken in
            guard taken < threads + queueLimit else { return false }
            taken += 1
            return true
        }
    }

    func leave() {
        taken.withLock { $0 = max(0, $0 - 1) }
    }

    /// Places taken now (decoding or waiting).
    var inUse: Int { taken.withLock { $0 } }

    /// Runs `work` on one of the photo threads (the caller holds a place).
    func run<Result: Sendable>(_ work: @Sendable @escaping () throws -> Result) async throws -> Result {
        try await pool.runIfActive(work)
    }

    func run() async throws {
        try? await gracefulShutdown()
        try await pool.shutdownGracefully()
    }

    /// A pool never run as a service (a router built alone, in a test) still stops its threads.
    deinit {
        pool.shutdownGracefully { _ in }
    }
}
