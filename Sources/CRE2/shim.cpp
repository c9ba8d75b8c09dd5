#include "cre2_shim.h"
#include <re2/re2.h>
#include <cstdio>
#include <new>

struct flamegen_re2 {
    RE2 regex;
    explicit flamegen_re2(re2::StringPiece pattern, const RE2::Options &options) : regex(pattern, options) {}
};

extern "C" flamegen_re2 *flamegen_re2_compile(const char *pattern, size_t length, char *error, size_t error_capacity) {
    RE2::Options options;
    options.set_log_errors(false);
    // Go's regexp has no memory limit; RE2's default (8 MiB) bounds the automaton instead.
    auto *re = new (std::nothrow) flamegen_re2(re2::StringPiece(pattern, length), options);
    if (re == nullptr) {
        if (error_capacity > 0) std::snprintf(error, error_capacity, "out of memory");
        return nullptr;
    }
    if (!re->regex.ok()) {
        if (error_capacity > 0) {
            std::snprintf(error, error_capacity, "%s", re->regex.error().c_str());
        }
        delete re;
        return nullptr;
    }
    return re;
}

extern "C" int flamegen_re2_search(const flamegen_re2 *re, const char *text, size_t length) {
    return RE2::PartialMatch(re2::StringPiece(text, length), re->regex) ? 1 : 0;
}

extern "C" void flamegen_re2_free(flamegen_re2 *re) { delete re; }
