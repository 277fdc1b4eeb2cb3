"""netmiko peer of benchmark P4: fetch `show running-config` from every lab device in a thread pool.

    python netmiko_fetch.py --inventory INVENTORY.yaml --credentials CREDENTIALS.yaml --out DIR --concurrency N

Reads the inventory and credentials files `netraven-lab` writes (the same ones `netraven sweep` uses). Writes
DIR/<name>.cfg per device and prints one JSON line: {"tool": ..., "ok": N, "failed": [{"device": ..., "error": ...}]}.
Completeness is checked by the caller (scripts/bench/p4-sweep).
"""
from concurrent.futures import ThreadPoolExecutor

import netmiko
from netmiko import ConnectHandler

import sweep_peer


def fetch(args, device, credential):
    """One device: log in, enable, show running-config, write the file. netmiko's cisco_ios session preparation
    sends `terminal width 511` and `terminal length 0` itself."""
    connection = ConnectHandler(
        device_type="cisco_ios", host=device["host"], port=device["port"], username=credential["username"],
        password=credential["passwords"][0], secret=credential["enable"], conn_timeout=30)
    try:
        connection.enable()
        output = connection.send_command("show running-config", read_timeout=120)
    finally:
        connection.disconnect()
    sweep_peer.write_config(args, device, output)


def main():
    args = sweep_peer.arguments(__doc__.splitlines()[0])
    devices, credentials = sweep_peer.load(args)
    failed = []

    def run(device):
        try:
            fetch(args, device, credentials[device["credentials"]])
        except Exception as error:
            failed.append(sweep_peer.failure(device, error))

    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        list(pool.map(run, devices))
    sweep_peer.report(f"netmiko {netmiko.__version__}", devices, failed)


if __name__ == "__main__":
    main()
