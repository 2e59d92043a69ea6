import Foundation
import Hummingbird

/// Settings: text size, contrast, motion and language (remembered in the browser), read-aloud, and
/// the PIPA rights: downloading all one's data, and deleting the account after a clear warning.
struct SettingsPages: Sendable {
    let renderer: PageRenderer
    let privacy: PrivacyController
    let session: WebSession
    let notifications: NotificationStore
    let choices: ProfileChoices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/settings", use: show)
        router.post("/settings", use: save)
        router.post("/settings/text-size", use: saveTextSize)
        router.get("/settings/export", use: export)
        router.post("/settings/delete", use: delete)
        router.post("/settings/notifications", use: saveMailSettings)
        router.post("/settings/pause", use: savePause)
        router.post("/settings/helper", use: saveHelper)
    }

    private func page(request: Request, context: AppRequestContext, values: [String: Any] = [:], status: HTTPResponse.Status = .ok) -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        let preferences = context.web.preferences
        var values = values
        values["sizes"] = WebPreferences.TextSize.allCases.map { size in
            ["value": size.rawValue, "label": text["text_\(size.rawValue)"], "checked": size == preferences.textSize] as [String: Any]
        }
        values["highContrast"] = preferences.highContrast
        values["reducedMotion"] = preferences.reducedMotion
        values["korean"] = preferences.korean
        return renderer.render("settings", title: text["settings_title"], values: values, status: status, request: request, context: context)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        var values: [String: Any] = [
            "saved": request.uri.queryParameters.get("saved") != nil, "mailSaved": request.uri.queryParameters.get("mail") != nil,
        ]
        if let userID = context.caller?.userID {
            let wanted = try await notifications.mailPreferences(for: userID, logger: context.logger)
            values["mailMatch"] = wanted["match"] ?? true
            values["mailMessage"] = wanted["message"] ?? true
            if let state = try await choices.state(of: userID, logger: context.logger) {
                let text = WebText(korean: context.web.preferences.korean)
                values["hasProfile"] = true
                values["paused"] = state.pausedAt != nil
                values["pausedSince"] = state.pausedAt.map {
                    text["paused_since"].replacingOccurrences(of: "%@", with: InterestPages.day($0, korean: text.korean))
                } as Any
                values["outsideWriter"] = state.outsideWriterAllowed
            }
            values["pauseSaved"] = request.uri.queryParameters.get("pause") != nil
            values["helperSaved"] = request.uri.queryParameters.get("helper") != nil
        }
        return page(request: request, context: context, values: values)
    }

    /// 휴면: pause or come back.
    @Sendable func savePause(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?expired=1&next=/settings") }
        _ = try await choices.setPaused(form["pause"] == "1", for: userID, requestID: context.id, logger: context.logger)
        return PageRenderer.redirect(to: "/settings?pause=1#pause")
    }

    /// Whether the conversation helper may use the outside AI provider with her card's facts.
    @Sendable func saveHelper(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?expired=1&next=/settings") }
        _ = try await choices.setOutsideWriter(form.checked("outside"), for: userID, requestID: context.id, logger: context.logger)
        return PageRenderer.redirect(to: "/settings?helper=1#helper")
    }

    @Sendable func saveMailSettings(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?expired=1&next=/settings") }
        try await notifications.setMailPreferences(
            ["match": form.checked("match"), "message": form.checked("message")], for: userID, as: context.identity, requestID: context.id,
            logger: context.logger
        )
        return PageRenderer.redirect(to: "/settings?mail=1")
    }

    @Sendable func save(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        var preferences = WebPreferences()
        preferences.textSize = WebPreferences.TextSize(rawValue: form["textSize"] ?? "") ?? .normal
        preferences.highContrast = form.checked("highContrast")
        preferences.reducedMotion = form.checked("reducedMotion")
        preferences.korean = form["language"] != "en"
        return PageRenderer.redirect(to: "/settings?saved=1", cookies: [preferences.cookie(secure: session.secureCookies)])
    }

    /// The header's 가 / 가 / 가: changes the text size alone and returns to the page it was pressed on.
    @Sendable func saveTextSize(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        var preferences = context.web.preferences
        preferences.textSize = WebPreferences.TextSize(rawValue: form["textSize"] ?? "") ?? preferences.textSize
        return PageRenderer.redirect(to: InternalRedirect.pathOrHome(form["back"]), cookies: [preferences.cookie(secure: session.secureCookies)])
    }

    @Sendable func export(request: Request, context: AppRequestContext) async throws -> Response {
        guard context.caller != nil else { return PageRenderer.redirect(to: "/login?next=/settings") }
        var response = try await privacy.export(request: request, context: context)
        response.headers[.contentDisposition] = "attachment; filename=\"inyeon-my-data.json\""
        return response
    }

    @Sendable func delete(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/settings") }
        let text = WebText(korean: context.web.preferences.korean)
        guard try await privacy.deleteAccount(
            userID, password: form["password"] ?? "", address: context.remoteAddress, requestID: context.id, logger: context.logger
        ) else {
            return page(request: request, context: context, values: ["deleteError": text["delete_failed"]], status: .badRequest)
        }
        var context = context
        context.caller = nil
        var response = renderer.render(
            "message", title: text["delete_heading"],
            values: ["heading": text["delete_heading"], "text": text["deleted"], "linkHref": "/", "linkLabel": text["nav_about"]],
            request: request, context: context
        )
        for cookie in session.signedOut() { response.setCookie(cookie) }
        return response
    }
}
