import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
@testable import InyeonService
import PostgresNIO
import Testing

/// The pages as the people they are for use them, through HTTP against real PostgreSQL: faces where
/// people are (and only where their card may be seen), a profile that starts empty and says what is
/// missing, reports from a card and the customer centre reaching the moderators, the pause, and the
/// help, safety and legal pages linked from sign-up.
@Suite struct PagesForPeopleTests {
    typealias Browser = WebPageTests.Browser

    /// Her and him, signed up through the pages, with profiles that admit each other; names unique to the test.
    static func couple(_ client: any TestClientProtocol, outbox: String) async throws -> (her: Browser, him: Browser, herName: String, hisName: String) {
        let suffix = String(UUID().uuidString.prefix(6))
        let (herName, hisName) = ("김정숙\(suffix)", "박영수\(suffix)")
        let her = try await WebPageTests.signedUp(client, outbox: outbox, name: herName)
        let him = try await WebPageTests.signedUp(client, outbox: outbox, name: hisName)
        #expect(try await her.post("/profile", WebPageTests.profileFields(her, name: herName, gender: "female", seeking: "male")).status == .seeOther)
        #expect(try await him.post("/profile", WebPageTests.profileFields(him, name: hisName, gender: "male", seeking: "female")).status == .seeOther)
        return (her, him, herName, hisName)
    }

