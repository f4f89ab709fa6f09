/// The order `diff` lists users in (SPEC §9 "sorted by userName"): by userName ignoring case (the
/// UTF-8 bytes of the lower-cased name, as plans order operations), then as written, then by id;
/// users without a userName come last, by id.
public enum DiffOrdering {
    /// The sort key of a user.
    public struct Key: Comparable, Sendable {
        let folded: [UInt8]
        let userName: [UInt8]
        let id: [UInt8]
        let hasUserName: Bool

        public init(userName: String?, id: String) {
            hasUserName = userName != nil
            folded = Array((userName ?? "").lowercased().utf8)
            self.userName = Array((userName ?? "").utf8)
            self.id = Array(id.utf8)
        }

        public static func < (lhs: Key, rhs: Key) -> Bool {
            if lhs.hasUserName != rhs.hasUserName { return lhs.hasUserName }
            if lhs.folded != rhs.folded { return lhs.folded.lexicographicallyPrecedes(rhs.folded) }
            if lhs.userName != rhs.userName { return lhs.userName.lexicographicallyPrecedes(rhs.userName) }
            return lhs.id.lexicographicallyPrecedes(rhs.id)
        }
    }

    /// `items` in this order.
    static func sorted<Item>(_ items: [Item], userName: KeyPath<Item, String?>, id: KeyPath<Item, String>) -> [Item] {
        items.map { (Key(userName: $0[keyPath: userName], id: $0[keyPath: id]), $0) }
            .sorted { $0.0 < $1.0 }
            .map(\.1)
    }
}
