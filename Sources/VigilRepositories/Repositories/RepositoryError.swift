/// A row that the schema should have made impossible.
public enum RepositoryError: Error, Sendable, Equatable {
    case corruptRow(String)
}
