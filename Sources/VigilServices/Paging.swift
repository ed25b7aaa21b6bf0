import VigilCore

extension PageRequest {
    /// Parses the `limit` and `cursor` query parameters; a bad one is a 400 naming the field.
    init(parsing limit: Int?, cursor: String?) throws(ServiceError) {
        do { try self.init(limit: limit, cursor: cursor) } catch { throw ServiceError(error) }
    }
}

/// The shape of every list use case: parse `limit`/`cursor` (bad ones are a 400), fetch at
/// most `limit` rows after the cursor, and page them with a cursor after the last row.
/// - Parameters:
///   - position: the cursor just after a row, in the ordering `fetch` reads.
///   - fetch: reads the rows; runs only once the parameters are valid.
func paged<Cursor: PageCursor, Item: Sendable>(
    limit: Int?, cursor: String?, position: (Item) -> Cursor,
    fetch: (PageRequest<Cursor>) async throws -> [Item]
) async throws -> Page<Item> {
    let request = try PageRequest<Cursor>(parsing: limit, cursor: cursor)
    return request.page(try await fetch(request), cursorAfter: position)
}
