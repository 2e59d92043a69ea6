extension RandomAccessCollection {
    /// The index of the first element for which `isPast` holds, in a collection where it fails for
    /// some first part and holds for all the rest (a sorted run searched by halving). `endIndex`
    /// when it holds for none.
    func partitionPoint(where isPast: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if isPast(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}
