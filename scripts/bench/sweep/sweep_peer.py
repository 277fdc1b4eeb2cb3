"""What the P4 peer scripts share: their command line, the lab's inventory and credentials, the summary line."""
import argparse
import json
import os

import yaml


def arguments(description, extra=None):
    """--inventory, --credentials, --out, --concurrency (and the caller's own options); creates --out."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--inventory", required=True, help="the inventory YAML netraven-lab wrote")
    parser.add_argument("--credentials", required=True, help="the credentials YAML netraven-lab wrote")
    parser.add_argument("--out", required=True, help="directory for <name>.cfg files")
    parser.add_argument("--concurrency", type=int, required=True)
    if extra:
        extra(parser)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    return args


def load(args):
    """The lab's devices and its credential sets (secrets come from the file, never the command line)."""
    with open(args.inventory, encoding="utf-8") as f:
        devices = yaml.safe_load(f)["devices"]
    with open(args.credentials, encoding="utf-8") as f:
        credentials = yaml.safe_load(f)["credentials"]
    return devices, credentials


def write_config(args, device, text):
    """The minimum a backup tool does with what it fetched."""
    with open(os.path.join(args.out, device["name"] + ".cfg"), "w", encoding="utf-8") as f:
        f.write(text)


def failure(device, error):
    """A failed device as reported (every failure is counted by the caller, never hidden)."""
    return {"device": device["name"], "error": f"{type(error).__name__}: {error}"[:300]}


def report(tool, devices, failed):
    print(json.dumps({"tool": tool, "ok": len(devices) - len(failed), "failed": failed}))
