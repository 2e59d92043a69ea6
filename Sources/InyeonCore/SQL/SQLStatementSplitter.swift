import Foundation

/// Splits a SQL script into single statements, because PostgreSQL's extended query protocol
/// (the one PostgresNIO speaks) runs one statement per query.
///
/// Understands `--` and `/* */` comments, quoted strings and identifiers, and dollar-quoted bodies,
/// so semicolons inside functions and `DO` blocks stay where they are.
public enum SQLStatementSplitter {
    public static func statements(in script: String) -> [String] {
        let chars = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0

        func flush() {
            let statement = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !statement.isEmpty { statements.append(statement) }
            current = String.UnicodeScalarView()
        }
        func startsWith(_ text: String, at position: Int) -> Bool {
            let scalars = Array(text.unicodeScalars)
            guard position + scalars.count <= chars.count else { return false }
            return Array(chars[position..<position + scalars.count]) == scalars
        }

        while index < chars.count {
            let char = chars[index]
            if startsWith("--", at: index) {
                while index < chars.count && chars[index] != "\n" { index += 1 }
                continue
            }
            if startsWith("/*", at: index) {
                while index < chars.count && !startsWith("*/", at: index) { index += 1 }
                index += 2
                continue
            }
            if char == "'" || char == "\"" {
                current.append(char)
                index += 1
                while index < chars.count {
                    current.append(chars[index])
                    index += 1
                    if chars[index - 1] == char { break }
                }
                continue
            }
            if char == "$", let tag = dollarTag(chars, at: index) {
                let tagScalars = Array(tag.unicodeScalars)
                current.append(contentsOf: tagScalars)
                index += tagScalars.count
                while index < chars.count && !startsWith(tag, at: index) {
                    current.append(chars[index])
                    index += 1
                }
                if index < chars.count {
                    current.append(contentsOf: tagScalars)
                    index += tagScalars.count
                }
                continue
            }
            if char == ";" {
                flush()
            } else {
                current.append(char)
            }
            index += 1
        }
        flush()
        return statements
    }

    /// `$$` or `$name$` starting at `position`, if one does.
    static func dollarTag(_ chars: [Unicode.Scalar], at position: Int) -> String? {
        var end = position + 1
        while end < chars.count, chars[end] == "_" || chars[end].properties.isAlphabetic || ("0"..."9").contains(chars[end]) {
            end += 1
        }
        guard end < chars.count, chars[end] == "$" else { return nil }
        return String(String.UnicodeScalarView(chars[position...end]))
    }
}
