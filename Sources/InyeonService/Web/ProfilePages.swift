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

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/profile", use: show)
        router.post("/profile", use: save)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/profile") }
        let form = try await stored(userID, logger: context.logger) ?? ProfileForm()
        return page(form, problems: [:], request: request, context: context)
    }

    @Sendable func save(request: Request, context: AppRequestContext) async throws -> Response {
        let data = try await FormData(request)
        try context.requireFormToken(data[WebSession.csrfField])
        let form = ProfileForm(form: data)
        guard let userID = context.caller?.userID else {
            // The session ended while the form was being filled in: nothing typed is lost, it is shown again after logging in.
            return page(form, problems: [:], notice: WebText(korean: context.web.preferences.korean)["login_again"], status: .unauthorized,
                        request: request, context: context)
        }
        switch form.profile(currentYear: currentYear()) {
        case .failure(let problems):
            return page(form, problems: problems.fields, status: .badRequest, request: request, context: context)
        case .success(let profile):
            try await profiles.save(profile, for: userID, requestID: context.id, logger: context.logger)
            return PageRenderer.redirect(to: "/recommendations")
        }
    }

    private func stored(_ userID: UUID, logger: Logger) async throws -> ProfileForm? {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT display_name, birth_year, gender, marital_status, children_count, industry, city, district, interests, bio, seeking,
                       preferred_age_min, preferred_age_max, max_distance_km, preferred_marital_statuses, occupation_importance,
                       lifestyle_importance, show_age, show_location, searchable, allow_public_listing, communication_style
                FROM visible_profiles WHERE user_id = \(userID)
                """,
                logger: logger
            ).decode((String, Int, String, String, Int, String, String, String, [String], String, String, Int, Int, Int, [String], Int, Int,
                      Bool, Bool, Bool, Bool, String).self)
            for try await row in rows {
                var form = ProfileForm()
                (form.displayName, form.birthYear, form.gender, form.maritalStatus) = (row.0, String(row.1), row.2, row.3)
                (form.childrenCount, form.industry, form.place, form.interests, form.bio) = (String(row.4), row.5, "\(row.6)|\(row.7)", row.8.joined(separator: ", "), row.9)
                (form.seeking, form.ageMin, form.ageMax, form.distance) = (row.10, String(row.11), String(row.12), String(row.13))
                (form.wantMarital, form.occupationImportance, form.lifestyleImportance) = (Set(row.14), String(row.15), String(row.16))
                (form.showAge, form.showLocation, form.searchable, form.allowPublicListing, form.communicationStyle) = (row.17, row.18, row.19, row.20, row.21)
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
        func field(_ name: String, _ id: String, _ label: String, _ value: String, type: String = "text", help: String? = nil) -> [String: Any] {
            var field: [String: Any] = ["name": name, "id": id, "label": label, "value": value, "type": type, "autocomplete": "off"]
            if let error = problems[name] { field["error"] = error }
            if let help { field["help"] = help }
            return field
        }
        let values: [String: Any] = [
            "notice": notice as Any, "hasErrors": !problems.isEmpty,
            "nameField": field("displayName", "display-name", text["display_name"], form.displayName),
            "birthYearField": field("birthYear", "birth-year", text["birth_year"], form.birthYear, type: "number"),
            "childrenField": field("childrenCount", "children-count", text["children_count"], form.childrenCount, type: "number"),
            "interestsField": field("interests", "interests", text["interests"], form.interests),
            "ageMinField": field("ageMin", "age-min", text["age_min"], form.ageMin, type: "number"),
            "ageMaxField": field("ageMax", "age-max", text["age_max"], form.ageMax, type: "number"),
            "bio": form.bio, "bioError": problems["bio"] as Any,
            "genders": choices(Gender.allCases.map(\.rawValue), chosen: form.gender, prefix: "gender"),
            "seekings": choices(SeekingGender.allCases.map(\.rawValue), chosen: form.seeking, prefix: "seeking"),
            "maritals": choices(MaritalStatus.allCases.map(\.rawValue), chosen: form.maritalStatus, prefix: "marital"),
            "industries": choices(Industry.allCases.map(\.rawValue), chosen: form.industry, prefix: "industry"),
            "places": KoreanPlaces.districts.map { ["value": "\($0.city)|\($0.district)", "label": "\($0.city) \($0.district)", "selected": "\($0.city)|\($0.district)" == form.place] },
            "placeError": problems["place"] as Any,
            "distances": ProfileForm.distances.map { ["value": String($0), "label": "\($0) km", "selected": String($0) == form.distance] },
            "wantMaritals": MaritalStatus.allCases.map { ["value": $0.rawValue, "label": text["marital_\($0.rawValue)"], "checked": form.wantMarital.contains($0.rawValue)] },
            "importances": [("occupationImportance", "occupation-importance", text["occupation_importance"], form.occupationImportance),
                            ("lifestyleImportance", "lifestyle-importance", text["lifestyle_importance"], form.lifestyleImportance)].map { name, id, label, chosen in
                ["name": name, "id": id, "label": label, "levels": (1...5).map { ["value": String($0), "label": text["importance_\($0)"], "selected": String($0) == chosen] }]
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
