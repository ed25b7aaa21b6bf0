import Crypto

/// A thin value wrapper over swift-crypto's incremental SHA-256, so compliance files need only
/// `Crypto` in one place for streaming hashes.
struct SHA256Hasher {
    private var state = SHA256()

    mutating func update(_ bytes: [UInt8]) {
        state.update(data: bytes)
    }

    func finalize() -> [UInt8] {
        Array(state.finalize())
    }
}
