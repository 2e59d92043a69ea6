import Logging
import PostgresNIO

extension Logger {
    /// Logs that something failed, with its real cause (`FailureCause`). An expected cancellation
    /// (a request or socket that ended, a restart, a shutdown) is logged at debug, not at `level`.
    func failure(
        _ message: @autoclosure () -> Logger.Message, _ error: any Error, level: Logger.Level = .warning, metadata: Logger.Metadata = [:],
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        var metadata = metadata
        metadata["error"] = "\(FailureCause(error))"
        log(level: FailureCause.isCancellation(error) ? .debug : level, message(), metadata: metadata, file: file, function: function, line: line)
    }
}

/// What an error says in a log line. PostgresNIO's `PSQLError` describes itself only as "Generic
/// description to prevent accidental leakage of sensitive data"; its full reflection carries the
/// query's bound values (e-mail addresses, hashes). This names its kind, the server's SQLSTATE and
/// message, and the underlying network error, without the values.
struct FailureCause: CustomStringConvertible {
    let error: any Error

    init(_ error: any Error) { self.error = error }

    var description: String {
        switch error {
        case let error as PSQLError:
            var parts = ["PSQLError \(error.code)"]
            if let state = error.serverInfo?[.sqlState] { parts.append("SQLSTATE \(state)") }
            if let message = error.serverInfo?[.message] { parts.append(message) }
            if let underlying = error.underlying { parts.append("caused by \(FailureCause(underlying))") }
            return parts.joined(separator: ": ")
        case let error as PostgresTransactionError:
            let inner: (any Error)? = error.closureError ?? error.beginError ?? error.commitError
            return inner.map { "\(FailureCause($0))" } ?? String(describing: error)
        default:
            return String(describing: error)
        }
    }

    /// A cancellation is how structured concurrency ends work nobody waits for any more.
    static func isCancellation(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let error = error as? PSQLError, error.code == .queryCancelled { return true }
        return false
    }
}
