"""scrapli peer of benchmark P4: fetch `show running-config` from every lab device with scrapli's asyncio API.

    python scrapli_fetch.py --inventory INVENTORY.yaml --credentials CREDENTIALS.yaml --out DIR --concurrency N \
        [--transport ssh2|bin]

scrapli 2 (libscrapli, Zig core) with its `cisco_iosxe` definition (on open: enable, `term width 512`,
`term len 0`). Transports: `ssh2` (libssh2 in process; the faster one here) or `bin` (spawns OpenSSH `ssh` per
session, password typed in its pty). At most N sessions at once (an asyncio semaphore). Reads the inventory and
credentials files `netraven-lab` writes. Writes DIR/<name>.cfg per device and prints one JSON line:
{"tool": ..., "ok": N, "failed": [{"device": ..., "error": ...}]}.
"""
import asyncio

import scrapli
from scrapli import AuthOptions, Cli, LookupKeyValue, SessionOptions, TransportBinOptions, TransportSsh2Options

import sweep_peer


async def fetch(args, device, credential):
    """One device: open (login, enable, terminal setup), show running-config, close, write the file."""
    if args.transport == "bin":
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
    sweep_peer.write_config(args, device, result.result)


async def run_all(args, devices, credentials):
    """Fetches every device, at most `--concurrency` at once; returns the failures."""
    gate = asyncio.Semaphore(args.concurrency)
    failed = []

    async def one(device):
        async with gate:
            try:
                await fetch(args, device, credentials[device["credentials"]])
            except Exception as error:
                failed.append(sweep_peer.failure(device, error))

    await asyncio.gather(*(one(d) for d in devices))
    return failed


def main():
    args = sweep_peer.arguments(
        __doc__.splitlines()[0],
        extra=lambda parser: parser.add_argument("--transport", choices=["ssh2", "bin"], default="ssh2"))
    devices, credentials = sweep_peer.load(args)
    failed = asyncio.run(run_all(args, devices, credentials))
    tool = f"scrapli {scrapli.__version__} (libscrapli {scrapli.__semver_version__}, asyncio, {args.transport})"
    sweep_peer.report(tool, devices, failed)


if __name__ == "__main__":
    main()
