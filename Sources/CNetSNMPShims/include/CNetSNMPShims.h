// net-snmp pieces Swift cannot use directly, each wrapped once here with an `nr_snmp_` prefix.
// Only NetRavenSNMP imports this module; NetRavenHTTP's CNetRavenShims must never see net-snmp.
//
// Why each exists:
// - The PDU types (SNMP_MSG_TRAP, SNMP_MSG_TRAP2, SNMP_MSG_INFORM, SNMP_MSG_RESPONSE) and the ASN.1 value types
//   (ASN_INTEGER, ASN_IPADDRESS, ...) are macros built from casts and other macros: Swift imports none of them,
//   so they are restated here as one enum, checked against the macros at compile time in shims.c.
// - fd_set is filled with the FD_ZERO / FD_SET / FD_ISSET macros, which Swift cannot call: the whole
//   select_info -> select -> read / timeout step of the owning thread's loop is therefore one C function.
#pragma once
// No net-snmp header here: its types reach Swift through CNetSNMP only, so they are never declared twice.

/// PDU and value type codes (values of the net-snmp macros of the same names).
enum nr_snmp_code {
    NR_SNMP_MSG_TRAP = 0xA4,
    NR_SNMP_MSG_INFORM = 0xA6,
    NR_SNMP_MSG_TRAP2 = 0xA7,
    NR_SNMP_MSG_RESPONSE = 0xA2,
    NR_ASN_INTEGER = 0x02,
    NR_ASN_OCTET_STR = 0x04,
    NR_ASN_NULL = 0x05,
    NR_ASN_OBJECT_ID = 0x06,
    NR_ASN_IPADDRESS = 0x40,
    NR_ASN_COUNTER = 0x41,
    NR_ASN_GAUGE = 0x42,
    NR_ASN_TIMETICKS = 0x43,
    NR_ASN_OPAQUE = 0x44,
    NR_ASN_COUNTER64 = 0x46,
};

/// What one wait step did.
enum nr_snmp_wait_result {
    /// A datagram was read (and the session callback ran), or a library timeout was processed.
    NR_SNMP_WAIT_SERVED = 0,
    /// `wake_fd` became readable: the owner asked the loop to stop.
    NR_SNMP_WAIT_WOKEN = 1,
    /// select() failed with something other than EINTR; errno tells.
    NR_SNMP_WAIT_FAILED = -1,
};

/// One step of the owning thread's loop: snmp_sess_select_info, select on the session's sockets plus `wake_fd`,
/// then snmp_sess_read or snmp_sess_timeout. Blocks until one of them happens.
int nr_snmp_sess_wait(void *session, int wake_fd);
