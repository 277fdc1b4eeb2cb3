#!/usr/bin/env python3
"""Independent SSH client for the device lab (used by Tests/NetRavenLabTests and by hand).

Reads one JSON request on stdin, prints one JSON result on stdout.
  {"mode": "netmiko", "host", "port", "device_type", "username", "password", "secret", "enable": bool,
   "commands": [...], "timeout": s}
      -> {"ok": true, "outputs": {cmd: text}} | {"ok": false, "error": "...", "kind": "auth|timeout|..."}
  {"mode": "raw", "host", "port", "username", "password", "send": [[text, wait_s], ...], "timeout": s}
      -> {"ok": true, "output": all bytes received (latin-1), "closed": bool, "hostkey": "ssh-ed25519 AAAA..."}
"""
import json
import socket
import os
import signal
import sys
import threading
import time

import paramiko


def raw(req):
    t = paramiko.Transport(sock=socket.create_connection((req["host"], req["port"]), timeout=req.get("timeout", 10)))
    t.banner_timeout = t.auth_timeout = req.get("timeout", 10)
    t.start_client(timeout=req.get("timeout", 10))
    key = t.get_remote_server_key()
    hostkey = key.get_name() + " " + key.get_base64()
    try:
        t.auth_password(req["username"], req["password"])
    except paramiko.AuthenticationException as e:
        return {"ok": False, "kind": "auth", "error": str(e), "hostkey": hostkey}
    ch = t.open_session(timeout=req.get("timeout", 10))
    ch.settimeout(req.get("timeout", 10))
    # paramiko waits for the pty/shell replies without a timeout: wait in a thread so a hung device times out.
    failure = []

    def open_shell():
        try:
            ch.get_pty(term="vt100", width=200, height=50)
            ch.invoke_shell()
        except Exception as e:  # noqa: BLE001
            failure.append(e)

    opener = threading.Thread(target=open_shell, daemon=True)
    opener.start()
    opener.join(req.get("timeout", 10))
    if opener.is_alive() or failure:
        return {"ok": False, "kind": "timeout" if opener.is_alive() else "shell", "error": str(failure), "hostkey": hostkey}
    out = b""
    closed = False

    def drain(wait):
        nonlocal out, closed
        end = time.time() + wait
        while time.time() < end:
            if ch.recv_ready():
                data = ch.recv(65536)
                if not data:
                    closed = True
                    return
                out += data
            elif ch.closed or ch.eof_received or not t.is_active():
                closed = True
                return
            else:
                time.sleep(0.02)

    drain(req.get("initial_wait", 0.5))
    for text, wait in req.get("send", []):
        if closed:
            break
        ch.send(text)
        drain(wait)
    t.close()
    return {"ok": True, "output": out.decode("latin-1"), "closed": closed, "hostkey": hostkey}


def netmiko_session(req):
    from netmiko import ConnectHandler
    from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

    params = dict(device_type=req["device_type"], host=req["host"], port=req["port"], username=req["username"],
                  password=req["password"], secret=req.get("secret", ""), timeout=req.get("timeout", 10),
                  conn_timeout=req.get("timeout", 10), auth_timeout=req.get("timeout", 10),
                  banner_timeout=req.get("timeout", 10), fast_cli=False, use_keys=False, allow_agent=False,
                  ssh_config_file=None)
    try:
        conn = ConnectHandler(**params)
        if req.get("enable"):
            conn.enable()
        outputs = {}
        for cmd in req.get("commands", []):
            outputs[cmd] = conn.send_command(cmd, read_timeout=req.get("timeout", 10) * 3)
        conn.disconnect()
        return {"ok": True, "outputs": outputs, "prompt": conn.base_prompt}
    except NetmikoAuthenticationException as e:
        return {"ok": False, "kind": "auth", "error": str(e)}
    except (NetmikoTimeoutException, socket.timeout) as e:
        return {"ok": False, "kind": "timeout", "error": str(e)}
    except Exception as e:  # noqa: BLE001 — report anything else to the test
        return {"ok": False, "kind": type(e).__name__, "error": str(e)}


def main():
    req = json.load(sys.stdin)
    signal.alarm(int(req.get("timeout", 10) * 6) + 10)  # never outlive a test, whatever hangs
    try:
        res = raw(req) if req.get("mode") == "raw" else netmiko_session(req)
    except (socket.timeout, TimeoutError, EOFError, paramiko.SSHException, OSError) as e:
        res = {"ok": False, "kind": "timeout" if "time" in str(e).lower() or isinstance(e, (socket.timeout, TimeoutError)) else type(e).__name__, "error": str(e)}
    json.dump(res, sys.stdout)
    sys.stdout.flush()
    os._exit(0)  # a thread may still wait on a hung device


if __name__ == "__main__":
    main()
