// C functions Swift cannot call directly, each wrapped once here with an `nr_` prefix.
//
// Why each exists:
// - curl_easy_setopt and curl_easy_getinfo are variadic: Swift does not import C variadic functions, so each
//   argument type gets its own non-variadic shim.
// - Callback options take function pointers through those variadics: typed shims keep the pointer type exact
//   instead of smuggling it through `void *`.
// - CURLVERSION_NOW and CURL_GLOBAL_DEFAULT are macros Swift does not import as constants.
#pragma once
#include <curl/curl.h>

typedef size_t (*nr_curl_data_callback)(char *buffer, size_t size, size_t count, void *context);

CURLcode nr_curl_global_init(void);
CURLcode nr_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode nr_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode nr_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode nr_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode nr_curl_easy_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode nr_curl_easy_setopt_data_callback(CURL *handle, CURLoption option, nr_curl_data_callback callback);
CURLcode nr_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
const char *nr_curl_version_string(void);
