#!/usr/bin/env python3
"""Times `docker-compose up` (v1.29, or `docker compose` when given --v2) to the first tick of the last VM.

Usage: python3 scripts/compose-startup.py [RUNS] [--v2] [--from-scratch]
       (from the project root; needs the logical-clocks:latest image; RUNS defaults to 5)

Each run copies docker-compose.yml into a fresh folder (no ./logs yet, as on a first `up`), creates the
network and containers with `create`, then times `up -d` (image built, containers created: the
issue's measure) until every VM has written its first tick to machine_<id>.log. --from-scratch times
`up -d` with the creation included instead. Per run it prints the time from `up` to: the containers
started (docker inspect), logs-init finished, each VM's gRPC server serving and its START (the VM's
logs), the first tick of the last VM; then the median of each over the runs.
"""
import datetime, json, os, shutil, statistics, subprocess, sys, tempfile, time

COMPOSE = ["docker", "compose"] if "--v2" in sys.argv else ["docker-compose"]
RUNS = int(next((a for a in sys.argv[1:] if a.isdigit()), "5"))
FROM_SCRATCH = "--from-scratch" in sys.argv
VMS = 3


def ts(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc).timestamp()


def docker_time(text):  # 2026-11-27T20:30:51.153142389Z -> seconds
    return ts(text[:26])


def first_lines(path, n):
    try:
        with open(path) as f:
            lines = f.read().split("\n")
    except FileNotFoundError:
        return None
    return lines[:n] if len(lines) > n else None


def once(src):
    d = tempfile.mkdtemp(prefix="lcstart")
    shutil.copy(os.path.join(src, "docker-compose.yml"), d)
    env = dict(os.environ, DURATION="6", TICK_RATE="5")
    try:
        if not FROM_SCRATCH:
            # `create`, not `up --no-start`: compose v1 waits there for logs-init to complete when a VM
            # depends_on it (service_completed_successfully), which never happens without a start.
            subprocess.run(COMPOSE + ["create", "--no-build"], cwd=d, env=env, check=True, capture_output=True)
        t0 = time.time()
        subprocess.run(COMPOSE + ["up", "-d", "--no-build"], cwd=d, env=env, check=True, capture_output=True)
        logs = [os.path.join(d, "logs", "machine_%d.log" % i) for i in range(VMS)]
        deadline = time.time() + 120
        while not all(first_lines(f, 2) for f in logs):
            if time.time() > deadline:
                raise RuntimeError("no first tick from every VM within 120 s")
            time.sleep(0.02)
        first_ticks = [ts(first_lines(f, 2)[1].split()[0][3:-1]) - t0 for f in logs]
        starts = [ts(first_lines(f, 2)[0].split()[0][3:-1]) - t0 for f in logs]
        started, finished = {}, {}
        ids = subprocess.run(COMPOSE + ["ps", "-q"], cwd=d, env=env, capture_output=True, text=True).stdout.split()
        for cid in ids:
            info = json.loads(subprocess.run(["docker", "inspect", cid], capture_output=True, text=True).stdout)[0]
            service = info["Config"]["Labels"]["com.docker.compose.service"]
            started[service] = docker_time(info["State"]["StartedAt"]) - t0
            if not info["State"]["Running"] and not info["State"]["FinishedAt"].startswith("0001"):
                finished[service] = docker_time(info["State"]["FinishedAt"]) - t0
        serving = []
        out = subprocess.run(COMPOSE + ["logs", "--no-color"], cwd=d, env=env, capture_output=True, text=True).stdout
        day = datetime.datetime.fromtimestamp(t0, datetime.timezone.utc).strftime("%Y-%m-%d")
        for line in out.splitlines():
            if "serving gRPC" in line:
                clock = line.split("|", 1)[1].split()[0]
                at = ts(day + "T" + clock) - t0
                serving.append(at + 86400 if at < -43200 else at)  # a run across midnight (UTC)
        return {
            "containers started": (min(v for k, v in started.items() if k.startswith("vm")),
                                   max(v for k, v in started.items() if k.startswith("vm"))),
            "logs-init finished": finished.get("logs-init", float("nan")),
            "servers serving": (min(serving), max(serving)),
            "START logged": (min(starts), max(starts)),
            "first tick of the last VM": max(first_ticks),
        }
    finally:
        subprocess.run(COMPOSE + ["down", "-v", "--remove-orphans"], cwd=d, env=env, capture_output=True)
        subprocess.run(["docker", "run", "--rm", "--user", "0:0", "-v", d + ":/d", "--entrypoint", "rm",
                        "logical-clocks:latest", "-rf", "/d/logs"], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


def show(v):
    return "+%.2f..%.2f s" % v if isinstance(v, tuple) else "+%.2f s" % v


src = os.getcwd()
image = subprocess.run(["docker", "image", "inspect", "-f", "{{.Id}} {{.Created}}", "logical-clocks:latest"],
                       capture_output=True, text=True).stdout.strip()
what = "up -d (creation included)" if FROM_SCRATCH else "up -d (containers created)"
print("%s, image logical-clocks:latest %s, %d runs" % (" ".join(COMPOSE) + " " + what, image, RUNS))
runs = []
for i in range(RUNS):
    r = once(src)
    runs.append(r)
    print("run %d: " % (i + 1) + "; ".join("%s %s" % (k, show(v)) for k, v in r.items()))
medians = {}
for k in runs[0]:
    if isinstance(runs[0][k], tuple):
        medians[k] = tuple(statistics.median(r[k][j] for r in runs) for j in range(2))
    else:
        medians[k] = statistics.median(r[k] for r in runs)
print("medians: " + "; ".join("%s %s" % (k, show(v)) for k, v in medians.items()))
print("median: %s %s -> first tick of the last VM: %.2f s over %d runs (runs: %s)"
      % (" ".join(COMPOSE), what, medians["first tick of the last VM"], RUNS,
         ", ".join("%.2f" % r["first tick of the last VM"] for r in runs)))
