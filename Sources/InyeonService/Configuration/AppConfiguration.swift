import Configuration
import Foundation
import InyeonCore
import Logging
import SystemPackage

/// Everything the service reads from its environment, validated once at start-up.
///
/// Read through one `ConfigReader` (environment, then `.env`, then defaults); every variable is
/// documented in `.env.example`. A bad value stops start-up with one line naming it.
/// The insight providers: an OpenAI-compatible one when a key is set, the local writer always.
public struct InsightSettings: Sendable {
    public var apiKey: String?
    public var baseURL: String
    public var model: String
    public var deadlineMilliseconds: Int
    public var breakerFailures: Int
    public var breakerCoolDownMilliseconds: Int
}

public struct AppConfiguration: Sendable {
    public enum Environment: String, Sendable {
        case development, production
    }

    public var environment: Environment
    public var host: String
    public var port: Int
    public var databaseURL: DatabaseURL
    /// The owner role's connection, used only to migrate. Without it, migrations run as `databaseURL`.
    public var databaseOwnerURL: DatabaseURL?
    /// Replicas for the recommendation engine's whole-table training reads (DATABASE_READ_URL), as
    /// the service's role: in the cluster, HAProxy's replica port. Without it, or when it cannot be
    /// read, training reads from `databaseURL`.
    public var databaseReadURL: DatabaseURL?
    public var databasePoolSize: Int
    /// libpq connections carrying the small reads in pipeline mode (`PipelinedReads`); 0 sends
    /// them through the PostgresNIO pool like everything else.
    public var databasePipelinedConnections: Int
    public var flags: [FeatureFlag: FlagSetting]
    public var seedDemoData: Bool
    public var demoPeopleCount: Int
    public var dataDirectory: String
    public var logLevel: Logger.Level
    public var secrets: Secrets
    public var tokens: TokenSettings
    /// Where e-mails are delivered when no SMTP server is configured (development, tests): one `.eml` file each.
    public var mailOutboxDirectory: String
    /// The sender's address, the SMTP server (none: files), and the outbox's retries (MAIL_FROM,
    /// SMTP_URL, SMTP_CA_FILE, SMTP_TIMEOUT, MAIL_RETRY_BASE, MAIL_MAX_ATTEMPTS, MAIL_POLL_INTERVAL).
    var mail: MailSettings
    /// Where re-encoded photos are kept (the local-folder storage).
    public var photoDirectory: String
    /// The address people reach the service at, for links in e-mails.
    public var publicBaseURL: String
    /// Behind a reverse proxy, take the client's address from `X-Forwarded-For` (for login limits).
    public var trustProxy: Bool
    /// The proxies whose `X-Forwarded-For` is believed when `trustProxy` is on (TRUSTED_PROXIES).
    public var trustedProxies: TrustedProxies
    /// The proxies to believe, or nil when the service is reached directly.
    public var believedProxies: TrustedProxies? { trustProxy ? trustedProxies : nil }
    /// Time limits on every connection and the per-address connection cap.
    public var connectionLimits: ConnectionLimits
    public var insights: InsightSettings
    /// How old the recommendation model may grow before the next recommendation retrains it from the likes.
    public var recommendationModelMaxAgeSeconds: Int
    /// Rollout plans: how often each instance stores its cohort counts and the lock holder decides
    /// (ROLLOUT_INTERVAL), whom a rollback is mailed to (ROLLOUT_ALERT_EMAIL) and the webhook it is
    /// posted to (ROLLOUT_WEBHOOK_URL), and how often the console's charts keep a point
    /// (ROLLOUT_HISTORY_INTERVAL, 60 s).
    public var rolloutIntervalMilliseconds: Int
    public var rolloutHistorySeconds: Int
    public var rolloutAlertEmail: String?
    public var rolloutWebhookURL: String?
    /// The clock rollout plans are judged by: the wall clock, or a test's.
    public var rolloutClock: @Sendable () -> Date = { Date() }
    /// Train the first recommendation engine as the service starts, rather than at the first request.
    public var recommendationWarmUp: Bool
    /// How often the notification listener checks itself, and how long it waits to hear itself
    /// (LISTENER_HEARTBEAT_INTERVAL, LISTENER_HEARTBEAT_DEADLINE).
    var listenerHeartbeat: DatabaseNotifications.Heartbeat
    /// How long a stopping instance reports not-ready before it closes its chat sockets (SHUTDOWN_DRAIN).
    var shutdown: ShutdownDrain.Settings
    /// Open chat sockets allowed per person and per instance (CHAT_MAX_SOCKETS_PER_PERSON, CHAT_MAX_SOCKETS).
    var chatLimits: ChatHub.Limits
    /// Sign-ups per address and per e-mail address, reports per person, read receipts per person.
    public var abuseLimits: AbuseLimits
    /// Photo decoding threads and waiting places, and upload attempts per person (PHOTO_DECODE_THREADS,
    /// PHOTO_DECODE_QUEUE, PHOTO_UPLOAD_LIMIT, PHOTO_UPLOAD_WINDOW).
    var photoLimits: PhotosController.Limits

