"""scrapli peer of benchmark P4: fetch `show running-config` from every lab device with scrapli's asyncio API.

    python scrapli_fetch.py --inventory INVENTORY.yaml --credentials CREDENTIALS.yaml --out DIR --concurrency N \
        [--transport bin|ssh2]

scrapli 2 (libscrapli, Zig core) with its `cisco_iosxe` definition (on open: enable, `term width 512`,
`term len 0`). Transports: `bin` (the default: spawns OpenSSH `ssh` per device, password typed in the pty) or
`ssh2` (libssh2 in process). At most N sessions at once (an asyncio semaphore). Reads the inventory and
credentials files `netraven-lab` writes, so no secret is on the command line. Writes DIR/<name>.cfg per device and
prints one JSON line: {"tool": ..., "ok": N, "failed": [{"device": ..., "error": ...}]}.
"""
import argparse
import asyncio
import json
import os

import scrapli
import yaml
from scrapli import AuthOptions, Cli, LookupKeyValue, SessionOptions, TransportBinOptions, TransportSsh2Options


def load(inventory_path, credentials_path):
    """The lab's devices and its credential sets."""
    with open(inventory_path, encoding="utf-8") as f:
        devices = yaml.safe_load(f)["devices"]
    with open(credentials_path, encoding="utf-8") as f:
        credentials = yaml.safe_load(f)["credentials"]
    return devices, credentials


async def fetch(device, credential, out_dir, transport):
    """One device: open (login, enable, terminal setup), show running-config, close, write the file."""
    if transport == "bin":
        # No known_hosts of the user's: the lab's keys are new on every start.
        transport_options = TransportBinOptions(enable_strict_key=False, known_hosts_path="/dev/null")
    else:
        transport_options = TransportSsh2Options()
    cli = Cli(
        host=device["host"], port=device["port"], definition_file_or_name="cisco_iosxe",
        auth_options=AuthOptions(
            username=credential["username"], password=credential["passwords"][0],
            lookups=[LookupKeyValue(key="enable", value=credential["enable"])]),
        session_options=SessionOptions(operation_timeout_s=120),
        transport_options=transport_options)
    async with cli as connection:
        result = await connection.send_input_async("show running-config")
    with open(os.path.join(out_dir, device["name"] + ".cfg"), "w", encoding="utf-8") as f:
        f.write(result.result)


async def run_all(devices, credentials, out_dir, concurrency, transport):
    """Fetches every device, at most `concurrency` at once; returns the failures."""
    gate = asyncio.Semaphore(concurrency)
    failed = []

    async def one(device):
        async with gate:
            try:
                await fetch(device, credentials[device["credentials"]], out_dir, transport)
            except Exception as error:  # counted and reported by the caller, never hidden
                failed.append({"device": device["name"], "error": f"{type(error).__name__}: {error}"[:300]})

    await asyncio.gather(*(one(d) for d in devices))
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inventory", required=True)
    parser.add_argument("--credentials", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--transport", choices=["bin", "ssh2"], default="bin")
    args = parser.parse_args()
    devices, credentials = load(args.inventory, args.credentials)
    os.makedirs(args.out, exist_ok=True)
    failed = asyncio.run(run_all(devices, credentials, args.out, args.concurrency, args.transport))
    tool = f"scrapli {scrapli.__version__} (libscrapli {scrapli.__semver_version__}, asyncio, {args.transport})"
    print(json.dumps({"tool": tool, "ok": len(devices) - len(failed), "failed": failed}))


if __name__ == "__main__":
    main()
