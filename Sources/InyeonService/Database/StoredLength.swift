/// PostgreSQL's `char_length`, which the tables' CHECK constraints use, counts Unicode code points;
/// Swift's `count` counts what a reader sees as one character (a family emoji is one character and
/// five code points, "é" written as e and an accent is one and two). Every limit checked before a
/// write counts the way the database will, or a value that passes here fails there as a bare
/// constraint violation.
extension StringProtocol {
    /// The length as PostgreSQL's `char_length` counts it.
    var storedLength: Int { unicodeScalars.count }

    /// The longest beginning of at most `limit` code points that ends between two characters.
    func prefix(storedLength limit: Int) -> String {
        var length = 0
        var end = startIndex
        for index in indices {
            length += self[index].unicodeScalars.count
            if length > limit { break }
            end = self.index(after: index)
        }
        return String(self[startIndex..<end])
    }
}
