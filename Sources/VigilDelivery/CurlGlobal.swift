import CCurl

/// curl_global_init must run once before any easy handle and is not safe to race with
/// handle creation on older libcurls. A global `let` is initialised lazily exactly once
/// (swift_once), which gives us the thread-safe once-token for free.
private let curlGlobalInitResult: CURLcode = vigil_curl_global_init_all()

enum CurlGlobal {
    /// Returns false if libcurl could not initialise (then every transfer fails cleanly).
    static func ensureInitialized() -> Bool {
        curlGlobalInitResult == CURLE_OK
    }
}
