import Foundation
import Hummingbird

/// `GET /.well-known/jwks.json`: the public keys that verify access tokens, including retired ones
/// still within their overlap.
struct JWKSController: Sendable {
    let keys: SigningKeyStore

    struct JWKS: ResponseEncodable, Sendable {
        var keys: [Key]

        struct Key: Codable, Sendable {
            var kty = "OKP"
            var crv = "Ed25519"
            var alg = "EdDSA"
            var use = "sig"
            var kid: String
            var x: String
        }
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/.well-known/jwks.json", use: jwks)
    }

    @Sendable func jwks(request: Request, context: AppRequestContext) async throws -> EditedResponse<JWKS> {
        let published = try await keys.publishedKeys(logger: context.logger)
        return EditedResponse(
            headers: [.cacheControl: "public, max-age=300"],
            response: JWKS(keys: published.map { JWKS.Key(kid: $0.kid, x: $0.publicKey.base64URLEncoded()) })
        )
    }
}
