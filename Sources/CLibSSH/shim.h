#pragma once
#include <libssh/libssh.h>
