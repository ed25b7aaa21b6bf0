#include "cre2_shim.h"

#include <re2/re2.h>

#include <cstring>
#include <new>
#include <string>

struct cre2_regex {
    RE2 re;
    cre2_regex(const std::string &pattern, const RE2::Options &options) : re(pattern, options) {}
};

namespace {

// Program size cap: a huge or heavily repeated pattern fails to compile instead of eating memory.
constexpr int64_t kMaxMem = 1 << 20;

RE2::Options options() {
    RE2::Options opt;
    opt.set_encoding(RE2::Options::EncodingUTF8);
    opt.set_log_errors(false);
    opt.set_max_mem(kMaxMem);
    return opt;
}

void copy_error(const std::string &message, char *error, size_t cap) {
    if (error == nullptr || cap == 0) return;
    size_t n = message.size() < cap - 1 ? message.size() : cap - 1;
    std::memcpy(error, message.data(), n);
    error[n] = '\0';
}

}  // namespace

extern "C" cre2_regex *cre2_compile(const char *pattern, size_t len, char *error, size_t error_cap) {
    try {
        std::string bare(pattern, len);
        // Compiled alone first, so `a)|(b` cannot escape the anchoring group below.
        RE2 check(bare, options());
        if (!check.ok()) {
            copy_error(check.error(), error, error_cap);
            return nullptr;
        }
        auto *regex = new cre2_regex("(?:" + bare + ")", options());
        if (!regex->re.ok()) {
            copy_error(regex->re.error(), error, error_cap);
            delete regex;
            return nullptr;
        }
        return regex;
    } catch (const std::exception &e) {
        copy_error(e.what(), error, error_cap);
    } catch (...) {
        copy_error("unknown error", error, error_cap);
    }
    return nullptr;
}

extern "C" bool cre2_full_match(const cre2_regex *regex, const char *text, size_t len) {
    try {
        return RE2::FullMatch(re2::StringPiece(text, len), regex->re);
    } catch (...) {
        return false;  // Only allocation failure could throw; never across the C boundary.
    }
}

extern "C" void cre2_free(cre2_regex *regex) { delete regex; }
