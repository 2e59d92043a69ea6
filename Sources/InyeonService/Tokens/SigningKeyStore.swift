import Crypto
import Foundation
import JWTKit
import Logging
import PostgresNIO

/// The Ed25519 keys that sign access tokens, shared by every instance through PostgreSQL.
///
/// One key signs at a time; keys retired by a rotation stay published (and accepted) until every
/// token they signed has expired, so rotating logs nobody out.
actor SigningKeyStore {
    struct PublishedKey: Sendable {
        var kid: String
        var publicKey: Data
    }

    private let database: Database
    let sealer: DataSealer
    private var collection = JWTKeyCollection()
    private var signingKid: String?
    private var published: [PublishedKey] = []
    private var loadedAt: ContinuousClock.Instant?

    /// How often keys are re-read, so a rotation made elsewhere is picked up.
    static let refreshInterval: Duration = .seconds(60)

    init(database: Database, sealer: DataSealer) {
        self.database = database
        self.sealer = sealer
    }

    /// The key collection and the kid to sign with, creating the first key when there is none.
    func signer(logger: Logger) async throws -> (JWTKeyCollection, String) {
        if signingKid == nil || isStale(after: Self.refreshInterval) { try await load(logger: logger) }
        if signingKid == nil {
            try await Self.createKey(database: database, sealer: sealer, logger: logger)
            try await load(logger: logger)
        }
        guard let signingKid else { throw SigningKeyError.noSigningKey }
        return (collection, signingKid)
    }

    /// The collection if it knows `kid`. A kid this instance has not seen is looked up (one primary-key
    /// read) and the keys reloaded when another instance has just rotated.
    func verifier(for kid: String, logger: Logger) async throws -> JWTKeyCollection? {
        if !published.contains(where: { $0.kid == kid }), try await isPublishedInDatabase(kid, logger: logger) {
            try await load(logger: logger)
        }
        return published.contains { $0.kid == kid } ? collection : nil
    }

    private func isPublishedInDatabase(_ kid: String, logger: Logger) async throws -> Bool {
        guard kid.count <= 100 else { return false }
        return try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query(
                "SELECT count(*)::int FROM signing_keys WHERE kid = \(kid) AND (published_until IS NULL OR published_until > now())",
                logger: logger
            ).decode(Int.self).reduce(0, +) > 0
        }
    }

    func publishedKeys(logger: Logger) async throws -> [PublishedKey] {
        if loadedAt == nil || isStale(after: Self.refreshInterval) { try await load(logger: logger) }
        return published
    }

    private func isStale(after interval: Duration) -> Bool {
        guard let loadedAt else { return true }
        return ContinuousClock.now - loadedAt > interval
    }

    private func load(logger: Logger) async throws {
        let rows = try await database.transaction(as: .system, logger: logger) { connection in
            var rows: [(String, Data, Data, Bool)] = []
            let query: PostgresQuery = """
                SELECT kid, public_key, sealed_private_key, (signing_until IS NULL OR signing_until > now())
                FROM signing_keys
                WHERE published_until IS NULL OR published_until > now()
                ORDER BY created_at
                """
            for try await (kid, publicKey, sealed, signing) in try await connection.query(query, logger: logger)
                .decode((String, Data, Data, Bool).self)
            {
                rows.append((kid, publicKey, sealed, signing))
            }
            return rows
        }
        let collection = JWTKeyCollection()
        var signingKid: String?
        for (kid, _, sealed, signing) in rows {
            let privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: try sealer.open(sealed))
            await collection.add(eddsa: EdDSA.PrivateKey(backing: privateKey), kid: JWKIdentifier(string: kid))
            if signing { signingKid = kid }
        }
        self.collection = collection
        self.signingKid = signingKid
        self.published = rows.map { PublishedKey(kid: $0.0, publicKey: $0.1) }
        self.loadedAt = .now
    }

    /// Adds a new signing key; existing ones stop signing and stay published for `overlap`.
    @discardableResult
    static func createKey(database: Database, sealer: DataSealer, retiringOthersAfter overlap: Duration? = nil, logger: Logger) async throws
        -> String
    {
        let privateKey = Curve25519.Signing.PrivateKey()
        let kid = "ed25519-" + Date().formatted(.iso8601.year().month().day()) + "-" + OpaqueToken.generate().prefix(8)
        let sealed = try sealer.seal(privateKey.rawRepresentation)
        let publicKey = privateKey.publicKey.rawRepresentation
        let overlapSeconds = overlap.map { Int($0.components.seconds) }
        try await database.transaction(as: .system, logger: logger) { connection in
            if let overlapSeconds {
                try await connection.query(
                    """
                    UPDATE signing_keys SET signing_until = now(),
                        published_until = now() + make_interval(secs => \(overlapSeconds))
                    WHERE signing_until IS NULL
                    """,
                    logger: logger
                )
            } else {
                // First key: only when nobody else created one meanwhile.
                let existing = try await connection.query(
                    "SELECT count(*)::int FROM signing_keys WHERE signing_until IS NULL", logger: logger
                ).decode(Int.self).reduce(0, +)
                if existing > 0 { return }
            }
            try await connection.query(
                """
                INSERT INTO signing_keys (kid, algorithm, public_key, sealed_private_key)
                VALUES (\(kid), 'EdDSA', \(publicKey), \(sealed))
                """,
                logger: logger
            )
        }
        return kid
    }
}

enum SigningKeyError: Error {
    case noSigningKey
}
