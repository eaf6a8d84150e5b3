"""Run the fake Twilio REST API on its own: ``python -m helpline.devtools.fake_twilio --port 8181``.

Then start the app and worker with TWILIO_API_BASE_URL=http://127.0.0.1:8181 and the same
TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN. With --callbacks it posts signed status callbacks to each
message's StatusCallback URL (PUBLIC_BASE_URL must then point at the running web process).
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import threading

from helpline.devtools.fake_twilio.server import FakeTwilio


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m helpline.devtools.fake_twilio", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8181)
    parser.add_argument("--account-sid", default=os.environ.get("TWILIO_ACCOUNT_SID", "AC" + "0" * 32))
    parser.add_argument("--auth-token", default=os.environ.get("TWILIO_AUTH_TOKEN", "dev-auth-token"))
    parser.add_argument("--callbacks", action="store_true", help="send signed message status callbacks")
    parser.add_argument("--callback-delay", type=float, default=1.0, help="seconds between status callbacks")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s fake-twilio %(levelname)s %(message)s")
    fake = FakeTwilio(args.account_sid, args.auth_token, host=args.host, port=args.port,
                      send_status_callbacks=args.callbacks, callback_delay=args.callback_delay)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    fake.start()
    logging.info("fake Twilio API at %s (account %s)", fake.base_url, args.account_sid)
    stop.wait()
    fake.stop()


if __name__ == "__main__":
    main()