    /// The id on the card whose heading is `name`, on `page`.
    static func cardID(_ page: TestResponse, name: String) throws -> String {
        String(try #require(page.text.firstMatch(of: try Regex(#"id="name-([0-9a-f-]+)">\#(name)<"#))?.output[1].substring))
    }

    /// Uploads a photo as the photo page's script does (raw bytes, the form token in a header).
    static func uploadPhoto(_ browser: Browser, _ data: Data) async throws -> TestResponse {
        try await browser.client.execute(
            uri: "/profile/photos", method: .post,
            headers: [.cookie: browser.cookieHeader, .init("X-CSRF-Token")!: browser.csrf, .contentType: "application/octet-stream"],
            body: ByteBuffer(bytes: data)
        )
    }

    static func moderationQueue(_ client: any TestClientProtocol) async throws -> [[String: Any]] {
        let moderator = try await OperatorTasks.issueServiceToken(
            configuration: try TestDatabase.configuration(), name: "pages-tests", role: .moderator, scope: "moderation:read", lifetimeSeconds: 600,
            logger: TestDatabase.logger
        )
        let response = try await client.execute(uri: "/api/moderation/cases?limit=100", method: .get, headers: [.authorization: "Bearer \(moderator)"])
        #expect(response.status == .ok, "\(response.text)")
        return try JSONBody(response)["data"] as? [[String: Any]] ?? []
    }

    @Test func facesAppearWhereThePersonIsAndOnlyWhereTheirCardMayBeSeen() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        try await withApp(["MAIL_OUTBOX_DIR": outbox, "RECOMMENDATION_MODEL_MAX_AGE": "0"], testing: .live) { client in
            let (her, him, herName, hisName) = try await Self.couple(client, outbox: outbox)
            let uploaded = try await Self.uploadPhoto(him, HandMadePNG.make(width: 300, height: 240))
            #expect(uploaded.status == .created, "\(uploaded.text)")
            let photoID = try #require(try JSONBody(uploaded)["data.id"] as? String)

            // His face on his card in her introductions: card size, proportions kept, lazy; hers (no photo) is her initial.
            let cards = try await her.get("/recommendations")
            #expect(cards.text.contains(#"<img class="portrait portrait-card" src="/photos/\#(photoID)/card" width="300" height="240" alt="\#(hisName) 님의 사진" loading="lazy""#))
            let hisCards = try await him.get("/recommendations")
            #expect(hisCards.text.contains(#"<span class="portrait portrait-card initials card-portrait-initials" aria-hidden="true">김</span>"#))
            let image = try await her.get("/photos/\(photoID)/card")
            #expect(image.status == .ok && image.headers[.contentType] == "image/jpeg")
            let served = try #require(PhotoTests.jpegInfo(PhotoTests.bytes(image)))
            #expect(served.width == 300 && served.height == 240, "the page's width and height are the picture's")
            // His own card, as others see it.
            let preview = try await him.get("/profile/preview")
            #expect(preview.status == .ok && preview.text.contains("/photos/\(photoID)/card") && preview.text.contains(hisName))

            // A like: on her list of likes sent, and (once he answers) in the conversation list and header.
            let hisID = try Self.cardID(cards, name: hisName)
            _ = try await her.post("/recommendations/decide", [("_csrf", her.csrf), ("userId", hisID), ("decision", "like")])
            #expect(try await her.get("/likes").text.contains(#"src="/photos/\#(photoID)/thumbnail""#))
            let herID = try Self.cardID(hisCards, name: herName)
            let matched = try await him.post("/recommendations/decide", [("_csrf", him.csrf), ("userId", herID), ("decision", "like")])
            let conversation = String(try #require(matched.headers[.location]).dropFirst("/matches?new=".count))
            let thumbnail = #"<img class="portrait portrait-thumb" src="/photos/\#(photoID)/thumbnail" width="160" height="128" alt="" loading="lazy""#
            let small = try #require(PhotoTests.jpegInfo(PhotoTests.bytes(try await her.get("/photos/\(photoID)/thumbnail"))))
            #expect(small.width == 160 && small.height == 128)
            #expect(try await her.get("/matches").text.contains(thumbnail))
            let talk = try await her.get("/chat/\(conversation)")
            #expect(talk.text.contains(thumbnail) && talk.text.contains("<h1>\(hisName)</h1>"))
            // Messages say who wrote them, in the markup.
            _ = try await her.post("/chat/\(conversation)", [("_csrf", her.csrf), ("text", "안녕하세요, 반갑습니다.")])
            let written = try await her.get("/chat/\(conversation)")
            #expect(written.text.contains(#"<p class="message-sender">내가 보낸 메시지</p>"#))
            #expect(try await him.get("/chat/\(conversation)").text.contains(#"<p class="message-sender">\#(herName)</p>"#))

            // He blocks her: his face is gone for her, the picture itself included.
            _ = try await him.post("/chat/\(conversation)/block", [("_csrf", him.csrf)])
            #expect(try await her.get("/photos/\(photoID)/card").status == .notFound)
            #expect(!(try await her.get("/recommendations").text.contains(photoID)))
        }
    }

    @Test func theProfileStartsEmptyKeepsHerNameAndSaysWhatIsMissing() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        try await withApp(["MAIL_OUTBOX_DIR": outbox], testing: .live) { client in
            let browser = try await WebPageTests.signedUp(client, outbox: outbox, name: "이순자")
            let empty = try await browser.get("/profile")
            #expect(empty.text.contains(#"id="display-name" name="displayName" type="text" value="이순자""#), "the name from sign-up")
            for chosen in [#"value="female" checked"#, #"value="male" checked"#, #"value="widowed" selected"#, #"value="서울|마포구" selected"#] {
                #expect(!empty.text.contains(chosen), "nothing is chosen for her: \(chosen)")
            }
            // Every district of the country, grouped by 시·도 under today's names.
            #expect(empty.text.contains(#"<optgroup label="강원특별자치도" data-region="강원">"#) && empty.text.contains(#"value="강원|양구군""#))
            #expect(empty.text.contains(#"value="대구|군위군""#) && empty.text.contains(#"value="충북|단양군""#))

            // Saved with only a name and an impossible year: a summary first, linking each field in the form's order.
            let year = KoreanCalendar.currentYear()
            let rejected = try await browser.post("/profile", [("_csrf", browser.csrf), ("displayName", "이순자"), ("birthYear", "1890"),
                                                              ("ageMin", "70"), ("ageMax", "50"), ("distance", "30")])
            #expect(rejected.status == .badRequest)
            let summary = try #require(rejected.text.firstMatch(of: /<div class="error-summary" id="error-summary"[\s\S]*?<\/div>/)?.output)
            let links = summary.matches(of: /href="#([a-z-]+)"/).map { String($0.output.1) }
            #expect(links == ["birth-year", "gender-female", "marital-status", "children-count", "region", "seeking-male", "age-min"])
            #expect(summary.contains("1890년생이면 올해 만 \(year - 1890)세입니다"))
            #expect(summary.contains("원하는 나이의 ‘최소’(70세)가 ‘최대’(50세)보다 큽니다"))
            #expect(rejected.text.contains(#"id="birth-year-error""#) && rejected.text.contains(#"aria-invalid="true""#))

            // The same in English.
            _ = try await browser.post("/settings", [("_csrf", browser.csrf), ("textSize", "normal"), ("language", "en")])
            let english = try await browser.post("/profile", [("_csrf", browser.csrf), ("displayName", "이순자"), ("birthYear", "예순")])
            #expect(english.text.contains("Write your year of birth as four digits") && english.text.contains("Choose your gender."))
            #expect(!english.text.contains("골라 주세요."), "no Korean problem left in English")
            _ = try await browser.post("/settings", [("_csrf", browser.csrf), ("textSize", "normal"), ("language", "ko")])

            // A 군 in 강원, answered fully: saved, and her age shown as computed.
            var fields = WebPageTests.profileFields(browser, name: "이순자", gender: "female", seeking: "male")
            fields[fields.firstIndex { $0.0 == "place" }!] = ("place", "강원|양구군")
            fields[fields.firstIndex { $0.0 == "birthYear" }!] = ("birthYear", String(year - 58))
            fields += [("religion", "buddhist"), ("share-religion", "1"), ("smoking", "no")]
            #expect(try await browser.post("/profile", fields).headers[.location] == "/recommendations")
            let saved = try await browser.get("/profile")
            #expect(saved.text.contains(#"value="강원|양구군" selected"#) && saved.text.contains(#"<option value="강원" selected>강원특별자치도"#))
            #expect(saved.text.contains("올해 만 58세가 되십니다."))
            // Her card as others see it: the shared fact is on it, the unshared one is not.
            let preview = try await browser.get("/profile/preview")
            #expect(preview.text.contains("종교: 불교") && !preview.text.contains("담배"))
            #expect(preview.text.contains(#"aria-hidden="true">이</span>"#), "no photo yet: her initial")
        }
    }

