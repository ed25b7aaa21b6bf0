import CCurl

/// Thrown when libcurl rejects an option (e.g. a protocol not built in). Carries no values.
struct CurlSetupError: Error {
    let code: CURLcode
}

/// Owns one CURL easy handle and everything libcurl borrows from us during a transfer
/// (header/recipient slists), freeing them together. Used by one thread for one transfer.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    init?() {
        guard CurlGlobal.ensureInitialized(), let handle = curl_easy_init() else { return nil }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
    }

    func set(_ option: CURLoption, _ value: Int) throws(CurlSetupError) {
        try check(vigil_curl_setopt_long(handle, option, value))
    }

    func set(_ option: CURLoption, _ value: Bool) throws(CurlSetupError) {
        try set(option, value ? 1 : 0)
    }

    func set(_ option: CURLoption, offset value: Int64) throws(CurlSetupError) {
        try check(vigil_curl_setopt_off_t(handle, option, curl_off_t(value)))
    }

    /// libcurl copies string options, so the Swift string need not outlive the call.
    func set(_ option: CURLoption, _ value: String) throws(CurlSetupError) {
        try check(vigil_curl_setopt_string(handle, option, value))
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(CurlSetupError) {
        try check(vigil_curl_setopt_pointer(handle, option, pointer))
    }

    /// Builds a curl_slist kept alive until this handle is freed (libcurl does not copy lists).
    func set(_ option: CURLoption, list items: [String]) throws(CurlSetupError) {
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for item in items {
            guard let appended = curl_slist_append(list, item) else {
                if let list { curl_slist_free_all(list) }
                throw CurlSetupError(code: CURLE_OUT_OF_MEMORY)
            }
            list = appended
        }
        guard let list else { return }
        lists.append(list)
        try set(option, pointer: UnsafeMutableRawPointer(list))
    }

    /// Common safety options: no signals (we are multi-threaded), per-call timeouts,
    /// and a progress callback that aborts when the owning task is cancelled.
    func applyCommon(timeout: Duration, cancellation: CancellationFlag) throws(CurlSetupError) {
        let millis = max(1, timeout.milliseconds)
        try set(CURLOPT_NOSIGNAL, true)
        try set(CURLOPT_TIMEOUT_MS, millis)
        try set(CURLOPT_CONNECTTIMEOUT_MS, millis)
        try set(CURLOPT_NOPROGRESS, false)
        try check(vigil_curl_setopt_xferinfofunction(handle) { clientp, _, _, _, _ in
            guard let clientp else { return 0 }
            let flag = Unmanaged<CancellationFlag>.fromOpaque(clientp).takeUnretainedValue()
            return flag.isCancelled ? 1 : 0
        })
        // The flag is kept alive by the caller for the duration of perform().
        try set(CURLOPT_XFERINFODATA, pointer: Unmanaged.passUnretained(cancellation).toOpaque())
    }

    func perform() -> CURLcode {
        curl_easy_perform(handle)
    }

    /// Last HTTP status or SMTP reply code; nil when nothing was received.
    var responseCode: Int? {
        var code = 0
        guard vigil_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK, code > 0 else {
            return nil
        }
        return code
    }

    /// errno of the last failed connect (e.g. ECONNREFUSED), 0 when unknown.
    var osErrno: Int {
        var value = 0
        _ = vigil_curl_getinfo_long(handle, CURLINFO_OS_ERRNO, &value)
        return value
    }

    private func check(_ code: CURLcode) throws(CurlSetupError) {
        if code != CURLE_OK { throw CurlSetupError(code: code) }
    }
}
