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


def _services():
    from helpline import services

    return services()


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
@with_appcontext  # app.cli is a plain AppGroup under app.test_cli_runner(); FlaskGroup pushes one anyway
def create_api_token(name: str, role: str) -> None:
    """Create a bearer token for the supervisor API; the token is the last line printed."""
    from helpline.tokens import create_token

    line = _services()
    with line.db.session() as session:
        token = create_token(session, name, role, line.clock.now())
    click.echo(f"Created a {role} token for {name}. Store it now; it is not shown again:")
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


if __name__ == "__main__":
    main()
