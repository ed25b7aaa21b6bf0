/// One page of a cursor-paginated list: what every list use case returns, and what the API
/// turns into `{"items": [...], "next_cursor": ...}`.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Where the next page starts; nil on the last page.
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// The same page with each item converted (stored rows to views); the cursor is unchanged
    /// because it names a position in the underlying ordering, not an item.
    public func map<T: Sendable, E: Error>(_ transform: (Item) throws(E) -> T) throws(E) -> Page<T> {
        var converted: [T] = []
        converted.reserveCapacity(items.count)
        for item in items { converted.append(try transform(item)) }
        return Page<T>(items: converted, nextCursor: nextCursor)
    }
}

/// A position in one list ordering, carried through the opaque `cursor` query parameter.
/// Each conforming type owns its wire format (see Pagination.swift), so cursors already handed
/// to clients keep working.
public protocol PageCursor: Sendable {
    var encoded: String { get }
    /// nil for no cursor (the first page); throws for anything that is not one of ours.
    static func decode(_ raw: String?) throws(ValidationFailure) -> Self?
}

/// The `limit` and `cursor` query parameters of one list request, validated.
public struct PageRequest<Cursor: PageCursor>: Sendable {
    public var limit: Int
    public var cursor: Cursor?

    public init(limit: Int, cursor: Cursor?) {
        self.limit = limit
        self.cursor = cursor
    }

    /// `limit` is checked before `cursor`, so a request with both wrong reports the limit.
    public init(limit requested: Int?, cursor raw: String?) throws(ValidationFailure) {
        self.limit = try Pagination.limit(requested)
        self.cursor = try Cursor.decode(raw)
    }

    /// The page made of the rows fetched with `limit`. A full page offers a cursor after its
    /// last row and a short one ends the list; so when the rows run out exactly at a page
    /// boundary the client gets one more, empty, page. That is the behaviour clients have
    /// always seen, kept instead of the fetch-one-more variant so no response changes.
    public func page<Item: Sendable>(_ rows: [Item], cursorAfter: (Item) -> Cursor) -> Page<Item> {
        let next = rows.count >= limit ? rows.last.map { cursorAfter($0).encoded } : nil
        return Page(items: rows, nextCursor: next)
    }
}
