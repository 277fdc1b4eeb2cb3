"""The receivers the ingest benchmarks measure: `netraven run` (ours) and the peers rsyslogd and snmptrapd, each
started on loopback with its own files, counted from its own output, and stopped by `Processes`."""
import json
import os
import sqlite3
import subprocess
import time
import urllib.request

from common import ROOT, fail, log, socket_receive_buffer


def wait_until(predicate, what, process, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"{what}: the process exited with {process.returncode} before it was ready")
        if predicate():
            return
        time.sleep(0.05)
    fail(f"{what}: not ready after {timeout} s")


def udp_port_bound(port):
    return socket_receive_buffer(port) is not None


class NetRavenDaemon:
    """`netraven run` with a long debounce (no capture runs while measuring) and only the listeners asked for."""

    def __init__(self, bench, processes, inventory, sections, environment=None, api_port=None):
        self.directory = os.path.join(bench.work, f"netraven-{time.monotonic_ns()}")
        os.makedirs(self.directory)
        with open(os.path.join(self.directory, "inventory.yaml"), "w") as handle:
            handle.write(inventory)
        credentials = os.path.join(self.directory, "credentials.yaml")
        with open(credentials, "w") as handle:
            handle.write("credentials:\n  bench:\n    username: bench\n    password: never-used\n")
        os.chmod(credentials, 0o600)
        api = f'api: {{listen: "127.0.0.1:{api_port}", metrics: open}}\n' if api_port else ""
        self.config_text = (
            "state_dir: state\n"
            f"rules_dir: {ROOT}/rules\n"
            "inventory: inventory.yaml\n"
            "credentials: credentials.yaml\n"
            "debounce: {quiet: 1h, max_delay: 2h}\n"
            "sweep: {enabled: false}\n" + sections + api
        )
        self.config = os.path.join(self.directory, "netraven.yaml")
        with open(self.config, "w") as handle:
            handle.write(self.config_text)
        self.api_port = api_port
        self.command = [bench.binary("netraven"), "run", "--config", self.config]
        ready_path = os.path.join(self.directory, "ready.json")
        env = dict(os.environ)
        env.pop("NETRAVEN_CONFIG", None)
        env.update(environment or {})
        with open(ready_path, "w") as ready, open(os.path.join(self.directory, "daemon.log"), "w") as errors:
            self.process = processes.start(self.command, stdout=ready, stderr=errors, stdin=subprocess.DEVNULL, env=env)
        self.ports = {}

        def is_ready():
            with open(ready_path) as handle:
                line = handle.readline()
            if not line.endswith("\n"):
                return False
            data = json.loads(line)
            self.ports = data.get("ports", data)
            return True

        wait_until(is_ready, f"netraven run (log {self.directory}/daemon.log)", self.process)
        self.journal = os.path.join(self.directory, "state", "journal.sqlite")
        log(f"netraven run ready: {self.ports}")

    @property
    def pid(self):
        return self.process.pid

    def change_events(self):
        """Change events journaled so far."""
        connection = sqlite3.connect(f"file:{self.journal}?mode=ro", uri=True, timeout=10)
        try:
            return connection.execute("SELECT count(*) FROM event").fetchone()[0]
        finally:
            connection.close()

    def metric(self, name, labels):
        """The value of one counter of /metrics (the labels given must all match)."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.api_port}/metrics", timeout=10) as response:
            text = response.read().decode()
        total = 0.0
        for line in text.splitlines():
            if line.startswith(name + "{") and all(f'{key}="{value}"' in line for key, value in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
        return total


class Rsyslog:
    """rsyslogd -n -f OWN.conf: imudp on a free loopback port with the given receive buffer, a ruleset whose regex
    filter (the change ids of packaging/rsyslog/60-netraven.conf) keeps change lines and writes them to a file."""

    def __init__(self, bench, processes, binary, port, receive_buffer):
        self.directory = os.path.join(bench.work, f"rsyslog-{time.monotonic_ns()}")
        os.makedirs(os.path.join(self.directory, "work"))
        self.output = os.path.join(self.directory, "changes.log")
        open(self.output, "w").close()
        self.port = port
        self.conf_text = (
            f'global(workDirectory="{self.directory}/work")\n'
            'module(load="imudp")\n'
            'template(name="raw" type="string" string="%rawmsg%\\n")\n'
            f'input(type="imudp" address="127.0.0.1" port="{port}" rcvbufSize="{receive_buffer}" ruleset="bench")\n'
            'ruleset(name="bench") {\n'
            f"    if {change_filter()} then {{\n"
            f'        action(type="omfile" file="{self.output}" template="raw")\n'
            "    }\n"
            "}\n"
        )
        self.conf = os.path.join(self.directory, "rsyslog.conf")
        with open(self.conf, "w") as handle:
            handle.write(self.conf_text)
        self.command = [binary, "-n", "-f", self.conf, "-i", os.path.join(self.directory, "rsyslogd.pid")]
        with open(os.path.join(self.directory, "rsyslogd.log"), "w") as errors:
            self.process = processes.start(self.command, stdout=errors, stderr=errors, stdin=subprocess.DEVNULL)
        wait_until(lambda: udp_port_bound(port), f"rsyslogd (log {self.directory}/rsyslogd.log)", self.process)

    @property
    def pid(self):
        return self.process.pid

    def change_events(self):
        with open(self.output, "rb") as handle:
            return handle.read().count(b"\n")


def change_filter():
    """The `if` condition of packaging/rsyslog/60-netraven.conf: the change message ids of every vendor."""
    with open(os.path.join(ROOT, "packaging/rsyslog/60-netraven.conf")) as handle:
        text = handle.read()
    start = text.index("\nif ") + 4
    end = text.index(" then {", start)
    return " ".join(text[start:end].split())


class Snmptrapd:
    """snmptrapd -f -C -c OWN.conf on a free loopback port, accepting the bench community and the v3 user of every
    device (createUser -e ENGINE, the sender's engine id). `handler=False`: logs each trap as one line to a file
    (-Lf); `handler=True`: runs a shell script per trap (traphandle) that appends one line to a file."""

    def __init__(self, bench, processes, binary, port, devices, secrets, handler):
        self.directory = os.path.join(bench.work, f"snmptrapd-{time.monotonic_ns()}")
        os.makedirs(os.path.join(self.directory, "persistent"))
        self.output = os.path.join(self.directory, "traps.log")
        open(self.output, "w").close()
        self.port = port
        users = "".join(
            f'createUser -e 0x{device["engine_id"]} {devices["user"]} SHA "{secrets["auth"]}" AES "{secrets["priv"]}"\n'
            for device in devices["devices"])
        if handler:
            script = os.path.join(self.directory, "handler.sh")
            with open(script, "w") as handle:
                handle.write(
                    "#!/bin/sh\n# One line per trap: snmptrapd passes host, address and the varbinds on stdin.\n"
                    f'read host; read address; varbinds=$(cat); echo "TRAP $host $address" >> "{self.output}"\n')
            os.chmod(script, 0o755)
            access = "execute"
            output = f"traphandle default {script}\n"
            log_target = os.path.join(self.directory, "snmptrapd.log")
        else:
            access = "log"
            output = "format2 TRAP %B [%b]: %v\\n\n"
            log_target = self.output
        self.conf_text = (
            f"authCommunity {access} {secrets['community']}\n"
            f"authUser {access} {devices['user']} priv\n" + users + output)
        self.conf = os.path.join(self.directory, "snmptrapd.conf")
        with open(self.conf, "w") as handle:
            handle.write(self.conf_text)
        os.chmod(self.conf, 0o600)
        self.command = [binary, "-f", "-C", "-c", self.conf, "-n", "-On", "-Lf", log_target,
                        "-p", os.path.join(self.directory, "snmptrapd.pid"), f"udp:127.0.0.1:{port}"]
        env = dict(os.environ, SNMP_PERSISTENT_DIR=os.path.join(self.directory, "persistent"), MIBS="", MIBDIRS="")
        with open(os.path.join(self.directory, "stderr.log"), "w") as errors:
            self.process = processes.start(self.command, stdout=errors, stderr=errors, stdin=subprocess.DEVNULL,
                                           env=env)
        wait_until(lambda: udp_port_bound(port), f"snmptrapd (files in {self.directory})", self.process)

    @property
    def pid(self):
        return self.process.pid

    def traps(self):
        with open(self.output, "rb") as handle:
            return sum(1 for line in handle if line.startswith(b"TRAP "))
