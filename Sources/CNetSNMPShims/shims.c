// libc before net-snmp-config.h, as in CNetSNMP/shim.h.
#include <errno.h>
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
#include "CNetSNMPShims.h"

_Static_assert(NR_SNMP_MSG_TRAP == SNMP_MSG_TRAP, "SNMP_MSG_TRAP");
_Static_assert(NR_SNMP_MSG_INFORM == SNMP_MSG_INFORM, "SNMP_MSG_INFORM");
_Static_assert(NR_SNMP_MSG_TRAP2 == SNMP_MSG_TRAP2, "SNMP_MSG_TRAP2");
_Static_assert(NR_SNMP_MSG_RESPONSE == SNMP_MSG_RESPONSE, "SNMP_MSG_RESPONSE");
_Static_assert(NR_ASN_INTEGER == ASN_INTEGER, "ASN_INTEGER");
_Static_assert(NR_ASN_OCTET_STR == ASN_OCTET_STR, "ASN_OCTET_STR");
_Static_assert(NR_ASN_NULL == ASN_NULL, "ASN_NULL");
_Static_assert(NR_ASN_OBJECT_ID == ASN_OBJECT_ID, "ASN_OBJECT_ID");
_Static_assert(NR_ASN_IPADDRESS == ASN_IPADDRESS, "ASN_IPADDRESS");
_Static_assert(NR_ASN_COUNTER == ASN_COUNTER, "ASN_COUNTER");
_Static_assert(NR_ASN_GAUGE == ASN_GAUGE, "ASN_GAUGE");
_Static_assert(NR_ASN_TIMETICKS == ASN_TIMETICKS, "ASN_TIMETICKS");
_Static_assert(NR_ASN_OPAQUE == ASN_OPAQUE, "ASN_OPAQUE");
_Static_assert(NR_ASN_COUNTER64 == ASN_COUNTER64, "ASN_COUNTER64");

int nr_snmp_sess_wait(void *session, int wake_fd) {
    fd_set readable;
    FD_ZERO(&readable);
    int maxfd = 0;
    int block = 1;
    struct timeval timeout = {0, 0};
    snmp_sess_select_info(session, &maxfd, &readable, &timeout, &block);
    FD_SET(wake_fd, &readable);
    if (wake_fd >= maxfd) {
        maxfd = wake_fd + 1;
    }
    int count = select(maxfd, &readable, NULL, NULL, block ? NULL : &timeout);
    if (count < 0) {
        return errno == EINTR ? NR_SNMP_WAIT_SERVED : NR_SNMP_WAIT_FAILED;
    }
    if (FD_ISSET(wake_fd, &readable)) {
        return NR_SNMP_WAIT_WOKEN;
    }
    if (count == 0) {
        snmp_sess_timeout(session);
    } else {
        snmp_sess_read(session, &readable);
    }
    return NR_SNMP_WAIT_SERVED;
}
