// A plain C view of RE2 for Swift: compile once, full-match many times, free.
#ifndef CRE2_SHIM_H
#define CRE2_SHIM_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An immutable compiled pattern; matching is thread-safe.
typedef struct cre2_regex cre2_regex;

/// Compiles `pattern` (UTF-8, `len` bytes) for whole-value matching, as Alertmanager's
/// `^(?:pattern)$`. Returns NULL on failure and writes RE2's message, NUL-terminated and
/// truncated to `error_cap` bytes, into `error` (when not NULL).
cre2_regex *_Nullable cre2_compile(const char *_Nonnull pattern, size_t len, char *_Nullable error, size_t error_cap);

/// Whether the whole of `text` (UTF-8, `len` bytes) matches. Linear in `len`.
bool cre2_full_match(const cre2_regex *_Nonnull regex, const char *_Nonnull text, size_t len);

void cre2_free(cre2_regex *_Nullable regex);

#ifdef __cplusplus
}
#endif

#endif