    @Test func aCardCanBeReportedBeforeAnyMatchAndATicketReachesTheModerators() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        try await withApp(["MAIL_OUTBOX_DIR": outbox, "RECOMMENDATION_MODEL_MAX_AGE": "0", "TRUST_PROXY": "true"], testing: .live) { client in
            let (her, _, _, hisName) = try await Self.couple(client, outbox: outbox)
            let cards = try await her.get("/recommendations")
            let hisID = try Self.cardID(cards, name: hisName)
            #expect(cards.text.contains(#"action="/people/\#(hisID)/report""#) && cards.text.contains("돈이나 투자를 요구함"))

            // Without a category nothing is sent; a person she cannot see cannot be reported.
            let incomplete = try await her.post("/people/\(hisID)/report", [("_csrf", her.csrf), ("back", "/recommendations")])
            #expect(incomplete.headers[.location] == "/recommendations?report=incomplete")
            let nobody = try await her.post("/people/\(UUID().uuidString.lowercased())/report", [("_csrf", her.csrf), ("category", "fake")])
            #expect(nobody.headers[.location] == "/recommendations?report=gone")
            let reported = try await her.post("/people/\(hisID)/report", [
                ("_csrf", her.csrf), ("category", "money"), ("note", "첫 인사에 투자 이야기를 했어요"), ("back", "/recommendations"),
            ])
            #expect(reported.headers[.location] == "/recommendations?report=received")
            #expect(try await her.get("/recommendations?report=received").text.contains(#"id="report-notice""#))

            // A ticket from someone signed out (a suspended person, say): the summary names what is missing, then it is sent.
            let visitor = Browser(client, forwardedFor: "198.51.100.\(Int.random(in: 2...250))")
            let form = try await visitor.get("/support")
            #expect(form.status == .ok && form.text.contains(#"id="support-email""#))
            let missing = try await visitor.post("/support", [("_csrf", visitor.csrf), ("message", " ")])
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains(##"href="#support-category""##) && missing.text.contains(##"href="#support-message""##)
                && missing.text.contains(##"href="#support-email""##))
            let address = AccountHelper.uniqueEmail("locked-out")
            let sent = try await visitor.post("/support", [
                ("_csrf", visitor.csrf), ("category", "suspension"), ("message", "제 계정이 정지되었는데 이유를 알고 싶습니다."), ("email", address),
            ])
            #expect(sent.status == .ok && sent.text.contains("문의를 받았습니다"))

            let queue = try await Self.moderationQueue(client)
            let report = queue.first { $0["kind"] as? String == "profile_report" && $0["subjectId"] as? String == hisID }
            #expect(report?["category"] as? String == "money" && report?["note"] as? String == "첫 인사에 투자 이야기를 했어요")
            #expect(report?["conversationId"] == nil, "no conversation: made from a card")
            let ticket = queue.first { $0["kind"] as? String == "support" && $0["contactEmail"] as? String == address }
            #expect(ticket?["category"] as? String == "suspension" && ticket?["reporterId"] == nil)
        }
    }

    @Test func aPausedProfileIsIntroducedToNoOneButItsMatchesAndComesBack() async throws {
        try await withAccounts(MatchLifecycleTests.overrides) { accounts in
            let her = try await MatchLifecycleTests.member(accounts, "female", name: "쉬는분")
            let him = try await MatchLifecycleTests.member(accounts, "male", name: "짝")
            let stranger = try await MatchLifecycleTests.member(accounts, "male", name: "처음")
            _ = try await MatchLifecycleTests.decide(accounts, her, "like", about: him)
            _ = try await MatchLifecycleTests.decide(accounts, him, "like", about: her)
            #expect(try await MatchLifecycleTests.recommendedIDs(accounts, for: stranger).contains(her.id))

            let paused = try await accounts.client.execute(uri: "/api/me/pause", method: .put, headers: [.authorization: "Bearer \(her.token)"])
            let pausedAt = try JSONBody(paused)["data.pausedAt"] as? String
            #expect(paused.status == .ok && pausedAt != nil)
            #expect(try await !MatchLifecycleTests.recommendedIDs(accounts, for: stranger).contains(her.id), "introduced to no one")
            let like = try await accounts.post("/api/matching/decisions", ["userId": her.id, "decision": "like"], token: stranger.token)
            #expect(like.status == .notFound, "nobody new can like a paused card")
            // Her match still sees her card (the conversation goes on with her name and face).
            let seen = try await accounts.get("/api/matching/intelligent-compatibility/\(her.id)", token: him.token)
            let seenName = try JSONBody(seen)["data.targetUser.name"] as? String
            #expect(seen.status == .ok && seenName == "쉬는분")
            #expect(try await accounts.get("/api/matching/intelligent-compatibility/\(her.id)", token: stranger.token).status == .notFound)

            let resumed = try await accounts.client.execute(uri: "/api/me/pause", method: .delete, headers: [.authorization: "Bearer \(her.token)"])
            let resumedAt = try JSONBody(resumed)["data.pausedAt"]
            #expect(resumed.status == .ok && resumedAt == nil)
            #expect(try await MatchLifecycleTests.recommendedIDs(accounts, for: stranger).contains(her.id), "back in the introductions")
            let audited = try await TestDatabase.withOwnerClient { client in
                try await client.query(
                    "SELECT count(*)::int FROM audit_log WHERE actor_id = \(UUID(uuidString: her.id)!) AND action IN ('profile.paused', 'profile.resumed')"
                ).decode(Int.self).reduce(0, +)
            }
            #expect(audited == 2)
        }
    }

    /// The photo page's script shows the service's reason for a refused upload, in the reader's
    /// language (the path is a page's, whose errors were whole pages the script could not read);
    /// deleting a photo asks first.
    @Test func aRefusedPhotoSaysWhyAndDeletingOneAsksFirst() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        try await withApp(["MAIL_OUTBOX_DIR": outbox], testing: .live) { client in
            let browser = try await WebPageTests.signedUp(client, outbox: outbox, name: "사진분")
            let refused = try await Self.uploadPhoto(browser, Data("this is not a picture".utf8))
            #expect(refused.status == .unsupportedMediaType && refused.headers[.contentType]?.hasPrefix("application/json") == true)
            let body = try JSONBody(refused)
            #expect(body["code"] as? String == "UNSUPPORTED_IMAGE" && body["error"] as? String == "JPEG, PNG, WebP 사진만 올리실 수 있습니다.")
            let forged = try await browser.client.execute(
                uri: "/profile/photos", method: .post, headers: [.cookie: browser.cookieHeader, .contentType: "application/octet-stream"],
                body: ByteBuffer(bytes: HandMadePNG.make(width: 300, height: 240))
            )
            let forgedCode = try JSONBody(forged)["code"] as? String
            #expect(forged.status == .forbidden && forgedCode == "CSRF_REJECTED", "no form token, no upload")
            _ = try await browser.post("/settings", [("_csrf", browser.csrf), ("textSize", "normal"), ("language", "en")])
            let english = try JSONBody(try await Self.uploadPhoto(browser, Data("still not a picture".utf8)))
            #expect(english["error"] as? String == "Only JPEG, PNG and WebP photos can be uploaded.")
            #expect(try await Self.uploadPhoto(browser, HandMadePNG.make(width: 300, height: 240)).status == .created)
            let page = try await browser.get("/profile/photos")
            #expect(page.text.contains(#"id="remove-photo-1" data-confirm="Delete this photo? It cannot be undone.""#))
        }
    }