    public struct TokenSettings: Sendable {
        public var issuer: String
        public var audience: String
        public var accessLifetimeSeconds: Int
        public var refreshLifetimeSeconds: Int
        /// A used refresh token presented again within this window is a concurrent refresh, not theft.
        public var reuseGraceSeconds: Int
        /// How long a session found open counts as open without asking again (0: every request asks).
        /// Its end counts at once all the same, through PostgreSQL's announcement (`RecentSessionChecks`).
        public var sessionCheckReuse: Duration = .seconds(2)
    }

    public struct Secrets: Sendable {
        /// Signs the earlier system's HS256 tokens, still accepted in phase 1.
        public var jwtSecret: String
        /// Encrypts sensitive columns (32 bytes, base64).
        public var dataEncryptionKey: String
    }

    /// Reads and validates the configuration; throws `ConfigurationError` naming the first bad variable.
    public init(reader: ConfigReader) throws {
        let values = ConfigValues(reader: reader)
        environment = try values.parse("APP_ENV", default: .development, accepts: "development or production") {
            Environment(rawValue: $0.lowercased())
        }
        host = values.string("HOST") ?? "127.0.0.1"
        port = try values.parse("PORT", default: 3000, accepts: "a port number from 0 to 65535") {
            Int($0).flatMap { (0...65535).contains($0) ? $0 : nil }
        }
        guard let databaseText = values.string("DATABASE_URL") else {
            throw ConfigurationError(
                variable: "DATABASE_URL",
                problem: "is not set; `make run` starts a private PostgreSQL and sets it, or give postgres://user:password@host:port/database"
            )
        }
        databaseURL = try values.parse("DATABASE_URL", default: nil, accepts: DatabaseURL.accepted) { _ in DatabaseURL(databaseText) }
        databaseOwnerURL = try values.string("DATABASE_OWNER_URL").map { text in
            try values.parse("DATABASE_OWNER_URL", default: nil, accepts: DatabaseURL.accepted) { _ in DatabaseURL(text) }
        }
        databaseReadURL = try values.string("DATABASE_READ_URL").map { text in
            try values.parse("DATABASE_READ_URL", default: nil, accepts: DatabaseURL.accepted) { _ in DatabaseURL(text) }
        }
        databasePoolSize = try values.parse("DATABASE_POOL_SIZE", default: 20, accepts: "a whole number from 1 to 200") {
            Int($0).flatMap { (1...200).contains($0) ? $0 : nil }
        }
        databasePipelinedConnections = try values.parse(
            "DATABASE_PIPELINED_CONNECTIONS", default: 2, accepts: "a whole number from 0 (no pipelined reads) to 16"
        ) { Int($0).flatMap { (0...16).contains($0) ? $0 : nil } }
        var flags: [FeatureFlag: FlagSetting] = [:]
        for flag in FeatureFlag.allCases {
            flags[flag] = try values.parse(flag.rawValue, default: .off, accepts: FlagSetting.accepted) { FlagSetting(parsing: $0) }
        }
        self.flags = flags
        let isDevelopment = environment == .development
        seedDemoData = try values.parse("SEED_DEMO_DATA", default: isDevelopment, accepts: "true or false") { Self.bool($0) }
        demoPeopleCount = try values.parse("SEED_DEMO_COUNT", default: 200, accepts: "a whole number from 2 to 1000000") {
            Int($0).flatMap { (2...1_000_000).contains($0) ? $0 : nil }
        }
        dataDirectory = values.string("INYEON_DATA_DIR") ?? ".data"
        logLevel = try values.parse("LOG_LEVEL", default: .info, accepts: "trace, debug, info, notice, warning, error or critical") {
            Logger.Level(rawValue: $0.lowercased())
        }
        tokens = TokenSettings(
            issuer: values.string("JWT_ISSUER") ?? "inyeon",
            audience: values.string("JWT_AUDIENCE") ?? "inyeon-api",
            accessLifetimeSeconds: try values.parse("JWT_ACCESS_EXPIRES_IN", default: 900, accepts: DurationText.accepted) {
                DurationText.seconds($0)
            },
            refreshLifetimeSeconds: try values.parse("JWT_REFRESH_EXPIRES_IN", default: 7 * 86400, accepts: DurationText.accepted) {
                DurationText.seconds($0)
            },
            reuseGraceSeconds: try values.parse("JWT_REFRESH_REUSE_GRACE", default: 10, accepts: DurationText.accepted) {
                DurationText.seconds($0)
            },
            sessionCheckReuse: .milliseconds(try values.parse(
                "SESSION_CHECK_REUSE", default: 2000, accepts: "0 (ask on every request) or a duration up to 1m, such as 2s or 500ms"
            ) { $0 == "0" ? 0 : Self.milliseconds($0).flatMap { $0 <= 60_000 ? $0 : nil } })
        )
        mailOutboxDirectory = values.string("MAIL_OUTBOX_DIR") ?? (dataDirectory + "/outbox")
        photoDirectory = values.string("PHOTO_DIR") ?? (dataDirectory + "/photos")
        publicBaseURL = values.string("PUBLIC_BASE_URL") ?? "http://localhost:\(port)"
        let publicHost = URLComponents(string: publicBaseURL)?.host ?? "localhost"
        let smtpTimeout = try values.parse("SMTP_TIMEOUT", default: 30_000, accepts: "a duration such as 30s or 500ms") { Self.milliseconds($0) }
        let smtpCAFile = values.string("SMTP_CA_FILE")
        mail = MailSettings(
            from: try values.parse("MAIL_FROM", default: MailAddress(name: "인연", address: "no-reply@\(publicHost)"),
                                   accepts: "an address such as 인연 <no-reply@example.com>") { MailAddress(parsing: $0) },
            smtp: try values.string("SMTP_URL", isSecret: true).map { text in
                guard let settings = SMTPSettings(url: text, trustRootsFile: smtpCAFile, timeout: .milliseconds(smtpTimeout)) else {
                    throw ConfigurationError(variable: "SMTP_URL", problem: "must be \(SMTPSettings.accepted)")
                }
                return settings
            },
            delivery: MailDelivery.Settings(
                retry: MailRetryPolicy(
                    base: .milliseconds(try values.parse("MAIL_RETRY_BASE", default: 30_000, accepts: "a duration such as 30s or 500ms") {
                        Self.milliseconds($0)
                    }),
                    maximumAttempts: try values.parse("MAIL_MAX_ATTEMPTS", default: 10, accepts: "a whole number from 1 to 100") {
                        Int($0).flatMap { (1...100).contains($0) ? $0 : nil }
                    }
                ),
                pollInterval: .milliseconds(try values.parse("MAIL_POLL_INTERVAL", default: 2000, accepts: "a duration such as 2s or 500ms") {
                    Self.milliseconds($0)
                }),
                // A delivery may wait on the connection and on each of about eight replies.
                deliveryDeadline: .milliseconds(smtpTimeout) * 10
            ),
            notifications: NotificationMailer.Settings(
                interval: .milliseconds(try values.parse("NOTIFY_INTERVAL", default: 30_000, accepts: "a duration such as 30s or 500ms") {
                    Self.milliseconds($0)
                }),
                messageDelay: .seconds(try values.parse("NOTIFY_MESSAGE_DELAY", default: 900, accepts: "0 or " + DurationText.accepted) {
                    $0 == "0" ? 0 : DurationText.seconds($0)
                }),
                digestGap: .seconds(try values.parse("NOTIFY_DIGEST_GAP", default: 3 * 3600, accepts: DurationText.accepted) { DurationText.seconds($0) })
            )
        )
        trustProxy = try values.parse("TRUST_PROXY", default: false, accepts: "true or false") { Self.bool($0) }
        trustedProxies = try values.parse("TRUSTED_PROXIES", default: .loopback, accepts: TrustedProxies.accepted) {
            TrustedProxies(parsing: $0)
        }
        let timeout = "a duration such as 10s, 1m or 500ms"
        connectionLimits = ConnectionLimits(
            headerTimeout: .milliseconds(try values.parse("HTTP_HEADER_TIMEOUT", default: 10_000, accepts: timeout) { Self.milliseconds($0) }),
            idleTimeout: .milliseconds(try values.parse("HTTP_IDLE_TIMEOUT", default: 60_000, accepts: timeout) { Self.milliseconds($0) }),
            bodyTimeout: .milliseconds(try values.parse("HTTP_BODY_TIMEOUT", default: 120_000, accepts: timeout) { Self.milliseconds($0) }),
            connectionsPerAddress: try values.parse("MAX_CONNECTIONS_PER_ADDRESS", default: 64, accepts: "a whole number from 1 to 100000") {
                Int($0).flatMap { (1...100_000).contains($0) ? $0 : nil }
            }
        )
        insights = InsightSettings(
            apiKey: values.string("OPENAI_API_KEY", isSecret: true),
            baseURL: values.string("OPENAI_BASE_URL") ?? "https://api.openai.com/v1",
            model: values.string("AI_MODEL") ?? "gpt-4o-mini",
            deadlineMilliseconds: try values.parse("AI_INSIGHT_DEADLINE", default: 2000, accepts: "a duration such as 2s or 1500ms") {
                Self.milliseconds($0)
            },
            breakerFailures: try values.parse("AI_BREAKER_FAILURES", default: 5, accepts: "a whole number from 1 to 100") {
                Int($0).flatMap { (1...100).contains($0) ? $0 : nil }
            },
            breakerCoolDownMilliseconds: try values.parse("AI_BREAKER_COOLDOWN", default: 30_000, accepts: "a duration such as 30s or 500ms") {
                Self.milliseconds($0)
            }
        )
        recommendationModelMaxAgeSeconds = try values.parse(
            "RECOMMENDATION_MODEL_MAX_AGE", default: 300, accepts: "0 (retrain on every request) or " + DurationText.accepted
        ) { $0 == "0" ? 0 : DurationText.seconds($0) }
        rolloutIntervalMilliseconds = try values.parse("ROLLOUT_INTERVAL", default: 5000, accepts: "a duration such as 5s or 500ms") {
            Self.milliseconds($0).flatMap { $0 > 0 ? $0 : nil }
        }
        rolloutHistorySeconds = try values.parse("ROLLOUT_HISTORY_INTERVAL", default: 60, accepts: DurationText.accepted) {
            DurationText.seconds($0).flatMap { $0 > 0 ? $0 : nil }
        }
        rolloutAlertEmail = try values.string("ROLLOUT_ALERT_EMAIL").map { _ in
            try values.parse("ROLLOUT_ALERT_EMAIL", default: nil, accepts: "an e-mail address") { MailAddress.isPlausible($0) ? $0 : nil }
        }
        rolloutWebhookURL = try values.string("ROLLOUT_WEBHOOK_URL").map { _ in
            try values.parse("ROLLOUT_WEBHOOK_URL", default: nil, accepts: "an http or https URL") {
                ($0.hasPrefix("http://") || $0.hasPrefix("https://")) && URL(string: $0) != nil ? $0 : nil
            }
        }
        recommendationWarmUp = try values.parse("RECOMMENDATION_WARM_UP", default: true, accepts: "true or false") { Self.bool($0) }
        listenerHeartbeat = DatabaseNotifications.Heartbeat(
            interval: .milliseconds(try values.parse("LISTENER_HEARTBEAT_INTERVAL", default: 5000, accepts: "a duration such as 5s or 500ms") {
                Self.milliseconds($0).flatMap { $0 > 0 ? $0 : nil }
            }),
            deadline: .milliseconds(try values.parse("LISTENER_HEARTBEAT_DEADLINE", default: 5000, accepts: "a duration such as 5s or 500ms") {
                Self.milliseconds($0).flatMap { $0 > 0 ? $0 : nil }
            })
        )
        shutdown = ShutdownDrain.Settings(
            drainPeriod: .milliseconds(try values.parse("SHUTDOWN_DRAIN", default: 5000, accepts: "0 or a duration such as 5s or 500ms") {
                $0 == "0" ? 0 : Self.milliseconds($0)
            })
        )
        chatLimits = ChatHub.Limits(
            socketsPerPerson: try values.parse("CHAT_MAX_SOCKETS_PER_PERSON", default: 8, accepts: "a whole number from 1 to 100") {
                Int($0).flatMap { (1...100).contains($0) ? $0 : nil }
            },
            socketsPerInstance: try values.parse("CHAT_MAX_SOCKETS", default: 20_000, accepts: "a whole number from 1 to 1000000") {
                Int($0).flatMap { (1...1_000_000).contains($0) ? $0 : nil }
            }
        )
        var abuseLimits = AbuseLimits()
        func count(_ variable: String, _ defaultValue: Int) throws -> Int {
            try values.parse(variable, default: defaultValue, accepts: "a whole number from 1 to 1000000") {
                Int($0).flatMap { (1...1_000_000).contains($0) ? $0 : nil }
            }
        }
        abuseLimits.signupsPerAddressPerHour = try count("SIGNUPS_PER_ADDRESS_PER_HOUR", abuseLimits.signupsPerAddressPerHour)
        abuseLimits.signupsPerEmailPerHour = try count("SIGNUPS_PER_EMAIL_PER_HOUR", abuseLimits.signupsPerEmailPerHour)
        abuseLimits.passwordResetsPerAddressPerHour = try count("RESETS_PER_ADDRESS_PER_HOUR", abuseLimits.passwordResetsPerAddressPerHour)
        abuseLimits.passwordResetsPerEmailPerHour = try count("RESETS_PER_EMAIL_PER_HOUR", abuseLimits.passwordResetsPerEmailPerHour)
        abuseLimits.codeChecksPerAddressPerHour = try count("CODE_CHECKS_PER_ADDRESS_PER_HOUR", abuseLimits.codeChecksPerAddressPerHour)
        abuseLimits.reportsPerPersonPerHour = try count("REPORTS_PER_PERSON_PER_HOUR", abuseLimits.reportsPerPersonPerHour)
        abuseLimits.ticketsPerAddressPerHour = try count("TICKETS_PER_ADDRESS_PER_HOUR", abuseLimits.ticketsPerAddressPerHour)
        abuseLimits.feedbackPerPersonPerHour = try count("FEEDBACK_PER_PERSON_PER_HOUR", abuseLimits.feedbackPerPersonPerHour)
        abuseLimits.readReceiptsPerMinute = try count("READ_RECEIPTS_PER_MINUTE", abuseLimits.readReceiptsPerMinute)
        self.abuseLimits = abuseLimits
        photoLimits = PhotosController.Limits(
            decodeThreads: try values.parse("PHOTO_DECODE_THREADS", default: 1, accepts: "a whole number from 1 to 64") {
                Int($0).flatMap { (1...64).contains($0) ? $0 : nil }
            },
            decodeQueue: try values.parse("PHOTO_DECODE_QUEUE", default: 4, accepts: "a whole number from 0 to 1000") {
                Int($0).flatMap { (0...1000).contains($0) ? $0 : nil }
            },
            uploadsPerWindow: try values.parse("PHOTO_UPLOAD_LIMIT", default: 20, accepts: "a whole number from 1 to 10000") {
                Int($0).flatMap { (1...10_000).contains($0) ? $0 : nil }
            },
            uploadWindowSeconds: try values.parse("PHOTO_UPLOAD_WINDOW", default: 600, accepts: DurationText.accepted) { DurationText.seconds($0) }
        )
        secrets = try Secrets.resolve(
            jwtSecret: values.string("JWT_SECRET", isSecret: true),
            dataEncryptionKey: values.string("DATA_ENCRYPTION_KEY", isSecret: true),
            environment: environment,
            dataDirectory: dataDirectory
        )
    }

