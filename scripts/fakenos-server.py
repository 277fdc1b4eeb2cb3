#!/usr/bin/env python3
"""Serve fakenos devices (an independent fake-device package from PyPI) for NetRaven's tests.

Usage: fakenos-server.py INVENTORY.yaml
Prints "ready" on stdout once every device listens; stops on SIGTERM or SIGINT.
"""
import signal
import sys

from fakenos import FakeNOS


def main() -> None:
    net = FakeNOS(inventory=sys.argv[1])
    net.start()
    print("ready", flush=True)
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    net.stop()


if __name__ == "__main__":
    main()
