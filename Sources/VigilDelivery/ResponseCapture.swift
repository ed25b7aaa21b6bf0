import CCurl

/// Receives the HTTP response body from libcurl's write callback, keeping only the
/// first `limit` bytes. The rest is read and dropped (not aborted) so that a large but
/// successful response still counts as delivered; the transfer timeout bounds the cost.
final class ResponseCapture {
    let limit: Int
    private(set) var bytes: [UInt8] = []

    init(limit: Int) {
        self.limit = limit
        bytes.reserveCapacity(min(limit, 4096))
    }

    func append(_ buffer: UnsafeRawBufferPointer) {
        let room = limit - bytes.count
        if room > 0 { bytes.append(contentsOf: buffer.prefix(room)) }
    }

    var snippet: String { String(decoding: bytes, as: UTF8.self) }

    /// Installs the write callback; `self` must outlive perform().
    func install(on easy: CurlEasy) throws(CurlSetupError) {
        let status = vigil_curl_setopt_writefunction(easy.handle) { buffer, size, count, userdata in
            let total = size * count
            guard let userdata else { return total }
            let capture = Unmanaged<ResponseCapture>.fromOpaque(userdata).takeUnretainedValue()
            if let buffer { capture.append(UnsafeRawBufferPointer(start: buffer, count: total)) }
            return total
        }
        if status != CURLE_OK { throw CurlSetupError(code: status) }
        try easy.set(CURLOPT_WRITEDATA, pointer: Unmanaged.passUnretained(self).toOpaque())
    }
}
