// A tiny C interface to RE2 (Debian's libre2-dev): linear-time matching in Go's regexp syntax.
#ifndef CRE2_SHIM_H
#define CRE2_SHIM_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct flamegen_re2 flamegen_re2;

/// Compiles `pattern` (UTF-8, `length` bytes); on failure returns NULL and writes a
/// NUL-terminated message of at most `error_capacity` bytes into `error`.
flamegen_re2 *flamegen_re2_compile(const char *pattern, size_t length, char *error, size_t error_capacity);
/// 1 when the pattern matches anywhere in `text` (unanchored), else 0.
int flamegen_re2_search(const flamegen_re2 *re, const char *text, size_t length);
void flamegen_re2_free(flamegen_re2 *re);

#ifdef __cplusplus
}
#endif
#endif
