"""P2: SNMP trap ingest, v2c and v3 authPriv: `netraven run` against snmptrapd logging to a file and snmptrapd
running a handler script per trap (traphandle), same traps, default receive buffer for all three.

For each receiver and version: the highest offered rate with no trap lost (doubling, then bisecting), and for ours
and snmptrapd log-only the CPU per trap at a fixed rate both sustain (/proc/PID/stat of the receiver only).
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import (ROOT, Bench, Processes, cpu_seconds, fail, free_tcp_port, free_udp_port, log, median,  # noqa: E402
                    require_tool, run_json, wait_for_count, zero_loss_search)
from receivers import NetRavenDaemon, Snmptrapd  # noqa: E402

DEVICES = 4
CHANGE_PERCENT = 1.0
SECRETS = {"community": "bench-community", "auth": "bench-auth-pass", "priv": "bench-priv-pass"}
SENDER_ENVIRONMENT = {"NETRAVEN_BENCH_COMMUNITY": SECRETS["community"], "NETRAVEN_BENCH_AUTH": SECRETS["auth"],
                      "NETRAVEN_BENCH_PRIV": SECRETS["priv"]}


class OursCounter:
    """Traps received by the daemon's receiver (/metrics) and change events journaled."""

    def __init__(self, daemon, version):
        self.daemon, self.version = daemon, version

    def traps(self):
        return int(self.daemon.metric("netraven_events_received_total", {"source": "snmp", "transport": self.version}))


class PeerCounter:
    def __init__(self, trapd):
        self.trapd = trapd

    def traps(self):
        return self.trapd.traps()


