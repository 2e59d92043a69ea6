import Foundation
import Hummingbird
import InyeonCore
import Logging
import PostgresNIO

/// One's profile and preferences on one page, in plain words: about me, where I live, whom I would
/// like to meet, and what others may see (each privacy choice explained). Problems are shown next to
/// their field and everything typed is kept.
struct ProfilePages: Sendable {
    let renderer: PageRenderer
    let database: Database
    let profiles: MyProfileController
    let currentYear: @Sendable () -> Int
    let people: PostgresProfileRepository
    let portraits: Portraits

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/profile", use: show)
        router.post("/profile", use: save)
        router.get("/profile/preview", use: preview)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/profile") }
        var form = try await stored(userID, logger: context.logger)
        if form == nil {
            // The first visit: the name given at sign-up is already hers.
            form = ProfileForm()
            form?.displayName = try await signupName(userID, logger: context.logger) ?? ""
        }
        return page(form ?? ProfileForm(), problems: [:], request: request, context: context)
    }

    @Sendable func save(request: Request, context: AppRequestContext) async throws -> Response {
        let data = try await FormData(request)
        try context.requireFormToken(data[WebSession.csrfField])
        let form = ProfileForm(form: data)
        let text = WebText(korean: context.web.preferences.korean)
        guard let userID = context.caller?.userID else {
            // The session ended while the form was being filled in: nothing typed is lost, it is shown again after logging in.
            return page(form, problems: [:], notice: text["login_again"], status: .unauthorized, request: request, context: context)
        }
        switch form.profile(currentYear: currentYear(), text: text) {
        case .failure(let problems):
            return page(form, problems: problems.fields, status: .badRequest, request: request, context: context)
        case .success(let profile):
            try await profiles.save(profile, for: userID, requestID: context.id, logger: context.logger)
            return PageRenderer.redirect(to: "/recommendations")
        }
    }

    /// "다른 분께 이렇게 보입니다": her own card exactly as others see it (read through the same view,
    /// with her privacy choices and shared facts applied), with her first photo.
    @Sendable func preview(request: Request, context: AppRequestContext) async throws -> Response {
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/profile/preview") }
        let text = WebText(korean: context.web.preferences.korean)
        guard let card = try await people.fetchPerson(userID, as: context.identity, logger: context.logger)?.card else {
            return PageRenderer.redirect(to: "/profile")
        }
        let face = try await portraits.first(of: [userID], as: context.identity, logger: context.logger)[userID]
        return renderer.render("profile-preview", title: text["preview_title"], values: [
            "card": Self.cardValues(card, text: text).merging(
                ["face": Portraits.face(face, name: card.name, size: .card, alt: text["photo_of"].replacingOccurrences(of: "%@", with: card.name))],
                uniquingKeysWith: { $1 }
            ),
            "noPhoto": face == nil,
        ], request: request, context: context)
    }

    /// What a card shows, in words: the age bracket, the place, the shared facts, the words and interests.
    static func cardValues(_ card: ProfileCard, text: WebText) -> [String: Any] {
        let place = [card.city, card.district ?? ""].joined(separator: " ").trimmingCharacters(in: .whitespaces)
        let facts = [("religion", card.religion), ("smoking", card.smoking), ("drinking", card.drinking), ("living", card.livesWith)]
            .compactMap { name, value in value.map { text["fact_\(name)"] + ": " + text["fact_\(name)_\($0)"] } }
        return [
            "id": card.id, "name": card.name, "ageRange": card.ageRange ?? text["age_hidden"], "place": place, "bio": card.bio,
            "interests": card.interests.joined(separator: ", "),
            "facts": (facts.isEmpty ? nil : facts.joined(separator: " · ")) as Any,
        ]
    }

    private func signupName(_ userID: UUID, logger: Logger) async throws -> String? {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.query("SELECT display_name FROM private_profiles WHERE user_id = \(userID)", logger: logger)
                .decode(String?.self).reduce(nil) { $0 ?? $1 }
        }
    }

    private func stored(_ userID: UUID, logger: Logger) async throws -> ProfileForm? {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT display_name, birth_year, gender, marital_status, children_count, industry, city, district, interests, bio, seeking,
                       preferred_age_min, preferred_age_max, max_distance_km, preferred_marital_statuses, occupation_importance,
                       lifestyle_importance, show_age, show_location, searchable, allow_public_listing, communication_style,
                       religion, smoking, drinking, living_arrangement, shared_facts
                FROM visible_profiles WHERE user_id = \(userID)
                """,
                logger: logger
            ).decode((String, Int, String, String, Int, String, String, String, [String], String, String, Int, Int, Int, [String], Int, Int,
                      Bool, Bool, Bool, Bool, String, String?, String?, String?, String?, [String]).self)
            for try await row in rows {
                var form = ProfileForm()
                (form.displayName, form.birthYear, form.gender, form.maritalStatus) = (row.0, String(row.1), row.2, row.3)
                (form.childrenCount, form.industry, form.place, form.interests, form.bio) = (String(row.4), row.5, "\(row.6)|\(row.7)", row.8.joined(separator: ", "), row.9)
                (form.seeking, form.ageMin, form.ageMax, form.distance) = (row.10, String(row.11), String(row.12), String(row.13))
                (form.wantMarital, form.occupationImportance, form.lifestyleImportance) = (Set(row.14), String(row.15), String(row.16))
                (form.showAge, form.showLocation, form.searchable, form.allowPublicListing, form.communicationStyle) = (row.17, row.18, row.19, row.20, row.21)
                (form.religion, form.smoking, form.drinking, form.living, form.shared) = (row.22 ?? "", row.23 ?? "", row.24 ?? "", row.25 ?? "", Set(row.26))
                return form
            }
            return nil
        }
    }

    private func page(_ form: ProfileForm, problems: [String: String], notice: String? = nil, status: HTTPResponse.Status = .ok,
                      request: Request, context: AppRequestContext) -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        func choices(_ values: [String], chosen: String, prefix: String) -> [[String: Any]] {
            values.map { ["value": $0, "label": text["\(prefix)_\($0)"], "selected": $0 == chosen] }
        }
        func field(_ name: String, _ id: String, _ label: String, _ value: String, type: String = "text", inputMode: String? = nil,
                   help: String? = nil, required: Bool = false) -> [String: Any] {
            var field: [String: Any] = ["name": name, "id": id, "label": label, "value": value, "type": type, "autocomplete": "off",
                                        "required": required]
            if let error = problems[name] { field["error"] = error }
            if let help { field["help"] = help }
            if let inputMode { field["inputMode"] = inputMode }
            return field
        }
        let year = currentYear()
        let age = Int(form.birthYear).flatMap { ((year - 100)...(year - 18)).contains($0) ? year - $0 : nil }
        let chosenRegion = form.place.split(separator: "|").first.map(String.init) ?? ""
        let regions = KoreanDistrictDirectory.regions.map(\.city)
        let summary = ProfileForm.fieldOrder.compactMap { field in problems[field.name].map { ["fieldId": field.id, "message": $0] } }
        let values: [String: Any] = [
            "notice": notice as Any, "hasErrors": !problems.isEmpty, "errorSummary": summary,
            "nameField": field("displayName", "display-name", text["display_name"], form.displayName, required: true),
            "birthYearField": field("birthYear", "birth-year", text["birth_year"], form.birthYear, type: "text", inputMode: "numeric",
                                    help: age.map { text["age_computed"].replacingOccurrences(of: "%d", with: String($0)) }, required: true),
            "ageTemplate": text["age_computed"], "yearNow": year,
            "childrenField": field("childrenCount", "children-count", text["children_count"], form.childrenCount, type: "text",
                                   inputMode: "numeric", required: true),
            "interestsField": field("interests", "interests", text["interests"], form.interests),
            "ageMinField": field("ageMin", "age-min", text["age_min"], form.ageMin, type: "text", inputMode: "numeric"),
            "ageMaxField": field("ageMax", "age-max", text["age_max"], form.ageMax, type: "text", inputMode: "numeric"),
            "bio": form.bio, "bioError": problems["bio"] as Any,
            "genders": choices(Gender.allCases.map(\.rawValue), chosen: form.gender, prefix: "gender"), "genderError": problems["gender"] as Any,
            "seekings": choices(SeekingGender.allCases.map(\.rawValue), chosen: form.seeking, prefix: "seeking"),
            "seekingError": problems["seeking"] as Any,
            "maritals": choices(MaritalStatus.allCases.map(\.rawValue), chosen: form.maritalStatus, prefix: "marital"),
            "maritalError": problems["maritalStatus"] as Any,
            "industries": choices(Industry.allCases.map(\.rawValue), chosen: form.industry, prefix: "industry"),
            "regions": regions.map { ["value": $0, "label": ProfileForm.regionNames[$0] ?? $0, "selected": $0 == chosenRegion] },
            "districtGroups": regions.map { region in
                [
                    "region": region, "label": ProfileForm.regionNames[region] ?? region,
                    "districts": KoreanDistrictDirectory.districts.filter { $0.city == region }.map { district in
                        let value = "\(district.city)|\(district.district)"
                        return ["value": value, "label": district.district, "selected": value == form.place] as [String: Any]
                    },
                ] as [String: Any]
            },
            "placeError": problems["place"] as Any,
            "distances": ProfileForm.distances.map { ["value": String($0), "label": "\($0) km", "selected": String($0) == form.distance] },
            "distanceError": problems["distance"] as Any,
            "wantMaritals": MaritalStatus.allCases.map { ["value": $0.rawValue, "label": text["marital_\($0.rawValue)"], "checked": form.wantMarital.contains($0.rawValue)] },
            "importances": [("occupationImportance", "occupation-importance", text["occupation_importance"], form.occupationImportance),
                            ("lifestyleImportance", "lifestyle-importance", text["lifestyle_importance"], form.lifestyleImportance)].map { name, id, label, chosen in
                ["name": name, "id": id, "label": label, "error": problems[name] as Any,
                 "levels": (1...5).map { ["value": String($0), "label": text["importance_\($0)"], "selected": String($0) == chosen] }]
            },
            "facts": ProfileForm.optionalFacts.map { fact -> [String: Any] in
                let chosen = ["religion": form.religion, "smoking": form.smoking, "drinking": form.drinking, "living": form.living][fact.name] ?? ""
                return ["name": fact.name, "label": text["fact_\(fact.name)"], "error": problems[fact.name] as Any,
                        "shareLabel": text["fact_share"], "shared": form.shared.contains(fact.name),
                        "choices": fact.choices.map { ["value": $0, "label": text["fact_\(fact.name)_\($0)"], "selected": $0 == chosen] }]
            },
            "privacy": [("showAge", "show-age", form.showAge), ("showLocation", "show-location", form.showLocation),
                        ("searchable", "searchable", form.searchable), ("allowPublicListing", "public-listing", form.allowPublicListing)].map { name, id, on in
                ["name": name, "id": id, "checked": on, "label": text["privacy_\(name)"], "help": text["privacy_\(name)_help"]]
            },
            "communicationStyle": form.communicationStyle,
        ]
        return renderer.render("profile", title: text["profile_title"], values: values, status: status, request: request, context: context)
    }
}
