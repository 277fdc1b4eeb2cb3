#pragma once
// zlib for NetRavenBundle's gzip streams. deflateInit2/inflateInit2 are macros: Swift calls deflateInit2_ and
// inflateInit2_ with zlibVersion() and the size of z_stream instead.
#include <zlib.h>
