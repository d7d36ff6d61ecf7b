#!/usr/bin/env python3
"""Times `docker-compose up` (v1.29, or `docker compose` when given --v2) to the first tick of the last VM.

Usage: python3 scripts/compose-startup.py [RUNS]   (from the project root; needs the logical-clocks:latest image)
Prints, per run, the time from `up` to: logs-init started, the VM containers started, each VM's gRPC server
serving (its log line), and the first tick of the last VM (from machine_<id>.log); then the median.
"""
import datetime, glob, json, os, shutil, statistics, subprocess, sys, tempfile, time

COMPOSE = ["docker", "compose"] if "--v2" in sys.argv else ["docker-compose"]
RUNS = int(next((a for a in sys.argv[1:] if a.isdigit()), "3"))


def ts(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc).timestamp()


def docker_time(text):  # 2026-11-27T20:30:51.153142389Z -> seconds
    return ts(text[:26])


def once(src):
    d = tempfile.mkdtemp()
    shutil.copy(os.path.join(src, "docker-compose.yml"), d)
    env = dict(os.environ, DURATION="6", TICK_RATE="5")
    t0 = time.time()
    subprocess.run(COMPOSE + ["up", "-d"], cwd=d, env=env, check=True, capture_output=True)
    logs = [os.path.join(d, "logs", "machine_%d.log" % i) for i in range(3)]
    while not all(os.path.exists(f) and open(f).read().count("\n") >= 2 for f in logs):
        time.sleep(0.05)
    first_ticks = [ts(open(f).read().split("\n")[1].split()[0][3:-1]) - t0 for f in logs]
    started = {}
    for cid in subprocess.run(COMPOSE + ["ps", "-q"], cwd=d, capture_output=True, text=True).stdout.split():
        info = json.loads(subprocess.run(["docker", "inspect", cid], capture_output=True, text=True).stdout)[0]
        started[info["Name"].rsplit("_", 2)[-2]] = docker_time(info["State"]["StartedAt"]) - t0
    serving = []
    out = subprocess.run(COMPOSE + ["logs", "--no-color"], cwd=d, capture_output=True, text=True).stdout
    day = datetime.datetime.fromtimestamp(t0, datetime.timezone.utc).strftime("%Y-%m-%d")
    for line in out.splitlines():
        if "serving gRPC" in line:
            clock = line.split("|", 1)[1].split()[0]
            serving.append(ts(day + "T" + clock) - t0)
    subprocess.run(COMPOSE + ["down", "-v"], cwd=d, capture_output=True)
    subprocess.run(["docker", "run", "--rm", "--user", "0:0", "-v", d + ":/d", "--entrypoint", "rm",
                    "logical-clocks:latest", "-rf", "/d/logs"], capture_output=True)
    shutil.rmtree(d, ignore_errors=True)
    return started, serving, max(first_ticks)


src = os.getcwd()
totals = []
for i in range(RUNS):
    started, serving, last = once(src)
    vms = [v for k, v in started.items() if k.startswith("vm")]
    print("run %d: logs-init started +%.2f s; VM containers started +%.2f..%.2f s; servers serving +%.2f..%.2f s;"
          " first tick of the last VM +%.2f s" % (i + 1, started.get("logs-init", float("nan")), min(vms), max(vms),
                                                  min(serving), max(serving), last))
    totals.append(last)
print("median: docker-compose up -> first tick of the last VM: %.2f s over %d runs" % (statistics.median(totals), RUNS))
