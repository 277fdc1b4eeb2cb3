#include "CNetRavenShims.h"

CURLcode nr_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }

CURLcode nr_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode nr_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode nr_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode nr_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode nr_curl_easy_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode nr_curl_easy_setopt_data_callback(CURL *handle, CURLoption option, nr_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

CURLcode nr_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

const char *nr_curl_version_string(void) { return curl_version_info(CURLVERSION_NOW)->version; }
