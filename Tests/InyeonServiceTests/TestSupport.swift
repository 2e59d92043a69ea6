import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonService
import Logging
import PostgresNIO
import Testing

/// The throwaway PostgreSQL that `make test` (scripts/test.sh) starts for this run.
enum TestDatabase {
    static var databaseURL: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else {
                throw TestSetupError("DATABASE_URL is not set: run the tests with `make test`, which starts a throwaway PostgreSQL")
            }
            return url
        }
    }

    static var ownerURL: String? { ProcessInfo.processInfo.environment["DATABASE_OWNER_URL"] }

    static let logger: Logger = {
        var logger = Logger(label: "inyeon-tests")
        logger.logLevel = .warning
        return logger
    }()

    static let dataEncryptionKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    /// What the tests' services sign their transactions' identities with.
    static let identityKey = try! DatabaseIdentityKey(dataEncryptionKey: dataEncryptionKey)

    /// The service's configuration for tests: a free port, the test database, fixed secrets.
    static func configuration(_ overrides: [String: String] = [:]) throws -> AppConfiguration {
        var values: [String: String] = [
            "DATABASE_URL": try databaseURL,
            "PORT": "0",
            "JWT_SECRET": "test-jwt-secret-that-is-long-enough-for-hs256",
            "DATA_ENCRYPTION_KEY": dataEncryptionKey,
            "SEED_DEMO_COUNT": "200",
            // Dozens of short-lived instances share the machine; none needs an engine before its first request.
            "RECOMMENDATION_WARM_UP": "false",
            // Every test signs up from the same address into one database; the limit's own test sets it low.
            "SIGNUPS_PER_ADDRESS_PER_HOUR": "1000000",
            // Every test signs people up from one address; the limit has its own test (AccountRecoveryTests).
            "CODE_CHECKS_PER_ADDRESS_PER_HOUR": "1000000", "RESETS_PER_ADDRESS_PER_HOUR": "1000000",
            "PHOTO_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("inyeon-test-photos").path,
            // The live test client opens its one connection before a test's first request, and a busy
            // machine may take a while to get there (ConnectionLimitsTests shortens these).
            "HTTP_HEADER_TIMEOUT": "2m", "HTTP_IDLE_TIMEOUT": "5m",
        ]
        if let ownerURL { values["DATABASE_OWNER_URL"] = ownerURL }
        values.merge(overrides) { $1 }
        return try AppConfiguration(reader: reader(values))
    }

    static func reader(_ values: [String: String]) -> ConfigReader {
        var keyed: [AbsoluteConfigKey: ConfigValue] = [:]
        for (name, value) in values {
            keyed[AbsoluteConfigKey(ConfigKey(name.lowercased().replacingOccurrences(of: "_", with: ".")))] = .init(.string(value), isSecret: false)
        }
        return ConfigReader(provider: InMemoryProvider(values: keyed))
    }

    /// A client of the app role (the service's own login), for raw-SQL tests.
    /// A client connected as the owner role (the one migrations run as), for arranging test situations
    /// the service itself never creates, such as time passing.
    static func withOwnerClient<Result: Sendable>(
        _ body: @Sendable @escaping (PostgresClient) async throws -> Result
    ) async throws -> Result {
        guard let ownerURL, var url = DatabaseURL(ownerURL) else { throw TestSetupError("DATABASE_OWNER_URL is not set") }
        url.tlsMode = .disable
        return try await withPostgresClient(url, poolSize: 2, logger: logger, body)
    }

    static func withAppRoleClient<Result: Sendable>(
        poolSize: Int = 4,
        _ body: @Sendable @escaping (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let configuration = try Self.configuration()
        try await DatabasePreparation.migrate(configuration: configuration, logger: logger)
        var url = configuration.databaseURL
        url.tlsMode = .disable
        return try await withPostgresClient(url, poolSize: poolSize, logger: logger, body)
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `test` against the real application (real PostgreSQL, migrated and seeded).
func withApp(
    _ overrides: [String: String] = [:],
    testing: TestingSetup = .router,
    _ test: @Sendable @escaping (any TestClientProtocol) async throws -> Void
) async throws {
    let app = try await buildApplication(configuration: try TestDatabase.configuration(overrides), logger: TestDatabase.logger)
    try await app.test(testing, test)
}

/// A decoded JSON answer.
struct JSONBody {
    let object: [String: Any]

    init(_ response: TestResponse) throws {
        let data = Data(String(buffer: response.body).utf8)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestSetupError("not a JSON object: \(String(decoding: data, as: UTF8.self))")
        }
        self.object = object
    }

    subscript(path: String) -> Any? {
        var current: Any? = object
        for key in path.split(separator: ".") {
            if let index = Int(key), let array = current as? [Any] {
                current = index < array.count ? array[index] : nil
            } else {
                current = (current as? [String: Any])?[String(key)]
            }
        }
        return current
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
