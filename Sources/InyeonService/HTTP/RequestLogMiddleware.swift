import Hummingbird
import Logging

/// One log line per request, when it ends: method, path, status and duration, on the request's
/// logger (so with its id). A line at the start says nothing about how it went; this one does.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: Int(response.status.code), start: start)
            return response
        } catch {
            log(request, context: context, status: Int((error as? any HTTPResponseError)?.status.code ?? 500), start: start)
            throw error
        }
    }

    func log(_ request: Request, context: Context, status: Int, start: ContinuousClock.Instant) {
        let elapsed = (ContinuousClock.now - start).components
        let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        context.logger.log(
            level: status >= 500 ? .warning : .info, "\(request.method) \(request.uri.path) \(status)",
            metadata: ["status": "\(status)", "duration_ms": "\((milliseconds * 10).rounded() / 10)"]
        )
    }
}
