import ArgumentParser
import Foundation
import InyeonService

struct Rollout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The phased rollout.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the seed's checklist for a phase against a live deployment: a pass/fail table; exit status 1 on any failure.",
            discussion: """
                The health, RLS, flag and KPI checks need a token with ops:read (inyeon token issue --name verify --scope ops:read),
                given with --operator-token or INYEON_OPERATOR_TOKEN. The signed-in view needs a person who can sign in: --email
                (or INYEON_VERIFY_EMAIL) and the password in INYEON_VERIFY_PASSWORD (never on the command line).
                """
        )

        @Option(help: "1 (safe integration), 2 (AI) or 3 (full security).")
        var phase: Int

        @Option(help: "The deployment's base URL.")
        var url: String = "http://127.0.0.1:3000"

        @Option(help: "A token with ops:read (else INYEON_OPERATOR_TOKEN).")
        var operatorToken: String?

        @Option(help: "A person's e-mail, to sign in (else INYEON_VERIFY_EMAIL; the password from INYEON_VERIFY_PASSWORD).")
        var email: String?

        func run() async throws {
            guard let phase = RolloutVerification.Phase.numbered(phase) else { throw ValidationError("--phase must be 1, 2 or 3") }
            let environment = ProcessInfo.processInfo.environment
            let email = email ?? environment["INYEON_VERIFY_EMAIL"]
            let person = email.flatMap { email in environment["INYEON_VERIFY_PASSWORD"].map { (email: email, password: $0) } }
            let checks = await RolloutVerification(
                phase: phase, baseURL: url, operatorToken: operatorToken ?? environment["INYEON_OPERATOR_TOKEN"], person: person
            ).run()
            print(RolloutVerification.table(checks))
            if checks.contains(where: { !$0.passed }) { throw ExitCode(1) }
        }
    }
}
