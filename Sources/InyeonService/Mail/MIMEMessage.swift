import Foundation

/// A mailbox with an optional display name: `Inyeon <no-reply@inyeon.example>`.
struct MailAddress: Sendable, Equatable, CustomStringConvertible {
    var name: String?
    var address: String

    /// `name <address>` or a bare `address`; nil when it is not an address one could send from.
    init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let shown = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            name = shown.isEmpty ? nil : shown
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        } else {
            name = nil
            address = trimmed
        }
        guard Self.isPlausible(address) else { return nil }
    }

    init(name: String?, address: String) {
        self.name = name
        self.address = address
    }

    /// One `@`, something on each side, no spaces, angle brackets or line breaks (header injection).
    static func isPlausible(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, address.utf8.count <= 254 else { return false }
        return !address.contains(where: { $0.isWhitespace || $0.isNewline || "<>\",;()[]\\".contains($0) })
    }

    /// The domain, for `Message-ID`s and the greeting.
    var domain: String { String(address.split(separator: "@").last ?? "localhost") }

    /// As a header shows it, the display name encoded when it is not plain ASCII.
    var headerValue: String {
        guard let name, !name.isEmpty else { return address }
        return "\(MIMEMessage.encodedWords(name)) <\(address)>"
    }

    var description: String { headerValue }
}

/// An `OutgoingMail` as an RFC 5322 message: UTF-8 plain text with an HTML alternative
/// (`multipart/alternative`, RFC 2046), non-ASCII header text as RFC 2047 encoded words, a
/// `Date` and a `Message-ID`, CRLF line ends. Bodies are 8-bit where the path allows it (a file, an
/// SMTP server announcing 8BITMIME), base64 otherwise.
struct MIMEMessage {
    enum BodyEncoding { case eightBit, base64 }

    let rendered: String

    init(_ message: OutgoingMail, from: MailAddress, bodyEncoding: BodyEncoding, boundary: String = "inyeon-" + UUID().uuidString) {
        let mail = message.mail
        var lines: [String] = [
            "Date: " + Self.dateText(message.date),
            "From: " + from.headerValue,
            "To: " + mail.to,
            Self.folded("Subject: " + Self.encodedWords(mail.subject)),
            "Message-ID: " + message.messageID,
            "MIME-Version: 1.0",
        ]
        for (name, value) in mail.headers.sorted(by: { $0.key < $1.key }) where Self.isSafeHeader(name: name, value: value) {
            lines.append(Self.folded("\(name): \(value)"))
        }
        lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        lines.append("")
        lines.append("This is a message in two forms: plain text and HTML.")
        for (type, body) in [("text/plain", mail.text), ("text/html", mail.html ?? Self.html(fromText: mail.text))] {
            lines.append("--" + boundary)
            lines.append("Content-Type: \(type); charset=utf-8")
            switch bodyEncoding {
            case .eightBit:
                lines.append("Content-Transfer-Encoding: 8bit")
                lines.append("")
                lines.append(contentsOf: Self.normalisedLines(body))
            case .base64:
                lines.append("Content-Transfer-Encoding: base64")
                lines.append("")
                lines.append(contentsOf: Self.base64Lines(Data(Self.normalisedLines(body).joined(separator: "\r\n").utf8)))
            }
        }
        lines.append("--" + boundary + "--")
        rendered = lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 5322's date, in English and UTC: `Mon, 07 Dec 2026 03:10:00 +0000`.
    static func dateText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// `text` as it may stand in a header: unchanged when it is printable ASCII, otherwise RFC 2047
    /// encoded words (`=?UTF-8?B?...?=`), each at most 75 characters and never splitting a character.
    static func encodedWords(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        var words: [String] = []
        var chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            // 45 bytes of UTF-8 are 60 base64 characters; with `=?UTF-8?B?` and `?=` a word is 72.
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=") }
        return words.joined(separator: " ")
    }

    /// A header line folded at its spaces so no line passes 78 characters (RFC 5322 2.2.3).
    static func folded(_ line: String) -> String {
        guard line.count > 78 else { return line }
        var result: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty, current.count + 1 + word.count > 78 {
                result.append(current)
                current = " " + word
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        result.append(current)
        return result.joined(separator: "\r\n")
    }

    /// Extra headers are the service's own, but a line break in either part would start a new header.
    static func isSafeHeader(name: String, value: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            && !value.contains(where: \.isNewline) && value.allSatisfy(\.isASCII)
    }

    /// The body's lines, whatever their line ends were, none longer than RFC 5322's 998 octets.
    static func normalisedLines(_ body: String) -> [String] {
        var lines: [String] = []
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var rest = Substring(line)
            while rest.utf8.count > 900 {
                var cut = rest.startIndex
                var bytes = 0
                for index in rest.indices {
                    let size = rest[index].utf8.count
                    if bytes + size > 900 { break }
                    bytes += size
                    cut = rest.index(after: index)
                }
                lines.append(String(rest[..<cut]))
                rest = rest[cut...]
            }
            lines.append(String(rest))
        }
        return lines
    }

    static func base64Lines(_ data: Data) -> [String] {
        let encoded = data.base64EncodedString()
        return stride(from: 0, to: encoded.count, by: 76).map { start in
            let from = encoded.index(encoded.startIndex, offsetBy: start)
            return String(encoded[from..<(encoded.index(from, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex)])
        }
    }

    /// The plain text as simple, readable HTML: paragraphs at blank lines, line breaks kept, links clickable.
    static func html(fromText text: String) -> String {
        let paragraphs = text.components(separatedBy: "\n\n").map { paragraph in
            paragraph.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                String(line).split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
                    let escaped = escape(String(word))
                    return word.hasPrefix("https://") || word.hasPrefix("http://") ? "<a href=\"\(escaped)\">\(escaped)</a>" : escaped
                }.joined(separator: " ")
            }.joined(separator: "<br>\n")
        }
        return """
            <!doctype html>
            <html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>
            <body style="font-family: sans-serif; font-size: 18px; line-height: 1.6; color: #1a1a1a; max-width: 36em">
            \(paragraphs.map { "<p>" + $0 + "</p>" }.joined(separator: "\n"))
            </body></html>
            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
