import Foundation
import Hummingbird
import InyeonCore
import Logging

/// The operator console (`/admin`), for staff signed in on the web: the flags with their rollout
/// plans, cohorts and charts, rolling a feature back (after a confirmation), the moderation queue
/// with the customer centre's tickets, feedback per rollout phase, the audit log with filters,
/// security events and the mail outbox's dead letters. Each page asks for the same scope as its
/// API (`AppRequestContext.require`), and every action goes through the same code as the API, so it
/// is audited the same way. Moderators see the moderation queue only.
struct OperatorConsolePages: Sendable {
    let renderer: PageRenderer
    let rollouts: RolloutOperations
    let history: RolloutRepository
    let flags: FlagStore
    let moderation: ModerationController
    let mail: MailOutboxController
    let audit: AdminAuditController
    let feedback: FeedbackPages
    let securityEvents: SecurityEventCounter
    let database: Database

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/admin", use: home)
        router.get("/admin/rollouts/:flag", use: rollout)
        router.post("/admin/rollouts/:flag/start", use: start)
        router.post("/admin/rollouts/:flag/pause", use: pause)
        router.post("/admin/rollouts/:flag/resume", use: resume)
        router.get("/admin/rollouts/:flag/rollback", use: confirmRollback)
        router.post("/admin/rollouts/:flag/rollback", use: rollBack)
        router.get("/admin/moderation", use: moderationQueue)
        router.post("/admin/moderation/:caseId/review", use: review)
        router.get("/admin/feedback", use: feedbackReport)
        router.get("/admin/audit", use: auditLog)
        router.get("/admin/security", use: security)
        router.get("/admin/mail", use: mailOutbox)
        router.post("/admin/mail/:mailId/retry", use: retryMail)
    }

    // MARK: Flags and rollouts

    @Sendable func home(request: Request, context: AppRequestContext) async throws -> Response {
        if let signIn = Self.signInFirst(request, context) { return signIn }
        let text = WebText(korean: context.web.preferences.korean)
        guard let admin = try? context.require(.flagsWrite) else {
            _ = try context.require(.moderationRead)
            return PageRenderer.redirect(to: "/admin/moderation")
        }
        let plans = Dictionary(
            uniqueKeysWithValues: try await rollouts.all(as: admin, logger: context.logger).map { ($0.flag, $0) }
        )
        let rows: [[String: Any]] = FeatureFlag.allCases.map { flag in
            let plan = plans[flag.apiName]
            return [
                "name": flag.apiName, "label": text["console_flag_\(flag.apiName)"], "setting": flags.rules(for: flag).setting.description,
                "href": "/admin/rollouts/\(flag.apiName)", "status": plan.map { text["console_status_\($0.status)"] } ?? text["console_no_plan"],
                "step": plan.map { "\($0.percentage)%" } ?? "–",
                "people": plan.map { "\($0.peopleWithTheFeature)\($0.peopleWithTheFeatureAtLeast ? "+" : "")" } ?? "–",
            ]
        }
        return page("console-home", title: text["console_title"], section: "flags", values: ["flags": rows], request: request, context: context)
    }

    @Sendable func rollout(request: Request, context: AppRequestContext) async throws -> Response {
        if let signIn = Self.signInFirst(request, context) { return signIn }
        let admin = try context.require(.flagsWrite)
        let flag = try FlagsController.flag(context)
        let text = WebText(korean: context.web.preferences.korean)
        let shown = try await rollouts.all(as: admin, logger: context.logger).first { $0.flag == flag.apiName }
        var values: [String: Any] = [
            "flag": flag.apiName, "flagLabel": text["console_flag_\(flag.apiName)"], "setting": flags.rules(for: flag).setting.description,
            "notice": request.uri.queryParameters.get("done").flatMap { text.words["console_done_\($0)"] } ?? "",
        ]
        let defaults = Set(RolloutPlan(flag: flag).guardrails.map(\.measure))
        values["measures"] = RolloutPlan.Guardrail.Measure.allCases.map {
            ["value": $0.rawValue, "label": text["console_measure_\($0.rawValue)"], "checked": defaults.contains($0)]
        }
        if let shown {
            values["plan"] = planValues(shown, text: text)
            let points = try await history.history(of: flag, since: Date().addingTimeInterval(-30 * 86_400), as: admin, logger: context.logger)
            values["charts"] = charts(points, text: text)
            values["historyRows"] = historyRows(points, text: text)
            values["hasHistory"] = !points.isEmpty
        }
        let entries = try await audit.read(
            AuditLogSearch.Filter(targetID: flag.rawValue), limit: 20, as: admin, via: "console", requestID: context.id, logger: context.logger
        )
        values["entries"] = entryRows(entries, text: text)
        return page("console-rollout", title: text["console_flag_\(flag.apiName)"], section: "flags", values: values, request: request, context: context)
    }

    @Sendable func start(request: Request, context: AppRequestContext) async throws -> Response {
        guard let (form, admin) = try await consoleForm(request, context, scope: .flagsWrite) else { return Self.signInPage }
        let flag = try FlagsController.flag(context)
        let steps = (form["steps"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == "→" }).map { Int($0) }
        guard !steps.isEmpty, steps.allSatisfy({ $0 != nil }), let minutes = Int(form["minutes"] ?? ""), let people = Int(form["people"] ?? "") else {
            throw APIError.badRequest("INVALID_ROLLOUT_PLAN", "단계(예: 10, 50, 100), 단계별 최소 시간(분)과 최소 인원을 숫자로 적어 주세요.")
        }
        let chosen = RolloutPlan.Guardrail.Measure.allCases.filter { form.checked("guardrail_\($0.rawValue)") }.map(\.rawValue)
        let body = RolloutOperations.PlanRequest(
            steps: steps.compactMap { $0 }, minimumStepSeconds: minutes.multipliedReportingOverflow(by: 60).overflow ? -1 : minutes * 60,
            minimumPeoplePerStep: people,
            guardrails: chosen.isEmpty ? nil : chosen.map { .init(measure: $0) }
        )
        _ = try await rollouts.start(flag, body, as: admin, requestID: context.id, logger: context.logger)
        return PageRenderer.redirect(to: "/admin/rollouts/\(flag.apiName)?done=started")
    }

    @Sendable func pause(request: Request, context: AppRequestContext) async throws -> Response {
        try await move(request, context: context, from: .running, to: .paused, action: "rollout.paused", done: "paused")
    }

    @Sendable func resume(request: Request, context: AppRequestContext) async throws -> Response {
        try await move(request, context: context, from: .paused, to: .running, action: "rollout.resumed", done: "resumed")
    }

    /// The rollback's confirmation: what will happen, a place for the reason, and the button.
    @Sendable func confirmRollback(request: Request, context: AppRequestContext) async throws -> Response {
        if let signIn = Self.signInFirst(request, context) { return signIn }
        _ = try context.require(.flagsWrite)
        let flag = try FlagsController.flag(context)
        let text = WebText(korean: context.web.preferences.korean)
        return page(
            "console-rollback", title: text["console_rollback_title"], section: "flags",
            values: ["flag": flag.apiName, "flagLabel": text["console_flag_\(flag.apiName)"], "setting": flags.rules(for: flag).setting.description],
            request: request, context: context
        )
    }

    @Sendable func rollBack(request: Request, context: AppRequestContext) async throws -> Response {
        try await move(request, context: context, from: nil, to: .rolledBack, action: "rollout.rolled_back", done: "rolled_back")
    }

    private func move(
        _ request: Request, context: AppRequestContext, from: RolloutPlan.Progress.Status?, to status: RolloutPlan.Progress.Status, action: String,
        done: String
    ) async throws -> Response {
        guard let (form, admin) = try await consoleForm(request, context, scope: .flagsWrite) else { return Self.signInPage }
        let flag = try FlagsController.flag(context)
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await rollouts.move(
            flag, from: from, to: status, action: action, reason: reason.isEmpty ? "by an operator, in the console" : reason, as: admin,
            requestID: context.id, logger: context.logger
        )
        return PageRenderer.redirect(to: "/admin/rollouts/\(flag.apiName)?done=\(done)")
    }

    private func planValues(_ shown: RolloutOperations.Shown, text: WebText) -> [String: Any] {
        let steps = shown.plan.steps.enumerated().map { index, percentage in
            ["label": "\(percentage)%", "current": index == shown.step && shown.status != "completed", "done": index < shown.step || shown.status == "completed"]
        }
        let cohorts = RolloutPlan.Guardrail.Measure.allCases.map { measure -> [String: Any] in
            let measured = shown.cohorts[measure.rawValue]
            let on = measured?.withFeature ?? .init(trials: 0, events: 0), off = measured?.without ?? .init(trials: 0, events: 0)
            return [
                "measure": text["console_measure_\(measure.rawValue)"], "guardrail": shown.plan.guardrails.contains { $0.measure == measure },
                "on": Self.rate(on), "off": Self.rate(off),
                "verdict": text["console_verdict_\(measured?.verdict.replacingOccurrences(of: " ", with: "_") ?? "not_enough_data")"],
                "worse": measured?.verdict == "worse",
            ]
        }
        return [
            "status": text["console_status_\(shown.status)"], "statusCode": shown.status, "percentage": "\(shown.percentage)%", "steps": steps,
            "stepStartedAt": Self.time(shown.stepStartedAt), "reason": shown.reason ?? "",
            "minimumMinutes": String(shown.plan.minimumStepSeconds / 60), "minimumPeople": String(shown.plan.minimumPeoplePerStep),
            "people": "\(shown.peopleWithTheFeature)\(shown.peopleWithTheFeatureAtLeast ? "+" : "")",
            "ceilingP95": shown.plan.ceilings.p95Milliseconds.map { "\(Int($0)) ms" } ?? "–",
            "ceilingMemory": shown.plan.ceilings.memoryMegabytes.map { "\(Int($0)) MB" } ?? "–",
            "cohorts": cohorts, "running": shown.status == "running", "paused": shown.status == "paused",
            "active": shown.status == "running" || shown.status == "paused",
        ]
    }

    /// The server-error rate and the p95 of each cohort over time, with the steps marked.
    private func charts(_ points: [RolloutRepository.HistoryPoint], text: WebText) -> [[String: Any]] {
        guard !points.isEmpty else { return [] }
        var marks: [SVGLineChart.Mark] = []
        var lastStart: Date?
        for point in points where point.withFeature && point.started != lastStart {
            marks.append(.init(at: point.started < points[0].takenAt ? points[0].takenAt : point.started, label: "\(point.percentage)%"))
            lastStart = point.started
        }
        func series(_ value: (RolloutRepository.HistoryPoint) -> Double?) -> [SVGLineChart.Series] {
            [true, false].map { withFeature in
                SVGLineChart.Series(
                    name: text[withFeature ? "console_cohort_on" : "console_cohort_off"],
                    points: points.filter { $0.withFeature == withFeature }.compactMap { point in value(point).map { .init(at: point.takenAt, value: $0) } },
                    dashed: !withFeature
                )
            }
        }
        let errors = SVGLineChart(
            id: "chart-errors", title: text["console_chart_errors"], description: text["console_chart_description"], unit: "%",
            series: series { $0.requests == 0 ? nil : 100 * Double($0.serverErrors) / Double($0.requests) }, marks: marks
        )
        let latency = SVGLineChart(
            id: "chart-latency", title: text["console_chart_p95"], description: text["console_chart_description"], unit: " ms",
            series: series { $0.p95Milliseconds.map(Double.init) }, marks: marks
        )
        return [errors, latency].map { ["title": $0.title, "svg": $0.render(), "id": $0.id] }
    }

    private func historyRows(_ points: [RolloutRepository.HistoryPoint], text: WebText) -> [[String: Any]] {
        let byMoment = Dictionary(grouping: points, by: \.takenAt)
        return byMoment.keys.sorted(by: >).prefix(12).map { moment in
            let on = byMoment[moment]?.first { $0.withFeature }, off = byMoment[moment]?.first { !$0.withFeature }
            func figures(_ point: RolloutRepository.HistoryPoint?) -> String {
                guard let point else { return "–" }
                let rate = point.requests == 0 ? "–" : Self.percent(Double(point.serverErrors) / Double(point.requests))
                return "\(point.requests) · \(rate) · \(point.p95Milliseconds.map { "\($0) ms" } ?? "–")"
            }
            return ["at": Self.time(moment), "percentage": "\(on?.percentage ?? off?.percentage ?? 0)%", "on": figures(on), "off": figures(off)]
        }
    }

    // MARK: Moderation and tickets

    @Sendable func moderationQueue(request: Request, context: AppRequestContext) async throws -> Response {
        if let signIn = Self.signInFirst(request, context) { return signIn }
        let staff = try context.require(.moderationRead)
        let text = WebText(korean: context.web.preferences.korean)
        let cases = try await moderation.cases(status: "open", limit: 100, as: staff, logger: context.logger)
        func rows(_ cases: [ModerationController.Case]) -> [[String: Any]] {
            cases.map { found in
                [
                    "id": String(found.caseId), "kind": text["console_case_\(found.kind)"], "category": found.category ?? "",
                    "createdAt": Self.time(found.createdAt), "note": found.note ?? "", "contact": found.contactEmail ?? "",
                    "signals": found.signals.joined(separator: ", "), "risk": found.risk.map { Self.percent($0) } ?? "",
                    "conversation": found.conversationId ?? "", "subject": found.subjectId ?? "",
                ]
            }
        }
        let values: [String: Any] = [
            "reports": rows(cases.filter { $0.kind != "support" }), "tickets": rows(cases.filter { $0.kind == "support" }),
            "hasReports": cases.contains { $0.kind != "support" }, "hasTickets": cases.contains { $0.kind == "support" },
            "canReview": (try? context.require(.moderationWrite)) != nil,
            "notice": request.uri.queryParameters.get("done").flatMap { text.words["console_done_\($0)"] } ?? "",
        ]
        return page("console-moderation", title: text["console_moderation_title"], section: "moderation", values: values, request: request, context: context)
    }

    @Sendable func review(request: Request, context: AppRequestContext) async throws -> Response {
        guard let (form, staff) = try await consoleForm(request, context, scope: .moderationWrite) else { return Self.signInPage }
        let caseID = try ModerationController.caseID(context)
        guard let status = form["status"], ["dismissed", "actioned"].contains(status) else {
            throw APIError.badRequest("INVALID_STATUS", "검토 결과를 골라 주세요.")
        }
        guard try await moderation.review(caseID, status: status, as: staff, requestID: context.id, logger: context.logger) != nil else {
            throw ModerationController.notFound
        }
        return PageRenderer.redirect(to: "/admin/moderation?done=\(status)")
    }

    // MARK: Feedback, audit, security, mail

    @Sendable func feedbackReport(request: Request, context: AppRequestContext) async throws -> Response {
        if let signIn = Self.signInFirst(request, context) { return signIn }
        let admin = try context.require(.feedbackRead)
        let text = WebText(korean: context.web.preferences.korean)
        let report = try await feedback.report(recent: 20, as: admin, logger: context.logger)
        let phases = Dictionary(grouping: report.summary, by: \.phase).keys.sorted().map { phase -> [String: Any] in
            let rows = report.summary.filter { $0.phase == phase }
            let count = rows.reduce(0) { $0 + $1.count }
            let average = count == 0 ? 0 : rows.reduce(0.0) { $0 + $1.averageRating * Double($1.count) } / Double(count)
            return [
                "phase": String(phase), "count": String(count), "average": String(format: "%.2f", average),
                "topics": rows.map { ["topic": text["console_topic_\($0.topic)"], "count": String($0.count), "average": String(format: "%.2f", $0.averageRating)] },
            ]
        }
        let recent = report.recent.map { entry -> [String: Any] in
            ["phase": String(entry.phase), "topic": text["console_topic_\(entry.topic)"], "rating": String(entry.rating), "comment": entry.comment,
             "createdAt": Self.time(entry.createdAt)]
        }
        return page("console-feedback", title: text["console_feedback_title"], section: "feedback", values: ["phases": phases, "recent": recent],
                    request: request, context: context)
    }

    @Sendable func auditLog(request: Request, context: AppRequestContext) async throws -> Response {
        if let signIn = Self.signInFirst(request, context) { return signIn }
        let admin = try context.require(.auditRead)
        let text = WebText(korean: context.web.preferences.korean)
        let filter = try AuditLogSearch.Filter(query: request)
        let limit = 50
        let entries = try await audit.read(filter, limit: limit, as: admin, via: "console", requestID: context.id, logger: context.logger)
        var values: [String: Any] = [
            "entries": entryRows(entries, text: text), "action": filter.action ?? "", "actor": filter.actorID?.uuidString.lowercased() ?? "",
            "target": filter.targetID ?? "", "since": request.uri.queryParameters.get("since").map { String($0) } ?? "",
            "until": request.uri.queryParameters.get("until").map { String($0) } ?? "", "filtered": !filter.isEmpty,
        ]
        if entries.count == limit, let last = entries.last?.chainPosition {
            var next = URLComponents()
            next.path = "/admin/audit"
            next.queryItems = [("action", filter.action), ("actor", filter.actorID?.uuidString.lowercased()), ("target", filter.targetID),
                               ("since", values["since"] as? String), ("until", values["until"] as? String), ("before", String(last))]
                .compactMap { name, value in value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) } }
            values["nextPage"] = next.string ?? ""
        }
        return page("console-audit", title: text["console_audit_title"], section: "audit", values: values, request: request, context: context)
    }

    /// The audit actions that are security events.
    static let securityActions = [
        "auth.login_failed", "security.refresh_token_reuse", "security.scam_signal", "account.password_reset_requested", "account.password_reset",
        "account.role_changed", "auth.logout_all", "flag.changed", "rollout.rolled_back",
    ]

    @Sendable func security(request: Request, context: AppRequestContext) async throws -> Response {
        if let signIn = Self.signInFirst(request, context) { return signIn }
        let admin = try context.require(.auditRead)
        let text = WebText(korean: context.web.preferences.korean)
        let now = Date()
        let (day, week) = try await database.transaction(as: admin, logger: context.logger) { connection in
            (try await AuditLogSearch.counts(of: Self.securityActions, since: now.addingTimeInterval(-86_400), on: connection, logger: context.logger),
             try await AuditLogSearch.counts(of: Self.securityActions, since: now.addingTimeInterval(-7 * 86_400), on: connection, logger: context.logger))
        }
        let entries = try await audit.read(
            AuditLogSearch.Filter(actions: Self.securityActions), limit: 30, as: admin, via: "console", requestID: context.id, logger: context.logger
        )
        let counters = securityEvents.snapshot.sorted { $0.key < $1.key }.map { ["event": text["console_event_\($0.key)"], "count": String($0.value)] }
        let values: [String: Any] = [
            "counts": Self.securityActions.map { action in
                ["action": action, "label": text["console_action_\(action)"], "day": String(day[action] ?? 0), "week": String(week[action] ?? 0),
                 "href": "/admin/audit?action=\(action)"]
            },
            "counters": counters, "entries": entryRows(entries, text: text), "instance": StoredRecommendationModels.thisInstance,
        ]
        return page("console-security", title: text["console_security_title"], section: "security", values: values, request: request, context: context)
    }

    @Sendable func mailOutbox(request: Request, context: AppRequestContext) async throws -> Response {
        if let signIn = Self.signInFirst(request, context) { return signIn }
        let admin = try context.require(.mailRead)
        let text = WebText(korean: context.web.preferences.korean)
        let summary = try await mail.summary(state: "dead", limit: 100, as: admin, logger: context.logger)
        let values: [String: Any] = [
            "pending": String(summary.counts["pending"] ?? 0), "sent": String(summary.counts["sent"] ?? 0), "dead": String(summary.counts["dead"] ?? 0),
            "mails": summary.mails.map { found -> [String: Any] in
                ["id": String(found.id), "kind": found.kind, "recipient": found.recipient, "attempts": String(found.attempts),
                 "lastError": found.lastError ?? "", "createdAt": Self.time(found.createdAt)]
            },
            "canRetry": (try? context.require(.mailWrite)) != nil, "hasMails": !summary.mails.isEmpty,
            "notice": request.uri.queryParameters.get("done").flatMap { text.words["console_done_\($0)"] } ?? "",
        ]
        return page("console-mail", title: text["console_mail_title"], section: "mail", values: values, request: request, context: context)
    }

    @Sendable func retryMail(request: Request, context: AppRequestContext) async throws -> Response {
        guard let (_, admin) = try await consoleForm(request, context, scope: .mailWrite) else { return Self.signInPage }
        guard let id = context.parameters.get("mailId", as: Int64.self) else {
            throw APIError.badRequest("INVALID_PARAMETER", "메일 번호가 올바르지 않습니다.")
        }
        guard try await mail.requeue(id, as: admin, requestID: context.id, logger: context.logger) != nil else {
            throw APIError(.notFound, code: "MAIL_NOT_FOUND", message: "다시 보낼 수 있는 실패한 메일이 없습니다.")
        }
        return PageRenderer.redirect(to: "/admin/mail?done=mail_retried")
    }

    // MARK: Shared

    /// A console form: its CSRF token checked, and the staff member's identity for `scope` (403 when
    /// the role does not allow it); nil when signed out.
    private func consoleForm(
        _ request: Request, _ context: AppRequestContext, scope: OperatorScope
    ) async throws -> (FormData, RequestIdentity)? {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard context.caller != nil else { return nil }
        return (form, try context.require(scope))
    }

    /// A form sent signed out goes to the login, then to the console.
    static let signInPage = PageRenderer.redirect(to: "/login?next=/admin")

    /// Signed out: to the login page, and back here after it.
    static func signInFirst(_ request: Request, _ context: AppRequestContext) -> Response? {
        guard context.caller == nil else { return nil }
        let back = request.method == .get ? request.uri.path : "/admin"
        return PageRenderer.redirect(to: "/login?next=\(back.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "/admin")")
    }

    private func entryRows(_ entries: [AuditLogSearch.Entry], text: WebText) -> [[String: Any]] {
        entries.map { entry in
            [
                "position": entry.chainPosition.map(String.init) ?? "", "at": Self.time(entry.occurredAt), "action": entry.action,
                "actor": entry.actorId.map { String($0.uuidString.lowercased().prefix(8)) } ?? text["console_actor_none"],
                "actorFull": entry.actorId?.uuidString.lowercased() ?? "", "role": entry.actorRole,
                "target": [entry.targetType, entry.targetId].compactMap { $0 }.joined(separator: " "),
                "details": entry.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "),
            ]
        }
    }

    private func page(
        _ template: String, title: String, section: String, values: [String: Any], request: Request, context: AppRequestContext
    ) -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        let isAdmin = (try? context.require(.flagsWrite)) != nil
        let sections = (isAdmin ? ["flags", "moderation", "feedback", "audit", "security", "mail"] : ["moderation"]).map { name in
            ["href": name == "flags" ? "/admin" : "/admin/\(name)", "label": text["console_section_\(name)"], "current": name == section]
        }
        var values = values
        values["consoleSections"] = sections
        return renderer.render(template, title: title, values: Self.withoutEmptyText(values) as? [String: Any] ?? values, request: request,
                               context: context)
    }

    /// The values with every empty text left out, so a section such as `{{#note}}` shows only when
    /// there is something to show (Mustache treats any text, even empty, as present).
    static func withoutEmptyText(_ value: Any) -> Any? {
        if let text = value as? String { return text.isEmpty ? nil : text }
        if let dictionary = value as? [String: Any] { return dictionary.compactMapValues { withoutEmptyText($0) } }
        if let array = value as? [Any] { return array.compactMap { withoutEmptyText($0) } }
        return value
    }

    static func percent(_ fraction: Double) -> String { String(format: "%.2f%%", 100 * fraction) }

    /// A cohort's rate with its counts ("–" before anything was counted).
    static func rate(_ counts: SequentialGuardrail.Counts) -> String {
        counts.trials == 0 ? "– (0)" : "\(percent(counts.rate)) (\(counts.events)/\(counts.trials))"
    }

    /// A moment as staff in Korea read it.
    static func time(_ date: Date) -> String {
        date.formatted(Date.VerbatimFormatStyle(
            format: "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
            timeZone: TimeZone(identifier: "Asia/Seoul") ?? .gmt, calendar: Calendar(identifier: .gregorian)
        ))
    }
}
