#pragma once
#include <git2.h>

// git_libgit2_opts is variadic, which Swift does not import: each option NetRaven sets gets one typed,
// non-variadic wrapper here (static inline, so the module stays a header-only system library and libgit2 is
// still imported only by NetRavenGit).

/// GIT_OPT_SET_SSL_CERT_LOCATIONS: the CA bundle file and/or directory TLS remotes are verified against.
/// With Debian's mbedTLS backend this *replaces* the process-wide trust chain (it is not added to it).
static inline int nr_git_set_ssl_cert_locations(const char *file, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, path);
}
