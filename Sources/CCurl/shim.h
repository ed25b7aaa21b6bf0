#ifndef VIGIL_CCURL_SHIM_H
#define VIGIL_CCURL_SHIM_H

// curl_easy_setopt / curl_easy_getinfo are C variadic functions, which Swift
// cannot call. These typed static-inline wrappers give Swift one entry point
// per argument kind. Callback setters take the exact C function-pointer type
// so Swift can pass @convention(c) closures.

#include <curl/curl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static inline CURLcode vigil_curl_setopt_long(CURL *h, CURLoption opt, long value) {
    return curl_easy_setopt(h, opt, value);
}

static inline CURLcode vigil_curl_setopt_off_t(CURL *h, CURLoption opt, curl_off_t value) {
    return curl_easy_setopt(h, opt, value);
}

/// String options are copied by libcurl (since 7.17), so the Swift string may die afterwards.
static inline CURLcode vigil_curl_setopt_string(CURL *h, CURLoption opt, const char *value) {
    return curl_easy_setopt(h, opt, value);
}

/// Pointers (slists, userdata, error buffers) are NOT copied: keep them alive for the transfer.
static inline CURLcode vigil_curl_setopt_pointer(CURL *h, CURLoption opt, void *value) {
    return curl_easy_setopt(h, opt, value);
}

typedef size_t (*vigil_curl_data_callback)(char *buffer, size_t size, size_t nitems, void *userdata);
typedef int (*vigil_curl_xferinfo_callback)(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
                                             curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode vigil_curl_setopt_writefunction(CURL *h, vigil_curl_data_callback fn) {
    return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fn);
}

static inline CURLcode vigil_curl_setopt_readfunction(CURL *h, vigil_curl_data_callback fn) {
    return curl_easy_setopt(h, CURLOPT_READFUNCTION, fn);
}

static inline CURLcode vigil_curl_setopt_xferinfofunction(CURL *h, vigil_curl_xferinfo_callback fn) {
    return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, fn);
}

static inline CURLcode vigil_curl_getinfo_long(CURL *h, CURLINFO info, long *out) {
    return curl_easy_getinfo(h, info, out);
}

static inline CURLcode vigil_curl_getinfo_double(CURL *h, CURLINFO info, double *out) {
    return curl_easy_getinfo(h, info, out);
}

/// CURL_GLOBAL_ALL is a compound macro that Swift does not import.
static inline CURLcode vigil_curl_global_init_all(void) {
    return curl_global_init(CURL_GLOBAL_ALL);
}

/// Abort value for read callbacks (a #define Swift does not import as a size_t).
static inline size_t vigil_curl_readfunc_abort(void) {
    return CURL_READFUNC_ABORT;
}

/// Connect-time egress check (CURLOPT_OPENSOCKETFUNCTION): libcurl calls this with each
/// resolved address it is about to connect to, after DNS, so a check here cannot be bypassed
/// by DNS rebinding or by exotic host spellings.
typedef curl_socket_t (*vigil_curl_opensocket_callback)(void *clientp, curlsocktype purpose,
                                                        struct curl_sockaddr *address);

static inline CURLcode vigil_curl_setopt_opensocketfunction(CURL *h, vigil_curl_opensocket_callback fn) {
    return curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, fn);
}

/// CURL_SOCKET_BAD is a #define Swift does not import.
static inline curl_socket_t vigil_curl_socket_bad(void) {
    return CURL_SOCKET_BAD;
}

/// Copies the IP address of `address` into `out` (16 bytes of room); returns 4 for IPv4,
/// 16 for IPv6, 0 for any other family (which the caller must refuse).
static inline int vigil_curl_sockaddr_ip(const struct curl_sockaddr *address, unsigned char *out) {
    if (address->family == AF_INET && address->addrlen >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in4 = (const struct sockaddr_in *)&address->addr;
        memcpy(out, &in4->sin_addr, 4);
        return 4;
    }
    if (address->family == AF_INET6 && address->addrlen >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&address->addr;
        memcpy(out, &in6->sin6_addr, 16);
        return 16;
    }
    return 0;
}

/// What libcurl's default open-socket does, for an address the policy allowed.
static inline curl_socket_t vigil_curl_open_socket(const struct curl_sockaddr *address) {
    return socket(address->family, address->socktype, address->protocol);
}

#endif
