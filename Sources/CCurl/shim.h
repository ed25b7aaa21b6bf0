#ifndef VIGIL_CCURL_SHIM_H
#define VIGIL_CCURL_SHIM_H

// curl_easy_setopt / curl_easy_getinfo are C variadic functions, which Swift
// cannot call. These typed static-inline wrappers give Swift one entry point
// per argument kind. Callback setters take the exact C function-pointer type
// so Swift can pass @convention(c) closures.

#include <curl/curl.h>

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

#endif
