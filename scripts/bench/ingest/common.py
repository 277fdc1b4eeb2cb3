"""Shared pieces of the ingest benchmarks P1 (syslog) and P2 (traps): the bench seam's environment, spawned
processes that are always stopped, CPU from /proc, counting until a receiver has drained, and the zero-loss search.

The measured work is the receivers' (netraven run, rsyslogd, snmptrapd); this script only starts them, drives the
load generator (netraven-bench) and reads counters.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Bench:
    """The seam's environment variables, with the defaults a standalone run needs."""

    def __init__(self, part):
        self.part = part
        self.bin_dir = os.path.abspath(os.environ.get("NETRAVEN_BIN_DIR") or os.path.join(ROOT, ".build/release"))
        self.out_dir = os.path.abspath(os.environ.get("NETRAVEN_BENCH_OUT") or os.path.join(ROOT, ".build/bench/results"))
        work_root = os.environ.get("NETRAVEN_BENCH_WORK") or os.path.join(ROOT, ".build/bench/work")
        self.quick = os.environ.get("NETRAVEN_BENCH_QUICK") == "1"
        self.work = os.path.abspath(os.path.join(work_root, f"{part.lower()}-{os.getpid()}"))
        for binary in ("netraven", "netraven-bench"):
            if not os.access(self.binary(binary), os.X_OK):
                fail(f"no executable {binary} in {self.bin_dir} (set NETRAVEN_BIN_DIR or build it)")
        os.makedirs(self.out_dir, exist_ok=True)
        if os.path.exists(self.work):
            shutil.rmtree(self.work)
        os.makedirs(self.work)

    def binary(self, name):
        return os.path.join(self.bin_dir, name)

    def write_result(self, result):
        path = os.path.join(self.out_dir, f"{self.part}.json")
        with open(path, "w") as handle:
            json.dump(result, handle, indent=2)
        log(f"wrote {path}")


def fail(message):
    print(f"error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def require_tool(name, package):
    for directory in (os.environ.get("PATH", "").split(":") + ["/usr/sbin", "/sbin"]):
        path = os.path.join(directory, name)
        if directory and os.access(path, os.X_OK):
            return path
    fail(f"{name} not found: install the Debian package {package} (scripts/bootstrap does)")


def free_udp_port():
    """A UDP port free right now on 127.0.0.1 (for peers that cannot report the port they bound)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_tcp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Processes:
    """Every process a benchmark starts; `stop_all` (also at exit and on SIGTERM/SIGINT) terminates and reaps them."""

    def __init__(self):
        self.running = []
        signal.signal(signal.SIGTERM, self._signalled)
        signal.signal(signal.SIGINT, self._signalled)

    def _signalled(self, number, _frame):
        self.stop_all()
        sys.exit(128 + number)

    def start(self, arguments, **options):
        process = subprocess.Popen(arguments, **options)
        self.running.append(process)
        return process

    def stop(self, process, timeout=20):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process in self.running:
            self.running.remove(process)

    def stop_all(self):
        for process in list(self.running):
            self.stop(process, timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stop_all()


def cpu_seconds(pid):
    """utime + stime of every thread of a running process, in seconds (/proc/PID/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def udp_receive_errors():
    """The kernel's UDP RcvbufErrors (system-wide: other traffic on the machine counts too)."""
    with open("/proc/net/snmp") as handle:
        lines = [line.split() for line in handle if line.startswith("Udp:")]
    header, values = lines[0], lines[1]
    return int(values[header.index("RcvbufErrors")])


def socket_receive_buffer(port):
    """The receive buffer (`rb` of `ss -uamn`) of the UDP socket bound to `port`, in bytes; None if unknown."""
    try:
        output = subprocess.run(["ss", "-uamn", f"sport = :{port}"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    for part in output.replace("(", ",").replace(")", ",").split(","):
        if part.startswith("rb") and part[2:].isdigit():
            return int(part[2:])
    return None


def wait_for_count(read_count, expected, settle, timeout=120):
    """Polls `read_count()` until it reaches `expected` or stops growing for `settle` seconds; returns the count."""
    deadline = time.monotonic() + timeout
    last = read_count()
    last_change = time.monotonic()
    while time.monotonic() < deadline:
        if last >= expected:
            return last
        time.sleep(0.05)
        now = read_count()
        if now != last:
            last, last_change = now, time.monotonic()
        elif time.monotonic() - last_change >= settle:
            return last
    return last


def run_json(arguments, timeout):
    """Runs a tool to completion (reaped by subprocess.run, also on timeout) and parses its last stdout line."""
    try:
        done = subprocess.run(arguments, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        fail(f"timed out after {timeout} s: {' '.join(arguments)}")
    if done.returncode != 0:
        fail(f"{' '.join(arguments)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1])


def zero_loss_search(step, start_rate, max_rate, bisections):
    """The highest rate at which `step(rate)` reports no loss: double from `start_rate` until a loss (or
    `max_rate`), then bisect between the last clean and the first lossy rate. `step` returns (clean, achieved):
    achieved is the rate the sender really reached, which caps the result when the sender is the limit.
    Returns (rate, limited_by_sender, trail)."""
    trail = []
    best, lossy, rate = 0.0, None, start_rate
    while rate <= max_rate:
        clean, achieved = step(rate)
        trail.append((round(rate), clean, round(achieved)))
        if not clean:
            lossy = rate
            break
        best = min(rate, achieved)
        if achieved < rate * 0.9:
            return best, True, trail
        rate *= 2
    if lossy is None:
        return best, True, trail
    low, high = best, lossy
    for _ in range(bisections):
        middle = (low + high) / 2
        clean, achieved = step(middle)
        trail.append((round(middle), clean, round(achieved)))
        if clean:
            low = min(middle, achieved)
        else:
            high = middle
    return low, False, trail


def median(values):
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
