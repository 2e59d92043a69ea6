import Foundation
import InyeonCore
import InyeonService
import Testing

@Suite struct ConfigurationTests {
    func configuration(_ values: [String: String]) throws -> AppConfiguration {
        try AppConfiguration(reader: TestDatabase.reader(values))
    }

    let valid = ["DATABASE_URL": "postgres://app:secret@127.0.0.1:5432/inyeon", "JWT_SECRET": "a-legacy-secret-of-at-least-32-characters", "DATA_ENCRYPTION_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="]

    @Test func defaultsWorkWithOnlyADatabase() throws {
        let configuration = try configuration(valid)
        #expect(configuration.port == 3000)
        #expect(configuration.environment == .development)
        #expect(configuration.flags[.enhancedAuth] == .off)
        #expect(configuration.databaseURL.username == "app")
        #expect(configuration.databaseURL.tlsMode == .disable)
        #expect(configuration.seedDemoData)
    }

    @Test func flagsAcceptTrueFalseAndPercentages() throws {
        let configuration = try configuration(valid.merging([
            "FEATURE_ENHANCED_AUTH": "true", "FEATURE_AI_INSIGHTS": "25%", "FEATURE_REAL_TIME_CHAT": "false",
        ]) { $1 })
        #expect(configuration.flags[.enhancedAuth] == .on)
        #expect(configuration.flags[.aiInsights] == .percentage(25))
        #expect(configuration.flags[.realTimeChat] == .off)
    }

    @Test(arguments: [
        ("PORT", "abc", "PORT has an invalid value \"abc\"; expected a port number"),
        ("PORT", "70000", "PORT has an invalid value"),
        ("FEATURE_AI_INSIGHTS", "sometimes", "FEATURE_AI_INSIGHTS has an invalid value \"sometimes\"; expected true, false, or a percentage"),
        ("FEATURE_ENHANCED_AUTH", "150%", "FEATURE_ENHANCED_AUTH has an invalid value"),
        ("APP_ENV", "staging", "APP_ENV has an invalid value \"staging\"; expected development or production"),
        ("DATABASE_URL", "mysql://x@y/z", "DATABASE_URL has an invalid value"),
        ("DATABASE_POOL_SIZE", "0", "DATABASE_POOL_SIZE has an invalid value"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL has an invalid value"),
        ("DATA_ENCRYPTION_KEY", "short", "DATA_ENCRYPTION_KEY must be 32 bytes"),
        ("JWT_SECRET", "short", "JWT_SECRET must be at least 32 characters"),
    ])
    func anInvalidValueNamesTheVariableAndWhatItAccepts(variable: String, value: String, message: String) throws {
        let error = #expect(throws: ConfigurationError.self) {
            try configuration(valid.merging([variable: value]) { $1 })
        }
        #expect(error?.variable == variable)
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("\n") == false, "one line")
    }

    @Test func aMissingDatabaseSaysHowToGetOne() {
        let error = #expect(throws: ConfigurationError.self) { try configuration([:]) }
        #expect(error?.variable == "DATABASE_URL")
        #expect(error?.description.contains("make run") == true)
    }

    @Test func productionRefusesToStartWithoutItsSecrets() {
        let error = #expect(throws: ConfigurationError.self) {
            try configuration(["APP_ENV": "production", "DATABASE_URL": valid["DATABASE_URL"]!])
        }
        #expect(error?.variable == "JWT_SECRET")
        #expect(error?.description.contains("required in production") == true)
    }

    @Test func developmentGeneratesSecretsOnceAndKeepsThem() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inyeon-secrets-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let values = ["DATABASE_URL": valid["DATABASE_URL"]!, "INYEON_DATA_DIR": directory]
        let first = try configuration(values).secrets
        let second = try configuration(values).secrets
        #expect(first.jwtSecret == second.jwtSecret)
        #expect(first.dataEncryptionKey == second.dataEncryptionKey)
        #expect(Data(base64Encoded: first.dataEncryptionKey)?.count == 32)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/secrets.env")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func productionDoesNotSeedUnlessAsked() throws {
        let production = valid.merging(["APP_ENV": "production"]) { $1 }
        #expect(try configuration(production).seedDemoData == false)
        #expect(try configuration(production.merging(["SEED_DEMO_DATA": "true"]) { $1 }).seedDemoData)
    }
}
