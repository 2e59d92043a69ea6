import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import NIOCore
import Testing

/// Photo upload through HTTP: accepted by content, re-encoded by libvips into three sizes with all
/// metadata gone, at most six, reordered and removed, and shown only to those who may see the card.
@Suite struct PhotoTests {
    static func fixture(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/photos/\(name)")
        return try Data(contentsOf: url)
    }

    static func upload(_ accounts: AccountHelper, _ data: Data, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/octet-stream"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await accounts.client.execute(uri: "/api/me/photos", method: .post, headers: headers, body: ByteBuffer(bytes: data))
    }

    static func bytes(_ response: TestResponse) -> [UInt8] {
        Array(response.body.readableBytesView)
    }

    /// Width and height from a JPEG's start-of-frame segment, and the markers of every segment before the scan.
    static func jpegInfo(_ bytes: [UInt8]) -> (width: Int, height: Int, markers: [UInt8])? {
        guard bytes.starts(with: [0xFF, 0xD8]) else { return nil }
        var index = 2
        var markers: [UInt8] = []
        var size: (Int, Int)?
        while index + 4 <= bytes.count, bytes[index] == 0xFF {
            let marker = bytes[index + 1]
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            markers.append(marker)
            if (0xC0...0xC2).contains(marker) {
                size = (Int(bytes[index + 7]) << 8 | Int(bytes[index + 8]), Int(bytes[index + 5]) << 8 | Int(bytes[index + 6]))
            }
            if marker == 0xDA { break }
            index += 2 + length
        }
        guard let size else { return nil }
        return (size.0, size.1, markers)
    }

    @Test func aPhotoIsReencodedUprightWithEveryPieceOfMetadataGone() async throws {
        try await withAccounts { accounts in
            let me = try await MatchLifecycleTests.member(accounts, "female", name: "사진주인", birthYear: 1970)
            let original = try Self.fixture("rotated-with-gps.jpg")
            #expect(original.range(of: Data("InyeonTestCamera".utf8)) != nil, "the fixture carries EXIF")
            let uploaded = try await Self.upload(accounts, original, token: me.token)
            #expect(uploaded.status == .created, "\(uploaded.text)")
            let body = try JSONBody(uploaded)
            let full = try #require(body["data.urls.full"] as? String)
            let thumbnail = try #require(body["data.urls.thumbnail"] as? String)
            let card = try #require(body["data.urls.card"] as? String)

            let fullImage = try await accounts.get(full, token: me.token)
            #expect(fullImage.status == .ok)
            #expect(fullImage.headers[.contentType] == "image/jpeg")
            let fullBytes = Self.bytes(fullImage)
            let info = try #require(Self.jpegInfo(fullBytes))
            #expect(info.width == 600 && info.height == 800, "turned upright by the EXIF orientation")
            #expect(!info.markers.contains(0xE1), "no EXIF or XMP segment")
            #expect(!info.markers.contains(0xED), "no IPTC segment")
            #expect(Data(fullBytes).range(of: Data("InyeonTestCamera".utf8)) == nil)
            #expect(Data(fullBytes).range(of: Data("Exif".utf8)) == nil)

            let small = try #require(Self.jpegInfo(Self.bytes(try await accounts.get(thumbnail, token: me.token))))
            #expect(max(small.width, small.height) == 160)
            let cardInfo = try #require(Self.jpegInfo(Self.bytes(try await accounts.get(card, token: me.token))))
            #expect(cardInfo.width == 480 && cardInfo.height == 640)
        }
    }

    @Test func pngWithTransparencyAndWebPAreAccepted() async throws {
        try await withAccounts { accounts in
            let me = try await accounts.signUp()
            for name in ["transparent.png", "square.webp"] {
                let uploaded = try await Self.upload(accounts, try Self.fixture(name), token: me.access)
                #expect(uploaded.status == .created, "\(name): \(uploaded.text)")
                let url = try #require(try JSONBody(uploaded)["data.urls.full"] as? String)
                #expect(Self.jpegInfo(Self.bytes(try await accounts.get(url, token: me.access))) != nil)
            }
        }
    }

