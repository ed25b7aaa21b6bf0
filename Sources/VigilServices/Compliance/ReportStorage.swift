import Foundation
import VigilRepositories

/// Where report bytes live. File metadata (name, size, SHA-256) is always in PostgreSQL; the
/// bytes are either chunks in PostgreSQL (the default: `vigil dev` needs nothing else) or files
/// under `VIGIL_REPORTS_DIR`. Reads stream in bounded pieces, so a large report is never held
/// in memory while it is downloaded.
public protocol ReportStorage: Sendable {
    /// `database` or `directory`, recorded on the report.
    var kind: String { get }
    /// Stores one file's bytes, inside the transaction that records the file.
    func write(_ bytes: [UInt8], name: String, reportID: UUID, workspaceID: UUID, on connection: Transaction) async throws
    /// Up to `maxLength` bytes of a stored file from `offset` (fewer only at its end).
    func read(name: String, reportID: UUID, workspaceID: UUID, offset: Int64, maxLength: Int) async throws -> [UInt8]
    /// Removes a report's bytes (its rows go with the report row).
    func delete(reportID: UUID, workspaceID: UUID) async throws
}

/// Report bytes as 256 KiB `bytea` chunks in `compliance_report_chunks`.
public struct DatabaseReportStorage: ReportStorage {
    public static let chunkSize = 256 * 1024

    let database: Database
    let repository = ComplianceReportRepository()

    public init(database: Database) {
        self.database = database
    }

    public var kind: String { "database" }

    public func write(_ bytes: [UInt8], name: String, reportID: UUID, workspaceID: UUID, on connection: Transaction) async throws {
        var seq = 0
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + Self.chunkSize)
            try await repository.insertChunk(Array(bytes[offset..<end]), seq: seq, name: name, reportID: reportID, workspaceID: workspaceID, on: connection)
            seq += 1
            offset = end
        } while offset < bytes.count
    }

    public func read(name: String, reportID: UUID, workspaceID: UUID, offset: Int64, maxLength: Int) async throws -> [UInt8] {
        let size = Int64(Self.chunkSize)
        let first = Int(offset / size)
        let last = Int((offset + Int64(maxLength) - 1) / size)
        let pieces = try await database.inWorkspace(workspaceID) {
            try await repository.chunks(reportID: reportID, name: name, first: first, last: last, on: $0)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(maxLength)
        for (index, piece) in pieces.enumerated() {
            let start = Int64(first + index) * size
            let from = Int(max(0, offset - start))
            let to = min(piece.count, Int(offset + Int64(maxLength) - start))
            if from < to { bytes += piece[from..<to] }
        }
        return bytes
    }

    public func delete(reportID: UUID, workspaceID: UUID) async throws {}
}

/// Report bytes as files under a directory: `<dir>/<workspace>/<report>/<name>`.
public struct DirectoryReportStorage: ReportStorage {
    let directory: URL

    public init(directory: String) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
    }

    public var kind: String { "directory" }

    func path(_ name: String, reportID: UUID, workspaceID: UUID) -> URL {
        folder(reportID: reportID, workspaceID: workspaceID).appendingPathComponent(name)
    }

    func folder(reportID: UUID, workspaceID: UUID) -> URL {
        directory.appendingPathComponent(workspaceID.uuidString.lowercased(), isDirectory: true)
            .appendingPathComponent(reportID.uuidString.lowercased(), isDirectory: true)
    }

    public func write(_ bytes: [UInt8], name: String, reportID: UUID, workspaceID: UUID, on connection: Transaction) async throws {
        let folder = folder(reportID: reportID, workspaceID: workspaceID)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: path(name, reportID: reportID, workspaceID: workspaceID), options: .atomic)
    }

    public func read(name: String, reportID: UUID, workspaceID: UUID, offset: Int64, maxLength: Int) async throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: path(name, reportID: reportID, workspaceID: workspaceID))
        defer { try? handle.close() }  // best-effort: the bytes are read; a failed close of a read-only handle loses nothing
        try handle.seek(toOffset: UInt64(offset))
        return [UInt8](try handle.read(upToCount: maxLength) ?? Data())
    }

    public func delete(reportID: UUID, workspaceID: UUID) async throws {
        let folder = folder(reportID: reportID, workspaceID: workspaceID)
        if FileManager.default.fileExists(atPath: folder.path) { try FileManager.default.removeItem(at: folder) }
    }
}

public enum ReportStorageError: Error, CustomStringConvertible {
    case missingBytes(String)
    public var description: String {
        switch self {
        case .missingBytes(let name): "the stored bytes of '\(name)' are incomplete"
        }
    }
}

/// A byte range of a stored file as an async sequence that reads the next piece only when the
/// consumer asks for it (pull, not push), so a slow download never buffers the file.
public struct ReportByteStream: AsyncSequence, Sendable {
    public typealias Element = ArraySlice<UInt8>
    /// 2 MiB per read: eight database chunks in one short transaction.
    static let pieceSize = 8 * DatabaseReportStorage.chunkSize

    let storage: any ReportStorage
    let name: String
    let reportID: UUID
    let workspaceID: UUID
    let range: ClosedRange<Int64>

    public init(storage: any ReportStorage, name: String, reportID: UUID, workspaceID: UUID, range: ClosedRange<Int64>) {
        self.storage = storage
        self.name = name
        self.reportID = reportID
        self.workspaceID = workspaceID
        self.range = range
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: ReportByteStream
        var offset: Int64

        public mutating func next() async throws -> ArraySlice<UInt8>? {
            guard offset <= stream.range.upperBound else { return nil }
            let want = Int(Swift.min(Int64(ReportByteStream.pieceSize), stream.range.upperBound - offset + 1))
            let bytes = try await stream.storage.read(name: stream.name, reportID: stream.reportID, workspaceID: stream.workspaceID,
                                                      offset: offset, maxLength: want)
            guard !bytes.isEmpty else { throw ReportStorageError.missingBytes(stream.name) }
            offset += Int64(bytes.count)
            return bytes[...]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(stream: self, offset: range.lowerBound)
    }
}
