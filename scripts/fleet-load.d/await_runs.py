"""Wakes each client daemon's job and waits for that run, over the daemons' control sockets.

Used by scripts/fleet-load. It sends each daemon the control requests of `zrepl signal wakeup
JOB` and of `zrepl status --mode raw` (the same requests and the same status document), from one
process: a `zrepl signal` or `zrepl status` per client is a JVM start each (about 0.8 s of CPU),
and 32 of them at once starve the sink on the CPUs it shares with the clients, which is what the
fleet test must not measure.

  python3 await_runs.py TIMEOUT JOB=SOCKET...

First it reads every job's `lastRunAt`, then wakes all jobs one right after the other, then
prints "woken". A job's run is done when its `lastRunAt` differs from that first value and its
state is no longer `running`. Prints one line per job as it is done, in the order they finish:

  JOB ok SECONDS
  JOB failed SECONDS ERROR; ERROR...
  JOB timeout SECONDS          (not done within TIMEOUT seconds of "woken")
  JOB unreachable SECONDS ...  (the control socket did not answer; the daemon died?)

SECONDS counts from "woken". Exits 0 when every run ended ok, 1 otherwise.
"""
import json
import socket
import sys
import time


def status(path):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    try:
        s.connect(path)
        s.sendall(b'{"command":"status","args":[]}\n')
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(1 << 16)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    answer = json.loads(data)
    if not answer.get("ok"):
        raise RuntimeError("status refused: %s" % answer.get("error"))
    return answer["body"]


def wakeup(path, name):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    try:
        s.connect(path)
        s.sendall(json.dumps({"command": "signal", "args": ["wakeup", name]}).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(1 << 16)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    answer = json.loads(data)
    if not answer.get("ok"):
        raise RuntimeError("signal wakeup %s refused: %s" % (name, answer.get("error")))


def job_of(path, name):
    for j in status(path)["jobs"]:
        if j["name"] == name:
            return j
    raise RuntimeError("no job %s at %s" % (name, path))


def main(argv):
    timeout = float(argv[1])
    jobs = dict(a.split("=", 1) for a in argv[2:])
    before = {}
    for name, path in jobs.items():
        before[name] = job_of(path, name).get("lastRunAt", "")
    for name, path in jobs.items():
        wakeup(path, name)
    print("woken", flush=True)
    t0 = time.monotonic()
    pending = dict(jobs)
    failures = 0
    unreachable = {}
    while pending:
        now = time.monotonic() - t0
        for name, path in list(pending.items()):
            try:
                j = job_of(path, name)
                unreachable.pop(name, None)
            except (OSError, ValueError, RuntimeError) as e:
                unreachable[name] = unreachable.get(name, 0) + 1
                if unreachable[name] >= 20:
                    print("%s unreachable %.1f %s" % (name, now, e), flush=True)
                    failures += 1
                    del pending[name]
                continue
            if j.get("lastRunAt", "") != before[name] and j.get("state") != "running":
                errors = j.get("errors") or []
                if errors:
                    failures += 1
                    print("%s failed %.1f %s" % (name, now, "; ".join(errors).replace("\n", " ")), flush=True)
                else:
                    print("%s ok %.1f" % (name, now), flush=True)
                del pending[name]
            elif now > timeout:
                failures += 1
                print("%s timeout %.1f" % (name, now), flush=True)
                del pending[name]
        if pending:
            time.sleep(0.5)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
