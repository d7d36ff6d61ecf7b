#!/usr/bin/env python3
"""How a VM's memory at resume grows with its log.

For each duration, runs two real `node` processes on loopback at a high rate until they finish (each log
then holds rate x duration events), then restarts VM 0 on its finished log with a small heap and
AFTER_RUN=wait: it reads its log and journal back (the resume path) and idles. Prints the log's size, and
whether it resumed in the given heap and the heap it uses once resumed (after a full GC, from jcmd).

    python3 scripts/resume-memory.py [--rate 2000] [--durations 10,40,120] [--xmx 32m]

Needs target/logical-clocks.jar (./mvnw -q package -DskipTests), or LC_JAR=<jar>. Loopback only; bounded in time.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

JAR = os.environ.get("LC_JAR") or os.path.join(os.path.dirname(__file__), "..", "target", "logical-clocks.jar")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def node(env, log_dir, xmx=None, out=None):
    cmd = ["java", "-XX:+ExitOnOutOfMemoryError"]
    if xmx:
        cmd.append("-Xmx" + xmx)
    cmd += ["-jar", JAR, "node"]
    full = dict(os.environ)
    full.update(env)
    full.update({"LOG_DIR": log_dir, "METRICS_PORT": "0"})
    return subprocess.Popen(cmd, env=full, stdout=out, stderr=subprocess.STDOUT)


def heap_used_kib(pid):
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60)
    m = re.search(r"used (\d+)K", info.stdout)
    return int(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=int, default=2000)
    ap.add_argument("--durations", default="10,40,120")
    ap.add_argument("--xmx", default="32m")
    a = ap.parse_args()
    print(f"| run at {a.rate} ticks/s | log of VM 0 | lines | resumed with -Xmx{a.xmx} | heap used once resumed |")
    print("|---|---|---|---|---|")
    for d in [int(x) for x in a.durations.split(",")]:
        work = tempfile.mkdtemp(prefix="resume-mem-")
        try:
            ports = [free_port(), free_port()]
            peers = ",".join(f"127.0.0.1:{p}" for p in ports)
            procs = [
                node({"ID": str(i), "PEERS": peers, "PORT": str(ports[i]), "TICK_RATE": str(a.rate),
                      "DURATION": str(d), "SEED": "1"}, work, out=subprocess.DEVNULL)
                for i in range(2)
            ]
            for p in procs:
                p.wait(timeout=d + 120)
            log = os.path.join(work, "machine_0.log")
            size = os.path.getsize(log)
            with open(log, "rb") as f:
                lines = sum(1 for _ in f)
            out_path = os.path.join(work, "restart.out")
            with open(out_path, "w") as out:
                p = node({"ID": "0", "PEERS": peers, "PORT": str(ports[0]), "TICK_RATE": str(a.rate),
                          "DURATION": str(d), "SEED": "1", "AFTER_RUN": "wait"}, work, xmx=a.xmx, out=out)
                resumed = False
                deadline = time.time() + 120
                while time.time() < deadline and p.poll() is None:
                    if "idling" in open(out_path).read():
                        resumed = True
                        break
                    time.sleep(0.2)
                used = heap_used_kib(p.pid) if resumed else None
                p.terminate()
                p.wait(timeout=30)
            print(f"| {d} s | {size / 1e6:.1f} MB | {lines:,} | {'yes' if resumed else 'no (exit ' + str(p.returncode) + ')'} "
                  f"| {'%.1f MiB' % (used / 1024) if used else '-'} |")
            sys.stdout.flush()
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
