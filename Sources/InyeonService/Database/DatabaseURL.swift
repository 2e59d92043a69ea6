import Foundation
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=...` address.
public struct DatabaseURL: Sendable, Equatable {
    public static let accepted = "postgres://user:password@host:port/database (sslmode=disable|prefer|require optional)"

    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode

    public init?(_ text: String) {
        guard let components = URLComponents(string: text),
            ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty,
            let username = components.user, !username.isEmpty
        else { return nil }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { return nil }
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value
        let isLocal = ["localhost", "127.0.0.1", "::1"].contains(host)
        guard let tlsMode = sslmode.map({ TLSMode(rawValue: $0) }) ?? (isLocal ? .disable : .prefer) else { return nil }
        self.host = host
        self.port = components.port ?? 5432
        self.username = username.removingPercentEncoding ?? username
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.tlsMode = tlsMode
    }

    func clientConfiguration(poolSize: Int) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch tlsMode {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
        configuration.options.maximumConnections = poolSize
        configuration.options.connectTimeout = .seconds(3)
        // TCP keepalive on the server's end of every connection (the client library sets no socket
        // options): a backend whose client has vanished behind a broken path is found and ended.
        configuration.options.additionalStartupParameters = [
            ("tcp_keepalives_idle", "30"), ("tcp_keepalives_interval", "10"), ("tcp_keepalives_count", "3"),
        ]
        return configuration
    }

    /// The address with the password hidden, for logs and health output.
    public var redacted: String { "postgres://\(username)@\(host):\(port)/\(database)" }
}
