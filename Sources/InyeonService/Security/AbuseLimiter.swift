import Foundation
import Hummingbird
import Synchronization

/// Refuses, for a while, an address that keeps presenting invalid tokens (probing, or a broken client
/// hammering). Kept per instance, in memory: it protects this process's CPU, which is what a flood costs.
final class AbuseLimiter: Sendable {
    let threshold: Int
    let window: Duration
    let blockFor: Duration
    private let entries = Mutex<[String: Entry]>([:])

    struct Entry {
        var windowStart: ContinuousClock.Instant
        var count: Int
        var blockedUntil: ContinuousClock.Instant?
    }

    init(threshold: Int = 20, window: Duration = .seconds(60), blockFor: Duration = .seconds(300)) {
        self.threshold = threshold
        self.window = window
        self.blockFor = blockFor
    }

    /// Seconds the address must still wait, or nil when it may go ahead.
    func retryAfter(for address: String, now: ContinuousClock.Instant = .now) -> Int? {
        entries.withLock { entries in
            guard let until = entries[address]?.blockedUntil, until > now else { return nil }
            return max(1, Int((until - now).components.seconds))
        }
    }

    /// Counts a failure; true when this one tipped the address into a block.
    func recordFailure(from address: String, now: ContinuousClock.Instant = .now) -> Bool {
        entries.withLock { entries in
            if entries.count > 10_000 { entries = entries.filter { $0.value.blockedUntil.map { $0 > now } ?? false } }
            var entry = entries[address] ?? Entry(windowStart: now, count: 0, blockedUntil: nil)
            if now - entry.windowStart > window { entry = Entry(windowStart: now, count: 0, blockedUntil: nil) }
            entry.count += 1
            let tipped = entry.count == threshold
            if tipped { entry.blockedUntil = now + blockFor }
            entries[address] = entry
            return tipped
        }
    }
}

/// 429 with `Retry-After`, in the envelope (or 503, when the whole service is busy rather than the caller too eager).
struct RateLimitedError: HTTPResponseError {
    var retryAfterSeconds: Int
    var code = "TOO_MANY_REQUESTS"
    var message = "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."
    var status: HTTPResponse.Status = .tooManyRequests

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try APIError(status, code: code, message: message).response(from: request, context: context)
        response.headers[.retryAfter] = String(retryAfterSeconds)
        return response
    }
}