    @Test func whatIsNotAnAcceptablePhotoIsRefusedClearly() async throws {
        try await withAccounts { accounts in
            let me = try await accounts.signUp()
            let cases: [(Data, HTTPResponse.Status, String)] = [
                (try Self.fixture("not-an-image.jpg"), .unsupportedMediaType, "UNSUPPORTED_IMAGE"),
                (try Self.fixture("png-header-then-garbage.png"), .badRequest, "IMAGE_UNREADABLE"),
                (try Self.fixture("tiny.jpg"), .badRequest, "IMAGE_TOO_SMALL"),
                (Data(repeating: 0xFF, count: 11 * 1024 * 1024), .contentTooLarge, "PHOTO_TOO_LARGE"),
            ]
            for (data, status, code) in cases {
                let response = try await Self.upload(accounts, data, token: me.access)
                #expect(response.status == status, "\(code): \(response.text)")
                #expect(try JSONBody(response)["code"] as? String == code)
            }
            let list = try JSONBody(try await accounts.get("/api/me/photos", token: me.access))
            #expect((list["data"] as? [Any])?.isEmpty == true, "nothing half-stored")
            #expect(try await Self.upload(accounts, Data(), token: nil).status == .unauthorized)
        }
    }

    @Test func sixAtMostThenReorderAndRemove() async throws {
        try await withAccounts { accounts in
            let me = try await accounts.signUp()
            let webp = try Self.fixture("square.webp")
            var ids: [String] = []
            for _ in 0..<6 {
                let uploaded = try await Self.upload(accounts, webp, token: me.access)
                #expect(uploaded.status == .created)
                ids.append(try #require(try JSONBody(uploaded)["data.id"] as? String))
            }
            let seventh = try await Self.upload(accounts, webp, token: me.access)
            #expect(seventh.status == .conflict)
            #expect(try JSONBody(seventh)["code"] as? String == "PHOTO_LIMIT")

            let reversed = Array(ids.reversed())
            let reordered = try await accounts.client.execute(
                uri: "/api/me/photos/order", method: .put,
                headers: [.authorization: "Bearer \(me.access)", .contentType: "application/json"],
                body: accounts.json(["photoIds": reversed])
            )
            #expect(reordered.status == .ok)
            let order = (try JSONBody(reordered)["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(order == reversed)
            let partial = try await accounts.client.execute(
                uri: "/api/me/photos/order", method: .put,
                headers: [.authorization: "Bearer \(me.access)", .contentType: "application/json"],
                body: accounts.json(["photoIds": Array(reversed.prefix(3))])
            )
            #expect(partial.status == .badRequest)

            let removed = try await accounts.client.execute(
                uri: "/api/me/photos/\(reversed[0])", method: .delete, headers: [.authorization: "Bearer \(me.access)"]
            )
            #expect(removed.status == .ok)
            let left = try JSONBody(removed)["data"] as? [[String: Any]] ?? []
            #expect(left.compactMap { $0["position"] as? Int } == [0, 1, 2, 3, 4], "the gap closes")
            #expect(try await accounts.get("/api/photos/\(reversed[0])/full", token: me.access).status == .notFound)
            #expect(try await Self.upload(accounts, webp, token: me.access).status == .created, "a freed slot takes a new photo")
        }
    }

    @Test func othersSeeAPhotoExactlyWhenTheyMaySeeTheCard() async throws {
        try await withAccounts { accounts in
            let owner = try await MatchLifecycleTests.member(accounts, "female", name: "보이는사람", birthYear: 1970)
            let viewer = try await MatchLifecycleTests.member(accounts, "male", name: "보는사람", birthYear: 1966)
            let url = try await MatchLifecycleTests.photo(accounts, of: owner)
            let viewersURL = try await MatchLifecycleTests.photo(accounts, of: viewer)
            #expect(try await accounts.get(url, token: viewer.token).status == .ok)
            #expect(try await accounts.get(viewersURL, token: owner.token).status == .ok)
            #expect(try await accounts.post("/api/blocks", ["userId": viewer.id], token: owner.token).status == .ok)
            // Both ways: the blocked person no longer sees the blocker's photo, nor the blocker theirs.
            for (address, asker) in [(url, viewer), (viewersURL, owner)] {
                let hidden = try await accounts.get(address, token: asker.token)
                #expect(hidden.status == .notFound, "\(address) is still shown to the \(asker.id == owner.id ? "blocker" : "blocked person")")
                if hidden.status == .notFound { #expect(try JSONBody(hidden)["code"] as? String == "PHOTO_NOT_FOUND") }
            }
            #expect(try await accounts.get(url, token: owner.token).status == .ok, "the owner still sees their own")
            #expect(try await accounts.get(viewersURL, token: viewer.token).status == .ok, "and so does the blocked person")
        }
    }
}

/// Photos made to hurt: refused from their header, before a pixel is decoded, with a clear code;
/// uploads bounded per person and in all, and a busy photo pool never holding up a login.
@Suite struct HostilePhotoTests {
    @Test func theHandMadePNGIsAPhotoWhenItIsOrdinary() async throws {
        try await withAccounts { accounts in
            let me = try await accounts.signUp()
            let uploaded = try await PhotoTests.upload(accounts, HandMadePNG.make(width: 300, height: 240), token: me.access)
            #expect(uploaded.status == .created, "\(uploaded.text)")
        }
    }

    @Test func hugeDeepLongAndTruncatedImagesAreRefusedClearly() async throws {
        try await withAccounts { accounts in
            let me = try await accounts.signUp()
            let jpeg = try PhotoTests.fixture("rotated-with-gps.jpg")
            let cases: [(String, Data, HTTPResponse.Status, String)] = [
                // 40 megapixels of 16-bit RGB: a few hundred bytes that would cost seconds to decode.
                ("40 MP 16-bit PNG", HandMadePNG.make(width: 8000, height: 5000, bitDepth: 16, pixels: false), .badRequest, "IMAGE_TOO_LARGE"),
                ("16 MP 8-bit PNG", HandMadePNG.make(width: 4000, height: 4000, pixels: false), .badRequest, "IMAGE_TOO_LARGE"),
                ("16-bit PNG", HandMadePNG.make(width: 240, height: 240, bitDepth: 16, colorType: 0), .unsupportedMediaType, "IMAGE_DEPTH_UNSUPPORTED"),
                ("1×10000 strip", HandMadePNG.make(width: 1, height: 10_000, colorType: 0), .badRequest, "IMAGE_ASPECT_RATIO"),
                ("5:1 strip", HandMadePNG.make(width: 200, height: 1000, colorType: 0), .badRequest, "IMAGE_ASPECT_RATIO"),
                ("truncated JPEG", jpeg.prefix(jpeg.count * 6 / 10), .badRequest, "IMAGE_UNREADABLE"),
            ]
            for (name, data, status, code) in cases {
                let response = try await PhotoTests.upload(accounts, data, token: me.access)
                #expect(response.status == status, "\(name): \(response.text)")
                #expect(try JSONBody(response)["code"] as? String == code, "\(name)")
            }
            let list = try JSONBody(try await accounts.get("/api/me/photos", token: me.access))
            #expect((list["data"] as? [Any])?.isEmpty == true, "nothing stored")
        }
    }

    @Test func uploadsArePacedPerPerson() async throws {
        try await withAccounts(["PHOTO_UPLOAD_LIMIT": "3", "PHOTO_UPLOAD_WINDOW": "10m"]) { accounts in
            let me = try await accounts.signUp()
            let junk = try PhotoTests.fixture("not-an-image.jpg")
            for _ in 1...3 {
                #expect(try await PhotoTests.upload(accounts, junk, token: me.access).status == .unsupportedMediaType)
            }
            let paced = try await PhotoTests.upload(accounts, junk, token: me.access)
            #expect(paced.status == .tooManyRequests)
            #expect(try JSONBody(paced)["code"] as? String == "TOO_MANY_UPLOADS")
            #expect((Int(paced.headers[.retryAfter] ?? "") ?? 0) > 0)
            let someoneElse = try await accounts.signUp()
            #expect(try await PhotoTests.upload(accounts, junk, token: someoneElse.access).status == .unsupportedMediaType, "per person")
        }
    }

    @Test func aFullPhotoPoolAnswers503WhileLoginsGoOn() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        let pool = PhotoDecodePool(threads: 1, queueLimit: 0)
        let app = try await buildApplication(
            configuration: try TestDatabase.configuration(["MAIL_OUTBOX_DIR": outbox, "TRUST_PROXY": "true"]), logger: TestDatabase.logger,
            photoDecoding: pool
        )
        try await app.test(.router) { client in
            let accounts = AccountHelper(client: client, outbox: outbox)
            let email = AccountHelper.uniqueEmail("photographer")
            let me = try await accounts.signUp(email: email)
            // The pool's one place is taken and its one thread is busy, as with a slow decode.
            #expect(pool.enter())
            let gate = DispatchSemaphore(value: 0)
            let held = Task { try await pool.run { gate.wait() } }
            do {
                let refused = try await PhotoTests.upload(accounts, try PhotoTests.fixture("rotated-with-gps.jpg"), token: me.access)
                #expect(refused.status == .serviceUnavailable)
                #expect(try JSONBody(refused)["code"] as? String == "PHOTO_BUSY")
                #expect(refused.headers[.retryAfter] == "5")
                // Password hashing does not share the photo threads: a login completes while they are held.
                let login = try await accounts.login(email: email, password: "a calm morning walk")
                #expect(login.status == .ok)
                #expect(pool.inUse == 1, "the photo place was held throughout")
            } catch {
                gate.signal()
                throw error
            }
            gate.signal()
            try await held.value
            pool.leave()
            let accepted = try await PhotoTests.upload(accounts, try PhotoTests.fixture("rotated-with-gps.jpg"), token: me.access)
            #expect(accepted.status == .created, "\(accepted.text)")
        }
    }
}
