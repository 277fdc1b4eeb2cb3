#pragma once
// libc first: net-snmp-config.h defines _GNU_SOURCE, which changes fd_set; a module that also imports Foundation
// then fails with an fds_bits / __fds_bits mismatch unless these headers were already read without it.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/time.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netdb.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
