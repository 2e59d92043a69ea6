/// How often one address, e-mail address or person may do the things that cost someone else
/// (a mail sent, a moderator's time, the partner's socket). Read from the configuration; see
/// `.env.example`.
public struct AbuseLimits: Sendable {
    /// Sign-up requests from one client address in an hour (SIGNUPS_PER_ADDRESS_PER_HOUR).
    public var signupsPerAddressPerHour = 10
    /// Sign-up requests for one e-mail address in an hour, each of which sends it a mail (SIGNUPS_PER_EMAIL_PER_HOUR).
    public var signupsPerEmailPerHour = 3
    /// Password-reset requests from one client address in an hour (RESETS_PER_ADDRESS_PER_HOUR).
    public var passwordResetsPerAddressPerHour = 10
    /// Password-reset requests for one e-mail address in an hour, each of which sends it a mail (RESETS_PER_EMAIL_PER_HOUR).
    public var passwordResetsPerEmailPerHour = 3
    /// Six-digit codes (sign-up or password reset) one client address may try in an hour (CODE_CHECKS_PER_ADDRESS_PER_HOUR).
    public var codeChecksPerAddressPerHour = 30
    /// Reports one person may file in an hour (REPORTS_PER_PERSON_PER_HOUR).
    public var reportsPerPersonPerHour = 10
    /// Customer-centre tickets from one client address (and from one person) in an hour (TICKETS_PER_ADDRESS_PER_HOUR).
    public var ticketsPerAddressPerHour = 5
    /// Feedback one person may leave in an hour (FEEDBACK_PER_PERSON_PER_HOUR).
    public var feedbackPerPersonPerHour = 10
    /// Read receipts one person may send in a minute, over REST and sockets (READ_RECEIPTS_PER_MINUTE).
    public var readReceiptsPerMinute = 120

    public init() {}
}