    /// A ticket outlives its sender's account (kept for the staff, no longer hers): deleting the
    /// account must not fail because a ticket then names nobody.
    @Test func someoneWhoWroteToTheCustomerCentreCanStillDeleteTheirAccount() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        try await withApp(["MAIL_OUTBOX_DIR": outbox], testing: .live) { client in
            let browser = try await WebPageTests.signedUp(client, outbox: outbox, name: "탈퇴할분")
            let note = "탈퇴 전에 문의 \(UUID().uuidString)"
            let sent = try await browser.post("/support", [("_csrf", browser.csrf), ("category", "account"), ("message", note)])
            #expect(sent.status == .ok && sent.text.contains("문의를 받았습니다"))
            let deleted = try await browser.post("/settings/delete", [("_csrf", browser.csrf), ("password", "a calm morning walk")])
            #expect(deleted.status == .ok, "\(deleted.status)")
            let left = try await TestDatabase.withOwnerClient { owner in
                try await owner.query("SELECT count(*)::int FROM moderation_cases WHERE note = \(note) AND reporter_id IS NULL")
                    .decode(Int.self).reduce(0, +)
            }
            #expect(left == 1, "the ticket stays for the staff, naming nobody")
        }
    }

    /// The introductions' index may be minutes old; what a person changed since (a fact unshared)
    /// counts at once in the scores shown.
    @Test func aFactUnsharedCountsNoMoreAtOnceThoughTheIndexIsOlder() async throws {
        try await withAccounts(["RECOMMENDATION_MODEL_MAX_AGE": "600s"]) { accounts in
            func facts(_ shared: [String]) -> [String: Any] {
                ["religion": "catholic", "smoking": "yes", "drinking": "often", "shared": shared]
            }
            let place = accounts.testPlace
            var herProfile = MatchLifecycleTests.profile("female", name: "사실", birthYear: 1968, city: place.city, district: place.district)
            herProfile["facts"] = facts(["smoking", "drinking", "religion"])
            var hisProfile = MatchLifecycleTests.profile("male", name: "보는이", birthYear: 1966, city: place.city, district: place.district)
            hisProfile["facts"] = ["religion": "buddhist", "smoking": "no", "drinking": "no", "shared": ["smoking", "drinking", "religion"]]
            let her = try await accounts.signUp(), him = try await accounts.signUp()
            try await HiddenFactsTests.put(accounts, herProfile, token: her.access)
            try await HiddenFactsTests.put(accounts, hisProfile, token: him.access)
            func lifestyle() async throws -> Int? {
                let body = try JSONBody(try await accounts.get("/api/matching/recommendations?limit=50", token: him.access))
                let list = body["data.recommendations"] as? [[String: Any]] ?? []
                let card = list.first { ($0["user"] as? [String: Any])?["id"] as? String == her.userID }
                return ((card?["compatibility"] as? [String: Any])?["breakdown"] as? [String: Any])?["lifestyleMatch"] as? Int
            }
            let apart = try #require(try await lifestyle(), "she is among his introductions")
            herProfile["facts"] = facts([])
            try await HiddenFactsTests.put(accounts, herProfile, token: her.access)
            let unshared = try #require(try await lifestyle())
            #expect(unshared > apart, "three facts apart no longer count against them (\(apart) → \(unshared))")
        }
    }

    @Test func helpSafetyAndLegalPagesAreThereAndLinkedFromSignUp() async throws {
        try await withApp { client in
            let browser = Browser(client)
            let consents = try await browser.get("/signup")
            #expect(consents.text.contains(#"href="/terms" id="terms-link""#) && consents.text.contains(#"href="/privacy" id="privacy-link""#))
            #expect(consents.text.contains(#"id="consent-all" name="all""#))
            // "전체 동의" alone (without script) agrees to the required items; the optional one only by its own box.
            let all = try await browser.post("/signup", [("_csrf", browser.csrf), ("all", "1")])
            #expect(all.status == .ok && all.text.contains(#"id="signup-progress" value="2""#) && all.text.contains(#"name="marketing" value="0""#))
            let withMail = try await browser.post("/signup", [("_csrf", browser.csrf), ("all", "1"), ("marketing", "1")])
            #expect(withMail.text.contains(#"name="marketing" value="1""#))
            for (path, heading, anchor) in [("/help", "도움말", "score"), ("/safety", "안전 센터", "scam-signs"), ("/terms", "이용약관", "eligibility"),
                                            ("/privacy", "개인정보처리방침", "processors")] {
                let page = try await browser.get(path)
                #expect(page.status == .ok && page.text.contains("<h1 id=\"page-heading\">\(heading)") && page.text.contains("id=\"\(anchor)\""), "\(path)")
                #expect(page.text.contains(#"class="button button-secondary read-aloud""#), "read aloud on \(path)")
                #expect(page.text.contains(#"<a href="/privacy"><strong>"#), "every page links the privacy policy")
            }
            #expect(try await browser.get("/privacy").text.contains("privacy@inyeon.kr"), "the privacy officer's contact")
            // The brand goes home: the landing page for a visitor.
            #expect(try await browser.get("/help").text.contains(#"<a class="brand" href="/">"#))
        }
    }
}
