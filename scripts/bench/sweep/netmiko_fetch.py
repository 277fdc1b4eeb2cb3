"""netmiko peer of benchmark P4: fetch `show running-config` from every lab device in a thread pool.

    python netmiko_fetch.py --inventory INVENTORY.yaml --credentials CREDENTIALS.yaml --out DIR --concurrency N

Reads the inventory and credentials files `netraven-lab` writes (the same ones `netraven sweep` uses), so no
secret is on the command line. Writes DIR/<name>.cfg per device (the minimum a backup tool does) and prints one
JSON line: {"tool": ..., "ok": N, "failed": [{"device": ..., "error": ...}]}. Completeness is checked by the caller.
"""
import argparse
import json
import os
from concurrent.futures import ThreadPoolExecutor

import netmiko
import yaml
from netmiko import ConnectHandler


def load(inventory_path, credentials_path):
    """The lab's devices and its one credential set."""
    with open(inventory_path, encoding="utf-8") as f:
        devices = yaml.safe_load(f)["devices"]
    with open(credentials_path, encoding="utf-8") as f:
        credentials = yaml.safe_load(f)["credentials"]
    return devices, credentials


def fetch(device, credential, out_dir):
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
    with open(os.path.join(out_dir, device["name"] + ".cfg"), "w", encoding="utf-8") as f:
        f.write(output)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inventory", required=True)
    parser.add_argument("--credentials", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    args = parser.parse_args()
    devices, credentials = load(args.inventory, args.credentials)
    os.makedirs(args.out, exist_ok=True)
    failed = []

    def run(device):
        try:
            fetch(device, credentials[device["credentials"]], args.out)
        except Exception as error:  # every failure is counted and reported by the caller, never hidden
            failed.append({"device": device["name"], "error": f"{type(error).__name__}: {error}"[:300]})

    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        list(pool.map(run, devices))
    print(json.dumps({"tool": f"netmiko {netmiko.__version__}", "ok": len(devices) - len(failed), "failed": failed}))


if __name__ == "__main__":
    main()
