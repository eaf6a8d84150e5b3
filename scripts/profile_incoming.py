"""In-process cost of POST /voice/incoming: the bench's seed and signed calls, Flask's test client.

    python scripts/profile_incoming.py [--requests 2000] [--profile]

Run from the checkout to measure (it imports ``helpline`` from the current directory), on a fresh
SQLite file (or DATABASE_URL=postgresql://... of an empty database). Prints ms per request over
the first half of the requests after 200 of warm-up; ``--profile`` prints cProfile's cumulative
and tottime tables for the second half.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, os.getcwd())

from scripts.bench_incoming import ACCOUNT_SID, AUTH_TOKEN, LINE, seed_line  # noqa: E402
from helpline.telephony.signatures import sign  # noqa: E402

BASE = "http://localhost"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tempfile.mkdtemp()) / 'profile.sqlite3'}"
    os.environ.update(DATABASE_URL=url, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TWILIO_ACCOUNT_SID=ACCOUNT_SID,
                      TWILIO_PHONE_NUMBER=LINE, PUBLIC_BASE_URL=BASE, SECRET_KEY="bench",
                      HELPLINE_ENV="production", REDIS_URL="redis://127.0.0.1:1/0")
    os.environ.pop("HELPLINE_SIMULATED_CLOCK_FILE", None)
    subprocess.run([sys.executable, "-m", "helpline.cli", "db", "upgrade"], check=True, capture_output=True)
    seed_line(url)
    from helpline import create_app

    client = create_app().test_client()
    signed = []
    for index in range(args.requests + 200):
        params = {"CallSid": f"CA{index:032d}", "AccountSid": ACCOUNT_SID, "From": f"+35850{index:07d}",
                  "To": LINE, "CallStatus": "ringing", "Direction": "inbound"}
        signed.append((urlencode(params), sign(AUTH_TOKEN, BASE + "/voice/incoming", params)))

    def post_all(batch):
        for body, signature in batch:
            response = client.post("/voice/incoming", data=body, headers={
                "X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"})
            assert response.status_code == 200 and b"<Response>" in response.data, response.data

    half = args.requests // 2
    post_all(signed[:200])
    started = time.perf_counter()
    post_all(signed[200:200 + half])
    print(f"per request {(time.perf_counter() - started) / half * 1000:.3f} ms")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        post_all(signed[200 + half:])
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
