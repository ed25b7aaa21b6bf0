import CCurl

/// Feeds the rendered message to libcurl's read callback (CURLOPT_UPLOAD for SMTP DATA).
/// libcurl itself dot-stuffs lines starting with "." and appends the final "CRLF.CRLF".
final class UploadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var count: Int { bytes.count }

    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let n = min(capacity, bytes.count - offset)
        guard n > 0 else { return 0 }  // 0 = end of data
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }

    /// Installs the read callback; `self` must outlive perform().
    func install(on easy: CurlEasy) throws(CurlSetupError) {
        let status = vigil_curl_setopt_readfunction(easy.handle) { buffer, size, count, userdata in
            guard let buffer, let userdata else { return vigil_curl_readfunc_abort() }
            let source = Unmanaged<UploadSource>.fromOpaque(userdata).takeUnretainedValue()
            return source.read(into: buffer, capacity: size * count)
        }
        if status != CURLE_OK { throw CurlSetupError(code: status) }
        try easy.set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(self).toOpaque())
        try easy.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(bytes.count))
        try easy.set(CURLOPT_UPLOAD, true)
    }
}
