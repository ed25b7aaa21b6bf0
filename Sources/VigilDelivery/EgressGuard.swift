import CCurl
import VigilPrimitives

/// Applies the `EgressPolicy` to every address libcurl is about to connect to, through
/// CURLOPT_OPENSOCKETFUNCTION. The check runs on the resolved address at connect time, so a
/// name that resolves (or re-resolves, DNS rebinding) to a forbidden address is refused, as are
/// the resolver's legacy spellings of one (`2130706433`, `0177.0.0.1`, `[::ffff:127.0.0.1]`).
/// One guard per transfer; it remembers that it refused so the outcome can say so.
final class EgressGuard {
    let policy: EgressPolicy
    /// Written and read on the transfer's own thread only (libcurl calls back synchronously).
    private(set) var refused = false

    init(policy: EgressPolicy) {
        self.policy = policy
    }

    /// Installs the callback; `self` must outlive perform().
    func install(on easy: CurlEasy) throws(CurlSetupError) {
        let status = vigil_curl_setopt_opensocketfunction(easy.handle) { clientp, _, address in
            guard let clientp, let address else { return vigil_curl_socket_bad() }
            let guardian = Unmanaged<EgressGuard>.fromOpaque(clientp).takeUnretainedValue()
            return guardian.open(address)
        }
        if status != CURLE_OK { throw CurlSetupError(code: status) }
        try easy.set(CURLOPT_OPENSOCKETDATA, pointer: Unmanaged.passUnretained(self).toOpaque())
    }

    private func open(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = bytes.withUnsafeMutableBufferPointer { Int(vigil_curl_sockaddr_ip(address, $0.baseAddress)) }
        // Unknown families (e.g. AF_UNIX) are refused: the policy can only vouch for IP.
        guard let ip = IPAddress(bytes: Array(bytes.prefix(count))), policy.decide(ip).isAllowed else {
            refused = true
            return vigil_curl_socket_bad()
        }
        return vigil_curl_open_socket(address)
    }
}
