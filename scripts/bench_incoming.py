"""Load benchmark of POST /voice/incoming under gunicorn, against a fixed-TwiML baseline.

    python scripts/bench_incoming.py [--seconds 10] [--connections 16] [--workers 4] [--database sqlite|URL]

Both apps run under the same gunicorn settings on this machine, one after the other, driven by
wrk (C, so the load generator costs little of the 2 cores). Every request to Helpline is a new
call with its own CallSid and a valid X-Twilio-Signature, pre-computed here and fed to wrk
through a Lua script, so the real path runs: signature check, Call row insert, office hours,
holidays, closures and the rota lookup. Prints throughput and p50/p99 and the ratio to the
baseline measured in the same run (these machines are noisy: only the ratio means much).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from helpline.telephony.signatures import sign  # noqa: E402

AUTH_TOKEN = "bench-auth-token"
ACCOUNT_SID = "AC" + "b" * 32
LINE = "+358931234567"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise SystemExit(f"server at {url} did not start")


def start_gunicorn(app_spec: str, port: int, workers: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--log-level", "warning", app_spec]
    return subprocess.Popen(command, env=env, cwd=REPO, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def lua_script(requests_list: list[tuple[str, str]], path: Path) -> None:
    """wrk cycles through pre-signed (body, signature) pairs; each request is a new call."""
    bodies = ",\n".join(f"{{{json.dumps(body)}, {json.dumps(signature)}}}" for body, signature in requests_list)
    path.write_text(
        "local calls = {\n" + bodies + "\n}\n"
        "local counter = 0\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  local call = calls[(counter % #calls) + 1]\n"
        "  local headers = {}\n"
        '  headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        '  headers["X-Twilio-Signature"] = call[2]\n'
        '  return wrk.format("POST", "/voice/incoming", headers, call[1])\n'
        "end\n"
    )


def signed_calls(public_base: str, count: int, thread_tag: str) -> list[tuple[str, str]]:
    calls = []
    for index in range(count):
        params = {
            "CallSid": f"CA{thread_tag}{index:030d}"[:34],
            "AccountSid": ACCOUNT_SID,
            "From": f"+35850{index % 10_000_000:07d}",
            "To": LINE,
            "CallStatus": "ringing",
            "Direction": "inbound",
        }
        calls.append((urlencode(params), sign(AUTH_TOKEN, public_base + "/voice/incoming", params)))
    return calls


def run_wrk(port: int, seconds: int, connections: int, script: Path | None) -> dict[str, float]:
    command = ["wrk", "--latency", "-t", "2", "-c", str(connections), "-d", f"{seconds}s"]
    if script is not None:
        command += ["-s", str(script)]
    command.append(f"http://127.0.0.1:{port}/voice/incoming")
    if script is None:
        command[1:1] = ["-s", str(POST_SCRIPT)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> dict[str, float]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latencies = {pct: _ms(value, unit) for pct, value, unit in
                 re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)}
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    requests_done = int(re.search(r"(\d+) requests in", output).group(1))
    return {"rps": rps, "p50_ms": latencies["50"], "p99_ms": latencies["99"],
            "non_2xx": int(errors.group(1)) if errors else 0, "requests": requests_done,
            "socket_errors": socket_errors.group(1) if socket_errors else ""}


POST_SCRIPT = Path(tempfile.gettempdir()) / "helpline_bench_post.lua"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers for both apps")
    parser.add_argument("--database", default="sqlite", help="'sqlite' (a fresh file) or a PostgreSQL URL")
    parser.add_argument("--calls", type=int, default=60000, help="distinct pre-signed calls")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    workdir = Path(tempfile.mkdtemp(prefix="helpline-bench-"))
    POST_SCRIPT.write_text('wrk.method = "POST"\nwrk.body = "CallSid=CAx&From=%2B358501234567"\n'
                           'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
    helpline_port, baseline_port = free_port(), free_port()
    database_url = (f"sqlite:///{workdir / 'bench.sqlite3'}" if args.database == "sqlite" else args.database)
    public_base = f"http://127.0.0.1:{helpline_port}"
    env = dict(os.environ, DATABASE_URL=database_url, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
               TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_PHONE_NUMBER=LINE, PUBLIC_BASE_URL=public_base,
               SECRET_KEY="bench", HELPLINE_ENV="production", REDIS_URL="redis://127.0.0.1:1/0")
    env.pop("HELPLINE_SIMULATED_CLOCK_FILE", None)
    subprocess.run([sys.executable, "-m", "helpline.cli", "db", "upgrade"], env=env, cwd=REPO, check=True,
                   capture_output=True)
    seed_line(database_url)

    script = workdir / "calls.lua"
    lua_script(signed_calls(public_base, args.calls, "b"), script)

    results = {}
    for name, spec, port, lua in (("baseline", "scripts.bench.baseline_app:create_app()", baseline_port, None),
                                  ("helpline", "helpline:create_app()", helpline_port, script)):
        process = start_gunicorn(spec, port, args.workers, env, workdir / f"{name}.log")
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz")
            run_wrk(port, 2, args.connections, lua)  # warm-up: imports, connections, caches
            results[name] = run_wrk(port, args.seconds, args.connections, lua)
        finally:
            stop(process)

    base, ours = results["baseline"], results["helpline"]
    print(f"POST /voice/incoming, gunicorn {args.workers} sync workers, wrk {args.connections} connections, "
          f"{args.seconds}s, database {args.database.split('@')[-1]}")
    print(f"{'':10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, row in results.items():
        print(f"{name:10} {row['rps']:9.0f} {row['p50_ms']:8.1f} {row['p99_ms']:8.1f} {row['non_2xx']:8d}")
    if ours["non_2xx"] or ours["socket_errors"]:
        # A fast error is not a result: refuse to print a ratio built on it.
        raise SystemExit(f"INVALID RUN: {ours['non_2xx']} non-2xx answers, socket errors "
                         f"{ours['socket_errors'] or 'none'} (logs in {workdir})")
    print(f"ratio helpline/baseline throughput: {ours['rps'] / base['rps']:.2f}")
    shutil.rmtree(workdir, ignore_errors=True)


def seed_line(database_url: str) -> None:
    """Today open all day, and two staff on duty, so every call takes the rota path.

    Only today's weekday is open: a line open round the clock every day would make each request
    walk the whole week to find its closing time, which no real line's schedule does."""
    from helpline.db import Database
    from helpline.models import OfficeHoursInterval, Shift, Staff

    database = Database(database_url)
    now = datetime.now(timezone.utc)
    with database.session() as session:
        from zoneinfo import ZoneInfo

        today = now.astimezone(ZoneInfo("Europe/Helsinki")).weekday()
        session.add(OfficeHoursInterval(weekday=today, opens_minute=0, closes_minute=1440))
        for index, name in enumerate(("Aino", "Bertil")):
            staff = Staff(name=name, phone=f"+35840111000{index}", languages=["fi"], role="staff",
                          created_at=now)
            session.add(staff)
            session.flush()
            session.add(Shift(staff_id=staff.id, starts_at=now - timedelta(days=1),
                              ends_at=now + timedelta(days=1), priority=index, created_at=now))
    database.dispose()


if __name__ == "__main__":
    main()