    /// Environment variables, then `.env` in the working directory (if present).
    public static func standardReader(environmentFile: String = ".env") async throws -> ConfigReader {
        ConfigReader(providers: [
            EnvironmentVariablesProvider(),
            try await EnvironmentVariablesProvider(environmentFilePath: .init(environmentFile), allowMissing: true),
        ])
    }

    /// "1500ms", or any `DurationText` ("2s", "1m").
    static func milliseconds(_ text: String) -> Int? {
        if text.hasSuffix("ms") { return Int(text.dropLast(2)).flatMap { $0 > 0 ? $0 : nil } }
        return DurationText.seconds(text).map { $0 * 1000 }
    }

    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }
}

/// A configuration problem, printed as one line at start-up.
extension AppConfiguration {
    /// The key each database transaction's identity is signed with, derived from `DATA_ENCRYPTION_KEY`.
    public var databaseIdentityKey: DatabaseIdentityKey {
        get throws { try DatabaseIdentityKey(dataEncryptionKey: secrets.dataEncryptionKey) }
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var variable: String
    public var problem: String

    public var description: String { "Configuration error: \(variable) \(problem)" }
}

/// Reads variables by their environment names through the reader.
struct ConfigValues {
    var reader: ConfigReader

    func string(_ variable: String, isSecret: Bool = false) -> String? {
        let key = ConfigKey(variable.lowercased().replacingOccurrences(of: "_", with: "."))
        guard let value = reader.string(forKey: key, isSecret: isSecret)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return nil
        }
        return value
    }

    func parse<Value>(_ variable: String, default defaultValue: Value?, accepts: String, _ convert: (String) -> Value?) throws -> Value {
        guard let text = string(variable) else {
            guard let defaultValue else { throw ConfigurationError(variable: variable, problem: "is not set; expected \(accepts)") }
            return defaultValue
        }
        guard let value = convert(text) else {
            throw ConfigurationError(variable: variable, problem: "has an invalid value \"\(text)\"; expected \(accepts)")
        }
        return value
    }
}
