import Foundation

/// The `.eml` files the file sender writes (MAIL_OUTBOX_DIR), read as a person's mailbox.
struct TestMailbox {
    let folder: String

    /// The mails to `address` there now, oldest first, as text with LF line ends.
    func mailsNow(to address: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".eml") }.sorted().compactMap { file in
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            let header = text.components(separatedBy: "\n\n").first ?? ""
            return header.split(separator: "\n").contains("To: \(address)") ? text : nil
        }
    }

    /// The mails to `address`, once there are at least `count` (waiting up to `seconds`).
    func mails(to address: String, atLeast count: Int, seconds: Double = 10) async throws -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let found = try mailsNow(to: address)
            if found.count >= count { return found }
            guard Date() < deadline else {
                throw TestSetupError("\(found.count) mails to \(address) in \(folder) after \(seconds) s; expected \(count)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
