import Hummingbird
import Logging

/// Counts every request and times it, labelled by the matched route (never the raw path, so ids do
/// not explode the label set) and by status, and leaves one log line when it ends (method, path,
/// status, duration, on the request's logger so with its id): a line at the start would say
/// nothing about how it went.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: Int(response.status.code), start: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context: context, status: Int(status), start: start)
            throw error
        }
    }

    func record(_ request: Request, context: Context, status: Int, start: ContinuousClock.Instant) {
        let duration = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(method: request.method.rawValue, route: route, status: status, duration: duration)
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        context.logger.log(
            level: status >= 500 ? .warning : .info, "\(request.method) \(request.uri.path) \(status)",
            metadata: ["status": "\(status)", "duration_ms": "\((milliseconds * 10).rounded() / 10)"]
        )
    }
}
