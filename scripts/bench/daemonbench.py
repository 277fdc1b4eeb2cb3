"""Shared plumbing for the daemon benchmarks P3 (latency), P6 (memory) and P7 (20 MB config).

Imported by scripts/bench/p3-latency, p6-memory and p7-bigconfig (not a part itself: the name does not start
with `p`). It starts and always stops `netraven-lab` and `netraven run`, picks free loopback ports, reads memory
from /proc and writes the part's JSON file in the shape scripts/bench/report reads (see scripts/bench/run).
The measured work is the daemon's and the lab's; nothing here sits on the measured path except the clock reads.
"""

import atexit
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN_DIR = Path(os.environ.get("NETRAVEN_BIN_DIR") or ROOT / ".build/release")
OUT_DIR = Path(os.environ.get("NETRAVEN_BENCH_OUT") or ROOT / ".build/bench/results")
WORK_DIR = Path(os.environ.get("NETRAVEN_BENCH_WORK") or ROOT / ".build/bench/work")
QUICK = os.environ.get("NETRAVEN_BENCH_QUICK", "") == "1"
RULES_DIR = ROOT / "rules"

_children = []


def log(message):
    """Progress on stderr (scripts/bench/run keeps it in the part's log)."""
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def stop_all():
    """SIGTERM every child still running, then SIGKILL what did not exit within 20 s; always reaps."""
    for child in reversed(_children):
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in reversed(_children):
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    _children.clear()


def _on_signal(number, _frame):
    stop_all()
    sys.exit(128 + number)


atexit.register(stop_all)
signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)


def binary(name):
    path = BIN_DIR / name
    if not os.access(path, os.X_OK):
        sys.exit(f"bench: no executable {path} (set NETRAVEN_BIN_DIR)")
    return str(path)


def free_port(kind=socket.SOCK_DGRAM):
    """A loopback port free right now (bound to port 0 and read back, then released for the real server)."""
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_directory(name):
    path = WORK_DIR / name
    subprocess.run(["rm", "-rf", str(path)], check=True)
    path.mkdir(parents=True)
    return path


def spawn(arguments, stderr_path, stdout=subprocess.PIPE, stderr=None):
    """Starts a child that stop_all() ends; stderr goes to `stderr_path` unless a pipe is asked for."""
    err = stderr if stderr is not None else open(stderr_path, "wb")
    child = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err)
    _children.append(child)
    return child


def stop(child, timeout=60):
    """SIGTERM and reap one child; SIGKILL after `timeout` s. Returns its exit status."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    if child in _children:
        _children.remove(child)
    return child.returncode


def first_json_line(child, what, timeout=120):
    """The JSON line a child prints on stdout once it is ready (lab: ports; daemon: listeners)."""
    lines = queue.Queue()

    def read():
        line = child.stdout.readline()
        lines.put(line)
        # Keep draining so the child never blocks on a full pipe.
        for _ in child.stdout:
            pass

    threading.Thread(target=read, daemon=True).start()
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        sys.exit(f"bench: {what} printed no ready line within {timeout} s")
    if not line:
        sys.exit(f"bench: {what} exited (status {child.wait()}) before it was ready")
    return json.loads(line)


def start_lab(directory, devices, extra=()):
    """netraven-lab with IOS devices, its inventory and credentials written into `directory`."""
    arguments = [
        binary("netraven-lab"), "--devices", str(devices), "--platforms", "cisco_ios",
        "--password", "lab-pw", "--enable-password", "lab-en", "--state-dir", str(directory / "lab-state"),
        "--inventory-out", str(directory / "inventory.yaml"),
        "--credentials-out", str(directory / "credentials.yaml"), *extra,
    ]
    child = spawn(arguments, directory / "lab.log")
    ready = first_json_line(child, "netraven-lab")
    return child, ready


def write_daemon_config(directory, syslog_udp_port=None, debounce="{quiet: 0s, max_delay: 0s}",
                        collection="{concurrency: 16, retries: 0}", level="info", extra=""):
    """netraven.yaml next to the inventory and credentials in `directory`; returns its path."""
    syslog = f'syslog: {{udp: "127.0.0.1:{syslog_udp_port}", receive_buffer_bytes: 8388608}}\n' \
        if syslog_udp_port else ""
    path = directory / "netraven.yaml"
    path.write_text(
        f"state_dir: state\nrules_dir: {RULES_DIR}\ninventory: inventory.yaml\ncredentials: credentials.yaml\n"
        f"collection: {collection}\ndebounce: {debounce}\nsweep: {{enabled: false}}\n"
        f"logging: {{level: {level}}}\n{syslog}{extra}")
    return path


class Daemon:
    """`netraven run`: started, ready (its listeners bound), its JSON log read line by line as it is written.

    `on_line(raw)` sees every log line (bytes, one JSON object) on the reader thread; all go to `log_path` too.
    """

    def __init__(self, config, log_path, on_line=None):
        """Starts the daemon and waits for its ready line."""
        self.log_path = log_path
        self.child = spawn(
            [binary("netraven"), "run", "--config", str(config)], None, stderr=subprocess.PIPE)
        self._on_line = on_line
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()
        self.ready = first_json_line(self.child, "netraven run")

    def _read_log(self):
        with open(self.log_path, "wb") as out:
            for raw in self.child.stderr:
                out.write(raw)
                if self._on_line is not None:
                    self._on_line(raw)

    @property
    def pid(self):
        return self.child.pid

    def stop(self):
        status = stop(self.child)
        self._reader.join(timeout=30)
        return status


def memory_kib(pid):
    """VmRSS and VmHWM of a live process, in KiB, from /proc/PID/status."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def cpu_seconds(pid):
    """utime + stime of a live process, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values, fraction):
    """Nearest-rank percentile (p99 of 200 values is the 198th smallest)."""
    ordered = sorted(values)
    rank = max(1, int(-(-fraction * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def row(measure, unit, better, ours, target=None, limit=None):
    """A result row with no peer; `limit` is the target's bound on the median (below it when lower is better)."""
    met = None
    if limit is not None and ours:
        met = median(ours) < limit if better == "lower" else median(ours) > limit
    return {
        "measure": measure, "unit": unit, "better": better, "ours": [round(v, 3) for v in ours],
        "peer": None, "peer_values": [], "target": target, "target_met": met,
    }


def write_result(part_id, title, commands, rows, notes):
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{part_id}.json"
    result = {"id": part_id, "title": title, "commands": commands, "rows": rows, "notes": notes}
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    log(f"wrote {path}")
    print(json.dumps(result, indent=2, ensure_ascii=False))
