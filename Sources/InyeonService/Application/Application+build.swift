import Foundation
import Hummingbird
import HummingbirdWebSocket
import InyeonCore
import Logging
import NIOPosix
import PostgresNIO
import ServiceLifecycle

/// The service as the tests build it: PostgreSQL pool, migrations and demo data before the server
/// starts, then every controller.
public func buildApplication(configuration: AppConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    try await buildServingApplication(configuration: configuration, logger: logger).application
}

/// As above; a test may hand in the photo pool, to hold its places, and hold the recommendation
/// engine's training before it starts (`beforeRecommendationTraining`).
func buildApplication(
    configuration: AppConfiguration, logger: Logger, photoDecoding: PhotoDecodePool?,
    beforeRecommendationTraining: (@Sendable () async -> Void)? = nil
) async throws -> some ApplicationProtocol {
    try await buildServingApplication(
        configuration: configuration, logger: logger, photoDecoding: photoDecoding, beforeRecommendationTraining: beforeRecommendationTraining
    ).application
}

/// The service as `inyeon serve` runs it: the application and the drain that precedes its shutdown.
/// `onServerRunning` is told the listening channel (a test learns its port from it).
public func buildServingApplication(
    configuration: AppConfiguration, logger: Logger, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> ServingApplication {
    try await buildServingApplication(configuration: configuration, logger: logger, photoDecoding: nil, onServerRunning: onServerRunning)
}

func buildServingApplication(
    configuration: AppConfiguration, logger: Logger, photoDecoding: PhotoDecodePool?,
    beforeRecommendationTraining: (@Sendable () async -> Void)? = nil,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> ServingApplication {
    let client = PostgresClient(
        configuration: configuration.databaseURL.clientConfiguration(poolSize: configuration.databasePoolSize),
        backgroundLogger: logger
    )
    let metrics = ServiceMetrics()
    let identityKey = try configuration.databaseIdentityKey
    let flags = FlagStore(
        defaults: configuration.flags, database: Database(client: client, poolSize: configuration.databasePoolSize, identityKey: identityKey),
        logger: logger,
        onEvaluation: { metrics.recordFlagEvaluation(flag: $0.apiName, enabled: $1) }
    )
    // Anonymous callers see publicly listed cards only until enhanced auth is fully on (read per transaction).
    // The small reads of every request go through libpq's pipeline mode where it checks the server
    // as PostgresNIO does (not with sslmode=prefer), unless DATABASE_PIPELINED_CONNECTIONS is 0.
    let pipelinedReads = configuration.databaseURL.libpqSettings.flatMap { settings in
        configuration.databasePipelinedConnections > 0
            ? PipelinedReads(settings: settings, connections: configuration.databasePipelinedConnections, logger: logger) : nil
    }
    let database = Database(
        client: client, poolSize: configuration.databasePoolSize, identityKey: identityKey,
        anonymousCardsAllowed: { flags.rules(for: .enhancedAuth).setting != .on },
        observeTransaction: { metrics.recordQuery(duration: $0) },
        pipelinedReads: pipelinedReads
    )
    // Training's whole-table reads go to the replicas, when the deployment names them.
    let replicaClient = configuration.databaseReadURL.map {
        PostgresClient(configuration: $0.clientConfiguration(poolSize: 2), backgroundLogger: logger)
    }
    let trainingReads = replicaClient.map { Database(client: $0, poolSize: 2, identityKey: identityKey) }
    let cache = MemoryCache()
    let readiness = Readiness()
    let built = try await buildRouter(
        database: database, configuration: configuration, flags: flags, cache: cache, metrics: metrics, logger: logger, photoDecoding: photoDecoding,
        readiness: readiness, trainingReads: trainingReads, beforeRecommendationTraining: beforeRecommendationTraining
    )
    let chatHub = built.chatHub
    let recommendationModels = built.recommendationModels
    let recentSessionChecks = built.recentSessionChecks
    let mailSender: any MailSender = configuration.mail.smtp.map { SMTPMailSender(settings: $0, from: configuration.mail.from) }
        ?? FileMailSender(directory: configuration.mailOutboxDirectory, from: configuration.mail.from)
    if configuration.mail.smtp == nil, configuration.environment == .production {
        logger.warning("SMTP_URL is not set: mail is written as files to \(configuration.mailOutboxDirectory) and reaches nobody")
    }
    let mailDelivery = MailDelivery(
        outbox: built.mailOutbox, sender: mailSender, settings: configuration.mail.delivery, metrics: metrics, logger: logger
    )
    let notificationMailer = NotificationMailer(
        database: database, outbox: built.mailOutbox,
        unsubscribe: UnsubscribeLinks(sealer: try DataSealer(base64Key: configuration.secrets.dataEncryptionKey)),
        publicBaseURL: configuration.publicBaseURL, settings: configuration.mail.notifications, logger: logger
    )
    let notifications = DatabaseNotifications(
        client: client,
        handlers: [
            FlagStore.channel: { _ in
                do {
                    try await flags.reload()
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
                    // A new database, not migrated yet: the flags are read again once the migrations have run.
                    logger.debug("flags not readable before the first migration")
                } catch {
                    logger.failure("could not reload flags", error)
                }
            },
            CacheInvalidation.channel: { payload in await CacheInvalidation.apply(payload, to: cache) },
            ChatHub.channel: { payload in await chatHub.receive(payload) },
            ChatHub.sessionsChannel: { payload in
                recentSessionChecks.announced(payload)
                chatHub.sessionEnded(payload)
            },
            MailOutbox.channel: { _ in mailDelivery.wake() },
            // After a reconnect (no payload) nothing is replayed: the age limit brings the newest version.
            StoredRecommendationModels.channel: { payload in
                if let version = payload.flatMap({ Int64($0) }) { await recommendationModels.published(version: version, logger: logger) }
            },
        ],
        heartbeat: configuration.listenerHeartbeat,
        logger: logger,
        onStatus: { metrics.recordListener($0) }
    )
    var services: [any Service] = [
        client, notifications, built.photoDecoding, mailDelivery, notificationMailer,
        AccountHousekeeping(database: database, logger: logger),
        AuditChainWatch(verifier: AuditChainVerifier(database: database), metrics: metrics, logger: logger),
        built.rolloutDriver, built.backgroundHealthFigures,
    ]
    if let replicaClient { services.append(replicaClient) }
    // First in the list, so stopped last (a service group stops its services in reverse order).
    if let pipelinedReads { services.insert(pipelinedReads, at: 0) }
    var app = Application(
        router: built.router,
        server: .guardedHTTP1WebSocketUpgrade(
            webSocketRouter: built.socketRouter,
            configuration: .init(ws: .init(maxFrameSize: ChatSocket.maxFrameSize, autoPing: .enabled(timePeriod: .seconds(30)))),
            limits: configuration.connectionLimits, proxies: configuration.believedProxies
        ),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Inyeon"),
        services: services,
        onServerRunning: onServerRunning,
        logger: logger
    )
    app.beforeServerStarts {
        try await DatabasePreparation(configuration: configuration, database: database, logger: logger).run()
        try await flags.reload()
        if configuration.recommendationWarmUp { await recommendationModels.warmUp(logger: logger) }
    }
    let drain = ShutdownDrain(settings: configuration.shutdown, readiness: readiness, chatHub: chatHub, logger: logger)
    return ServingApplication(application: app, drain: drain)
}

/// The router and the list of routes it serves (which the OpenAPI test compares with the document).
public struct BuiltRouter {
    public let router: Router<AppRequestContext>
    public let routes: [(method: HTTPRequest.Method, path: String)]
    /// The chat socket's router (consulted for WebSocket upgrades) and this instance's live sockets.
    let socketRouter: Router<ChatSocketRequestContext>
    let chatHub: ChatHub
    let recommendationModels: RecommendationModelStore
    /// Sessions found open a moment ago; the sessions' announcements reach it.
    let recentSessionChecks: RecentSessionChecks
    let photoDecoding: PhotoDecodePool
    let mailOutbox: MailOutbox
    /// Carries the rollout plans out, with this instance's cohort counts.
    let rolloutDriver: RolloutDriver
    /// Reads the operators' health figures in the background.
    let backgroundHealthFigures: BackgroundHealthFigures
}

func buildRouter(
    database: Database, configuration: AppConfiguration, flags: FlagStore, cache: any Cache, metrics: ServiceMetrics = ServiceMetrics(),
    logger: Logger = Logger(label: "inyeon"), photoDecoding: PhotoDecodePool? = nil, readiness: Readiness = Readiness(),
    trainingReads: Database? = nil, beforeRecommendationTraining: (@Sendable () async -> Void)? = nil
) async throws -> BuiltRouter {
    let router = Router(context: AppRequestContext.self)
    let routes = RouteTable(router: router)
    let securityEvents = SecurityEventCounter()
    let sealer = try DataSealer(base64Key: configuration.secrets.dataEncryptionKey)
    let keys = SigningKeyStore(database: database, sealer: sealer)
    let tokens = await TokenService(
        keys: keys, settings: configuration.tokens, database: database, legacySecret: configuration.secrets.jwtSecret,
        recentChecks: RecentSessionChecks(reuse: configuration.tokens.sessionCheckReuse)
    )
    // Before any decision about a request: one spelling of its path, which the router and every middleware see alike.
    router.add(middleware: CanonicalPathMiddleware())
    router.add(middleware: ClientAddressMiddleware(proxies: configuration.believedProxies))
    router.add(middleware: PrivateResponseHeadersMiddleware())
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: ErrorEnvelopeMiddleware(
        availableEndpoints: { routes.routes.map { "\($0.method.rawValue) \($0.path)" } },
        onRowLevelSecurityDenial: { logger in
            // Every tenth denial in this instance becomes an audit entry: repeated denials are a probe.
            if securityEvents.count(.rlsDenied) % 10 == 1 {
                Task { await AuditLog.securityEvent("rls_denied", details: [:], requestID: nil, database: database, logger: logger) }
            }
        }
    ))
    router.add(middleware: AuthenticationMiddleware(
        tokens: tokens, enhancedAuthFor: { flags.evaluate(.enhancedAuth, for: .user($0)).enabled }, securityEvents: securityEvents,
        invalidTokens: AbuseLimiter(), database: database
    ))
    // Each signed-in request counted into its rollout cohorts (by whether a rolling-out flag is on for the caller).
    let cohortCounter = CohortCounter()
    router.add(middleware: CohortMiddleware(counter: cohortCounter, flags: flags))
    // The pages: cookies sign the browser in (never the API), and every page gets the security headers.
    let webSession = WebSession(secureCookies: configuration.environment == .production)
    router.add(middleware: SecurityHeadersMiddleware())
    if let staticFolder = Bundle.module.url(forResource: "Static", withExtension: nil) {
        router.add(middleware: FileMiddleware(staticFolder.path, urlBasePath: "/static", cacheControl: .init([(MediaType(type: .any), [.maxAge(3600)])])))
    }
    let mailOutbox = MailOutbox(database: database, sealer: sealer, domain: configuration.mail.from.domain)
    // The timing decoy is computed once now, so the first unknown-e-mail login is not measurably slower.
    try await NIOThreadPool.singleton.runIfActive { _ = PasswordHasher.timingDecoy }
    let accounts = AccountService(
        database: database, tokens: tokens, hasher: PasswordHasher(), throttle: LoginThrottle(database: database),
        outbox: mailOutbox, sealer: sealer, settings: configuration.tokens,
        publicBaseURL: configuration.publicBaseURL, securityEvents: securityEvents, limits: configuration.abuseLimits
    )

    let profiles = PostgresProfileRepository(database: database, cache: cache, currentYear: { KoreanCalendar.currentYear() })
    let insights = InsightService.make(settings: configuration.insights, cache: cache, metrics: metrics)
    let matching = MatchingRepository(database: database, trainingReads: trainingReads)
    let recommendationModels = RecommendationModelStore(
        repository: matching, stored: StoredRecommendationModels(database: database), maxAge: .seconds(configuration.recommendationModelMaxAgeSeconds),
        currentYear: { KoreanCalendar.currentYear() }, beforeTraining: beforeRecommendationTraining
    )
    let backgroundHealthFigures = BackgroundHealthFigures(probe: DatabaseProbe(database: database), profiles: profiles, logger: logger)
    HealthController(
        probe: DatabaseProbe(database: database), readinessCheck: ReadinessCheck(database: database, readiness: readiness),
        readiness: readiness, backgroundFigures: backgroundHealthFigures, flags: flags, startedAt: .now,
        securityEvents: securityEvents, metrics: metrics, cache: cache, insights: insights, recommendations: recommendationModels
    ).addRoutes(to: routes)
    MetricsController(metrics: metrics, cache: cache, backgroundFigures: backgroundHealthFigures, securityEvents: securityEvents)
        .addRoutes(to: routes)
    RLSStatusController(database: database, flags: flags).addRoutes(to: routes)
    FlagsController(flags: flags, database: database).addRoutes(to: routes)
    let rollouts = RolloutRepository(database: database)
    let rolloutClock = configuration.rolloutClock
    let rolloutOperations = RolloutOperations(repository: rollouts, flags: flags, database: database, now: rolloutClock)
    RolloutsController(operations: rolloutOperations).addRoutes(to: routes)
    UsersController(profiles: profiles, sharedAnswers: cache, anonymousCardsAllowed: database.anonymousCardsAllowed).addRoutes(to: routes)
    AccountsController(accounts: accounts).addRoutes(to: routes)
    JWKSController(keys: keys).addRoutes(to: routes)
    let photoStorage = LocalFolderPhotoStorage(directory: configuration.photoDirectory)
    let privacy = PrivacyController(database: database, accounts: accounts, photos: photoStorage)
    privacy.addRoutes(to: routes)
    let notificationStore = NotificationStore(database: database)
    router.add(middleware: WebSessionMiddleware(
        tokens: tokens, accounts: accounts, session: webSession,
        unreadNotifications: { try await notificationStore.unreadCount(for: $0, logger: $1) }
    ))
    let renderer = try await PageRenderer()
    let portraits = Portraits(database: database)
    router.add(middleware: PageErrorMiddleware(renderer: renderer))
    WelcomePages(renderer: renderer).addRoutes(to: router)
    HelpPages(renderer: renderer).addRoutes(to: router)
    SupportPages(renderer: renderer, desk: SupportDesk(database: database, limits: configuration.abuseLimits)).addRoutes(to: router)
    SignupPages(renderer: renderer, accounts: accounts, session: webSession).addRoutes(to: router)
    LoginPages(renderer: renderer, accounts: accounts, session: webSession).addRoutes(to: router)
    PasswordResetPages(renderer: renderer, accounts: accounts, session: webSession).addRoutes(to: router)
    let profileChoices = ProfileChoices(database: database)
    ProfilePauseController(choices: profileChoices).addRoutes(to: routes)
    SettingsPages(renderer: renderer, privacy: privacy, session: webSession, notifications: notificationStore, choices: profileChoices)
        .addRoutes(to: router)
    let notificationsController = NotificationsController(store: notificationStore, profiles: profiles)
    notificationsController.addRoutes(to: routes)
    NotificationPages(renderer: renderer, controller: notificationsController).addRoutes(to: router)
    UnsubscribePages(renderer: renderer, links: UnsubscribeLinks(sealer: sealer), store: notificationStore).addRoutes(to: router)

    ConsentsController(database: database).addRoutes(to: routes)
    let adminAudit = AdminAuditController(database: database)
    adminAudit.addRoutes(to: routes)
    let mailOutboxController = MailOutboxController(database: database)
    mailOutboxController.addRoutes(to: routes)
    let assessment = AssessmentController(database: database)
    assessment.addRoutes(to: routes)
    let myProfile = MyProfileController(database: database, currentYear: { KoreanCalendar.currentYear() })
    myProfile.addRoutes(to: routes)
    AssessmentPages(renderer: renderer, database: database, assessment: assessment).addRoutes(to: router)
    ProfilePages(
        renderer: renderer, database: database, profiles: myProfile, currentYear: { KoreanCalendar.currentYear() }, people: profiles,
        portraits: portraits
    ).addRoutes(to: router)
    let recommendations = RecommendationService(
        repository: matching, models: recommendationModels, currentYear: { KoreanCalendar.currentYear() }
    )
    let insightsForCaller = CallerInsights(insights: insights, flags: flags, recommendations: recommendations)
    MatchingController(
        profiles: profiles, calculator: { CompatibilityCalculator(currentYear: KoreanCalendar.currentYear()) }, insights: insightsForCaller,
        sharedAnswers: cache, anonymousCardsAllowed: database.anonymousCardsAllowed
    ).addRoutes(to: routes)
    RecommendationsController(service: recommendations, profiles: profiles, insights: insightsForCaller).addRoutes(to: routes)
    RecommendationPages(renderer: renderer, recommendations: recommendations, insights: insightsForCaller, portraits: portraits,
                        choices: profileChoices).addRoutes(to: router)
    let interestLists = InterestLists(database: database)
    let interests = InterestsController(lists: interestLists, profiles: profiles)
    interests.addRoutes(to: routes)
    InterestPages(renderer: renderer, lists: interestLists, controller: interests, repository: matching, portraits: portraits).addRoutes(to: router)
    let photoLimits = configuration.photoLimits
    let photoDecoding = photoDecoding ?? PhotoDecodePool(threads: photoLimits.decodeThreads, queueLimit: photoLimits.decodeQueue)
    let photos = PhotosController(
        database: database, storage: photoStorage, decoding: photoDecoding,
        uploads: AbuseLimiter(
            threshold: photoLimits.uploadsPerWindow, window: .seconds(photoLimits.uploadWindowSeconds),
            blockFor: .seconds(photoLimits.uploadWindowSeconds)
        )
    )
    photos.addRoutes(to: routes)
    PhotoPages(renderer: renderer, photos: photos).addRoutes(to: router)
    let chatRepository = ChatRepository(database: database)
    let chatHub = ChatHub(repository: chatRepository, limits: configuration.chatLimits, logger: logger)
    let chat = ChatService(repository: chatRepository, hub: chatHub, metrics: metrics, limits: configuration.abuseLimits)
    let chatAdmission = ChatAdmission(accounts: accounts, repository: chatRepository, hub: chatHub, flags: flags, securityEvents: securityEvents)
    ChatController(service: chat, admission: chatAdmission, profiles: profiles).addRoutes(to: routes)
    let moderation = ModerationController(database: database)
    moderation.addRoutes(to: routes)
    let feedbackPages = FeedbackPages(renderer: renderer, database: database, flags: flags, limits: configuration.abuseLimits)
    feedbackPages.addRoutes(to: router, api: routes)
    OperatorConsolePages(
        renderer: renderer, rollouts: rolloutOperations, history: rollouts, flags: flags, moderation: moderation, mail: mailOutboxController,
        audit: adminAudit, feedback: feedbackPages, securityEvents: securityEvents, database: database
    ).addRoutes(to: router)
    let weMet = WeMetController(feedback: MeetingFeedback(database: database), profiles: profiles)
    weMet.addRoutes(to: routes)
    ConversationPages(
        renderer: renderer, chat: chat, profiles: profiles, matching: matching, accounts: accounts, flags: flags, session: webSession, weMet: weMet,
        portraits: portraits
    ).addRoutes(to: router)
    let socketRouter = Router(context: ChatSocketRequestContext.self)
    ChatSocket(service: chat, admission: chatAdmission, cohorts: (cohortCounter, flags)).addRoutes(to: socketRouter)
    CacheController(cache: cache).addRoutes(to: routes)
    OpenAPIController().addRoutes(to: routes)
    return BuiltRouter(
        router: router, routes: routes.routes, socketRouter: socketRouter, chatHub: chatHub, recommendationModels: recommendationModels,
        recentSessionChecks: tokens.recentChecks,
        photoDecoding: photoDecoding, mailOutbox: mailOutbox,
        rolloutDriver: RolloutDriver(
            database: database, repository: rollouts, counter: cohortCounter, flags: flags, mailOutbox: mailOutbox,
            alertEmail: configuration.rolloutAlertEmail, webhookURL: configuration.rolloutWebhookURL, logger: logger,
            interval: .milliseconds(configuration.rolloutIntervalMilliseconds), historyEverySeconds: configuration.rolloutHistorySeconds,
            now: rolloutClock
        ),
        backgroundHealthFigures: backgroundHealthFigures
    )
}

/// Dates as people in Korea count them.
public enum KoreanCalendar {
    public static func currentYear(now: Date = Date()) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Seoul") ?? .gmt
        return calendar.component(.year, from: now)
    }
}