def main():
    bench = Bench("P2")
    snmptrapd = require_tool("snmptrapd", "snmptrapd")
    version_text = subprocess.run([snmptrapd, "-v"], capture_output=True, text=True)
    version_line = next((line for line in (version_text.stdout + version_text.stderr).splitlines()
                         if "Version" in line), "NET-SNMP Version: ?")
    peer_version = f"snmptrapd {version_line.split(':', 1)[1].strip()}"
    quick = bench.quick
    step_seconds = 0.7 if quick else 3.0
    settle = 0.4 if quick else 1.5
    repetitions = 1 if quick else 3
    bisections = 1 if quick else 4
    fixed_seconds = 2.0 if quick else 10.0
    fixed_default = 1_000 if quick else 3_000
    environment = dict(os.environ, **SENDER_ENVIRONMENT)

    sender = [bench.binary("netraven-bench"), "send-traps", "--devices", str(DEVICES),
              "--change-percent", str(CHANGE_PERCENT), "--rules", os.path.join(ROOT, "rules")]
    devices = run_json(sender + ["--describe"], timeout=60)
    state = os.path.join(bench.work, "sender-snmp")

    def send(port, version, rate, count):
        arguments = sender + ["--target", f"127.0.0.1:{port}", "--version", version, "--count", str(count),
                              "--rate", str(rate), "--state-dir", state]
        done = subprocess.run(arguments, capture_output=True, text=True, env=environment,
                              timeout=count / max(rate, 1) + 120)
        if done.returncode != 0:
            fail(f"send-traps failed: {done.stderr.strip()[-2000:]}")
        report = json.loads(done.stdout.strip().splitlines()[-1])
        if report["send_errors"]:
            fail(f"send-traps: {report['send_errors']} traps not sent: {report['first_error']}")
        return report

    def make_step(name, counter, port, version, changes=None):
        def step(rate):
            before = counter.traps()
            changes_before = changes() if changes else 0
            count = max(int(rate * step_seconds), 100)
            sent = send(port, version, rate, count)
            got = wait_for_count(counter.traps, before + count, settle) - before
            lost = count - got
            if changes:
                changes_lost = sent["changes"] - (wait_for_count(changes, changes_before + sent["changes"], settle)
                                                  - changes_before)
                lost = max(lost, changes_lost)
            log(f"  {name} {version} {rate:.0f}/s offered, {sent['achieved_rate']:.0f}/s sent: {count} traps, "
                f"{lost} lost")
            if lost:
                wait_for_count(counter.traps, 1 << 62, settle * 2)
            return lost == 0, sent["achieved_rate"]
        return step

    def cpu_per_trap(counter, pid, port, version, rate):
        count = int(rate * fixed_seconds)
        before = counter.traps()
        start = cpu_seconds(pid)
        send(port, version, rate, count)
        got = wait_for_count(counter.traps, before + count, settle) - before
        used = cpu_seconds(pid) - start
        if got != count:
            log(f"  warning: {count - got} traps lost at the fixed rate {rate:.0f}/s")
        return used * 1e6 / count

    sides = ("ours", "log", "handler")
    versions = ("v2c", "v3")
    rates = {(side, version): [] for side in sides for version in versions}
    cpu = {(side, version): [] for side in ("ours", "log") for version in versions}
    trails = {}
    capped = {}
    with Processes() as processes:
        users = "".join(
            f'    - {{name: {devices["user"]}, auth_protocol: SHA, auth_secret: "env:NETRAVEN_BENCH_AUTH", '
            f'priv_protocol: AES, priv_secret: "env:NETRAVEN_BENCH_PRIV", engine_id: "0x{device["engine_id"]}"}}\n'
            for device in devices["devices"])
        snmp_section = ('snmp:\n  listen: "127.0.0.1:0"\n  communities: ["env:NETRAVEN_BENCH_COMMUNITY"]\n'
                        "  users:\n" + users)
        inventory = "defaults:\n  credentials: bench\ndevices:\n" + "".join(
            f"  - {{name: {d['name']}, host: {d['address']}, platform: {d['platform']}, group: bench}}\n"
            for d in devices["devices"])
        ours = NetRavenDaemon(bench, processes, inventory, snmp_section, environment=SENDER_ENVIRONMENT,
                              api_port=free_tcp_port())
        log_only = Snmptrapd(bench, processes, snmptrapd, free_udp_port(), devices, SECRETS, handler=False)
        handler = Snmptrapd(bench, processes, snmptrapd, free_udp_port(), devices, SECRETS, handler=True)
        receivers = {
            "ours": (ours.pid, ours.ports["snmp"], lambda version: OursCounter(ours, version), ours.change_events),
            "log": (log_only.pid, log_only.port, lambda _: PeerCounter(log_only), None),
            "handler": (handler.pid, handler.port, lambda _: PeerCounter(handler), None),
        }
        start_rates = {"ours": 1_000, "log": 1_000, "handler": 100}
        for repetition in range(repetitions):
            for side in sides:
                pid, port, counter, changes = receivers[side]
                for version in versions:
                    log(f"repetition {repetition + 1}/{repetitions}: zero-loss search, {side} {version}")
                    rate, was_capped, trail = zero_loss_search(
                        make_step(side, counter(version), port, version, changes), start_rate=start_rates[side],
                        max_rate=500_000, bisections=bisections)
                    rates[(side, version)].append(round(rate))
                    trails.setdefault(f"{side} {version}", []).append(trail)
                    capped.setdefault(f"{side} {version}", []).append(was_capped)
        for repetition in range(repetitions):
            for version in versions:
                fixed = min(fixed_default, 0.5 * min(median(rates[("ours", version)]), median(rates[("log", version)])))
                for side in ("ours", "log"):
                    pid, port, counter, _ = receivers[side]
                    value = cpu_per_trap(counter(version), pid, port, version, fixed)
                    cpu[(side, version)].append(round(value, 2))
                    log(f"  CPU {side} {version} at {fixed:.0f}/s: {value:.1f} µs/trap")
        commands = [
            " ".join(ours.command) + "   # netraven.yaml:\n" + ours.config_text,
            " ".join(log_only.command) + "   # snmptrapd.conf (passphrases as below):\n" + log_only.conf_text,
            " ".join(handler.command) + "   # snmptrapd.conf:\n" + handler.conf_text,
            " ".join(sender) + " --target 127.0.0.1:PORT --version v2c|v3 --count N --rate R   # the load generator",
        ]

    def ratio(side, version):
        peer = median(rates[(side, version)])
        return median(rates[("ours", version)]) / peer if peer else None

    labels = {"v2c": "v2c", "v3": "v3 authPriv (SHA/AES)"}
    log_peer = f"{peer_version} -Lf file (log only)"
    handler_peer = f"{peer_version} traphandle (shell script appending to a file)"
    # (measure, unit, ours, peer, peer values, target, target met) per version, in report order.
    kinds = [
        ("zero-loss rate, {}, vs log-only", "traps/s", rates, "log", log_peer, "≥ snmptrapd's log-only rate", 1.0),
        ("zero-loss rate, {}, vs traphandle per trap", "traps/s", rates, "handler", handler_peer,
         "≥ 20× the traphandle setup", 20.0),
        ("CPU per trap at a fixed rate, {}", "µs/trap", cpu, "log", log_peer, None, None),
    ]
    rows = []
    for measure, unit, table, side, peer, target, factor in kinds:
        for version in versions:
            rows.append({
                "measure": measure.format(labels[version]), "unit": unit,
                "better": "higher" if unit == "traps/s" else "lower",
                "ours": table[("ours", version)], "peer": peer, "peer_values": table[(side, version)],
                "target": target, "target_met": None if factor is None else (ratio(side, version) or 0) >= factor,
            })
    notes = [
        f"Traps: netraven-bench send-traps through net-snmp (NetRavenSNMP.TrapSender), {DEVICES} devices each "
        f"sending from its own 127.0.1.x address (v3: its own engine id, user bench, SHA + AES-128), "
        f"{CHANGE_PERCENT:g} % configuration-change traps (ciscoConfigManEvent, aristaConfigManEvent, "
        "jnxCmCfgChange from rules/fixtures/traps, matching each device's vendor), the rest the non-change "
        "fixtures (linkDown/linkUp, authenticationFailure, coldStart, configuration reads, entConfigChange).",
        "Ours: netraven run with only the trap receiver (debounce quiet 1h: no capture runs); a trap counts when "
        "netraven_events_received_total{source=snmp} counts it, and every change trap must also be in the journal. "
        "snmptrapd log-only: one line per trap (format2) in its -Lf file; traphandle: one line per trap appended by "
        "the handler script.",
        "All three receivers use the kernel's default UDP receive buffer (neither NetRaven's trap receiver nor "
        "snmptrapd set SO_RCVBUF here).",
        f"Zero-loss rate: offered rate doubled until a trap was lost, then {bisections} bisection steps, "
        f"{step_seconds:g} s of traffic per step (at least 100 traps). Sender-limited searches: {capped}.",
        f"Search trails (offered, clean, achieved): {trails}.",
        f"CPU per trap: utime+stime of the receiver (/proc/PID/stat) over {fixed_seconds:g} s at half the lower "
        f"zero-loss median of ours and snmptrapd log-only (at most {fixed_default}/s), divided by the traps sent.",
        "The sender's v3 authPriv encoding (AES + HMAC per trap) runs on the same 2 cores as the receivers.",
    ]
    if quick:
        notes.append("QUICK run: 1 repetition, short steps; numbers are a smoke test, not a measurement.")
    bench.write_result({
        "id": "P2",
        "title": f"SNMP trap ingest (v2c, v3 authPriv): netraven run vs {peer_version}",
        "commands": commands, "rows": rows, "notes": notes,
    })


if __name__ == "__main__":
    main()
