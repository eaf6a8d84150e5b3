"""The ``helpline`` command: the Flask CLI of the app plus the line's own commands."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from helpline import migrate as migrations


def _create_app() -> Flask:
    from helpline import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Helpline: the one-number help line (Flask CLI plus the line's own commands)."""


def init_app(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(create_api_token)
    app.cli.add_command(create_user)
    app.cli.add_command(calendar_url)
    app.cli.add_command(sweep_command)
    app.cli.add_command(seed_demo)
    app.cli.add_command(report_command)
    app.cli.add_command(retention_command)


def _services():
    from helpline.services import current_services

    return current_services()


@click.group("db")
def db_group() -> None:
    """Schema migrations (Alembic)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head). Safe to run again."""
    migrations.upgrade(_services().settings.database_url, revision)
    click.echo(f"database at {revision}")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION."""
    migrations.downgrade(_services().settings.database_url, revision)


@db_group.command("check")
def db_check() -> None:
    """Fail when the models and the migrations disagree."""
    migrations.check(_services().settings.database_url)
    click.echo("models and migrations agree")


@click.command("create-api-token")
@click.argument("name")
@click.option("--role", type=click.Choice(["supervisor", "staff"]), default="staff", show_default=True)
@click.option("--staff-id", type=click.IntRange(min=1, max=2**31 - 1), default=None,
              help="The staff member the token belongs to. A staff token closes only their callbacks; "
                   "without one it may only read.")
@with_appcontext  # app.cli is a plain AppGroup under app.test_cli_runner(); FlaskGroup pushes one anyway
def create_api_token(name: str, role: str, staff_id: int | None) -> None:
    """Create a bearer token for the supervisor API; the token is the last line printed."""
    from helpline.names import UnsafeName, check_name
    from helpline.tokens import TokenRefused, create_token

    line = _services()
    try:
        check_name(name, "a token's name")
        with line.db.session() as session:
            token = create_token(session, name, role, line.clock.now(), staff_id=staff_id)
    except (TokenRefused, UnsafeName) as error:
        raise click.ClickException(str(error)) from None
    if role == "staff" and staff_id is None:
        click.echo("This staff token belongs to nobody, so it may only read; give --staff-id ID to let it close "
                   "that person's callbacks.", err=True)
    owner = f" (staff member #{staff_id})" if staff_id is not None else ""
    click.echo(f"Created a {role} token for {name}{owner}. Store it now; it is not shown again:")
    click.echo(token)


@click.command("create-user")
@click.argument("username")
@click.option("--phone", required=True, help="The person's phone (040 123 4567 or +358...); it links the account "
                                             "to the staff member with that number, who is added when missing.")
@click.option("--name", default=None, help="Their name, needed when the staff member is added.")
@click.option("--role", type=click.Choice(["supervisor", "staff"]), default="supervisor", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of asking.")
@with_appcontext
def create_user(username: str, phone: str, name: str | None, role: str, password_stdin: bool) -> None:
    """Create a sign-in account for the web pages (the first supervisor, say)."""
    from helpline.models import WeakPassword
    from helpline.phones import InvalidPhoneNumber
    from helpline.web.accounts import AccountError, create_account

    if password_stdin:
        import sys

        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = _services()
    try:
        with line.db.session() as session:
            made = create_account(session, username=username, password=password, phone=phone, name=name,
                                  role=role, now=line.clock.now())
    except (AccountError, InvalidPhoneNumber, WeakPassword) as error:
        raise click.ClickException(str(error)) from None
    added = " (added to the staff)" if made.staff_created else ""
    click.echo(f"Created the {role} account {username.strip().lower()!r} for staff member #{made.staff_id}{added}.")


@click.command("calendar-url")
@click.argument("staff_id", type=int)
@click.option("--rota", is_flag=True, help="A feed of the whole rota (for a supervisor) instead of their own shifts.")
@click.option("--revoke", is_flag=True, help="Stop the person's link instead of making a new one.")
@with_appcontext
def calendar_url(staff_id: int, rota: bool, revoke: bool) -> None:
    """Make (and print, once) a private calendar link of STAFF_ID's shifts; a new one stops the old."""
    from flask import current_app, url_for

    from helpline.rota.feeds import create_feed, revoke_feeds
    from helpline.models import FeedScope, Staff

    line = _services()
    scope = (FeedScope.ROTA if rota else FeedScope.OWN).value
    with line.db.session() as session:
        staff = session.get(Staff, staff_id)
        if staff is None:
            raise click.ClickException(f"there is no staff member with id {staff_id}")
        if revoke:
            stopped = revoke_feeds(session, staff.id, scope, line.clock.now())
            click.echo(f"stopped {stopped} link{'' if stopped == 1 else 's'} of {staff.name}")
            return
        try:
            token = create_feed(session, staff, scope, line.clock.now())
        except PermissionError as error:
            raise click.ClickException(f"{staff.name} is not a supervisor: {error}") from None
    base = line.settings.public_base_url or "http://localhost:5000"
    with current_app.test_request_context(base_url=base):
        click.echo(url_for("feeds.feed", token=token, _external=True))
    if not line.settings.public_base_url:
        click.echo("(PUBLIC_BASE_URL is not set: put the line's public address in place of http://localhost:5000)",
                   err=True)


@click.command("sweep")
@click.option("--every", type=click.FloatRange(min=1), default=None, metavar="SECONDS",
              help="Sweep again every SECONDS until stopped (SIGTERM/Ctrl-C); without it, sweep once.")
@with_appcontext
def sweep_command(every: float | None) -> None:
    """Re-find due work that Redis lost (assignments, reminders, announcements) and queue it."""
    import logging
    import signal
    import threading

    try:
        from helpline.queue.sweep import METRICS_EVERY, PULSE_EVERY, RETENTION_EVERY, run_sweep
    except ImportError as error:
        raise click.ClickException(f"the sweep is not available: {error}") from error
    log = logging.getLogger("helpline.sweep")
    line = _services()
    stop = threading.Event()
    # Stop between sweeps, never half-way through one: the sweep's transaction commits or not at all.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    while True:
        try:
            run_sweep(line, retention_every=RETENTION_EVERY, pulse_every=PULSE_EVERY, metrics_every=METRICS_EVERY)  # logs what it queued
        except Exception:  # noqa: BLE001 - one failed sweep (DB or Redis down) must not end the loop
            if every is None:
                raise
            log.exception("sweep failed; trying again in %s s", every)
        if every is None or stop.wait(every):
            return


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Create the demo line (idempotent): Mon-Fri 09-15, four staff, this week's shifts; print a token."""
    from helpline.demo.seed import seed_demo_line

    line = _services()
    if not line.settings.is_development:
        # The demo adds made-up staff with a published password (helpline-demo) and a supervisor
        # token: on a real line that is a way in, and fake people on the rota.
        raise click.ClickException(
            f"seed-demo only runs with HELPLINE_ENV=development or testing, not {line.settings.env!r}: "
            "it adds made-up staff, sign-ins with a published password and a supervisor token. Nothing was changed."
        )
    with line.db.session() as session:
        seeded = seed_demo_line(session, line.settings, line.clock.now())
    click.echo(f"Demo line ready for the week of {seeded.week_start} ({seeded.added} rows added).")
    click.echo("Supervisor API token (earlier demo tokens are revoked):")
    click.echo(seeded.token)


@click.command("report")
@click.option("--month", required=True, metavar="YYYY-MM", help="The month, e.g. 2027-01 (local time).")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Where to write the HTML (default: instance/reports/helpline-report-YYYY-MM.html).")
@with_appcontext
def report_command(month: str, out: str | None) -> None:
    """Write the monthly report (HTML that prints on A4; no caller numbers)."""
    from helpline.metrics.report import MonthError, write_month_report

    try:
        path = write_month_report(_services(), month, out)
    except MonthError as error:
        raise click.BadParameter(str(error), param_hint="--month") from None
    click.echo(f"Report for {month} written to {path}")


@click.command("retention")
@with_appcontext
def retention_command() -> None:
    """Delete recordings at Twilio and mask caller numbers RETENTION_DAYS after closing (run daily)."""
    from helpline.queue.retention import purge_expired

    click.echo(f"retention: {purge_expired(_services())}")


@main.command("demo", with_appcontext=False)
@click.option("--port", type=int, default=5000, show_default=True, help="Web port (0: any free port).")
@click.option("--no-wait", is_flag=True, help="Play the simulated day, then stop everything and exit.")
@click.option("--speed", type=click.FloatRange(min=1), default=60.0, show_default=True,
              help="How fast the simulated clock runs after the day's calls (60: a minute a second).")
@click.option("--database-url", default=None, metavar="URL",
              help="The demo's own database, emptied at every run (default: instance/demo.sqlite3). "
                   "Never DATABASE_URL's.")
def demo(port: int, no_wait: bool, speed: float, database_url: str | None) -> None:
    """Start the whole line (Redis, web, worker, sweeper), seed a demo rota and play a day of calls.

    It plays on a database of its own, emptied at every run, so a rerun reports the same day."""
    from helpline.demo.run import run_demo

    raise SystemExit(run_demo(port=port, wait=not no_wait, speed=speed, database_url=database_url))


if __name__ == "__main__":
    main()
