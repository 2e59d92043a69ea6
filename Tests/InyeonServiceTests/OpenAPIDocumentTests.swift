import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import PostgresNIO
import Testing

@Suite struct OpenAPIDocumentTests {
    @Test func documentsExactlyTheRoutesThatExist() async throws {
        let configuration = try TestDatabase.configuration()
        let client = PostgresClient(configuration: .init(host: "127.0.0.1", username: "unused", password: nil, database: nil, tls: .disable), backgroundLogger: TestDatabase.logger)
        let database = Database(client: client, poolSize: 1, identityKey: TestDatabase.identityKey)
        let flags = FlagStore(defaults: configuration.flags, database: database, logger: TestDatabase.logger)
        let served = Set(try await buildRouter(database: database, configuration: configuration, flags: flags, cache: MemoryCache()).routes.map {
            "\($0.method.rawValue.lowercased()) \($0.path)"
        })
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in
            operations.keys.map { method in
                // OpenAPI writes {param}; the router writes :param.
                "\(method) " + path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
            }
        })
        #expect(served.subtracting(documented).isEmpty, "routes missing from the document: \(served.subtracting(documented))")
        #expect(documented.subtracting(served).isEmpty, "documented routes that do not exist: \(documented.subtracting(served))")
    }

    @Test func theDocumentAndItsPageAreServed() async throws {
        try await withApp { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONBody(response)
                #expect(body["info.title"] as? String == "Inyeon API")
            }
            try await client.execute(uri: "/docs", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("/openapi.json"))
            }
        }
    }
}
