"""Where a job finds its Services: the app's, the installed ones, or ones built from the environment."""
from __future__ import annotations

from helpline import services as runtime
from helpline.services import current_services, use_services


def test_inside_the_app_jobs_use_the_apps_services(app, line):
    with app.app_context():
        assert current_services() is line


def test_installed_services_last_only_for_their_block(line, monkeypatch):
    monkeypatch.setattr(runtime, "_installed", None)
    with use_services(line) as installed:
        assert installed is line and current_services() is line
    assert runtime._installed is None


def test_a_worker_process_builds_its_services_once_from_the_environment(monkeypatch, tmp_path, redis_url):
    monkeypatch.setattr(runtime, "_installed", None)
    monkeypatch.setattr(runtime, "_built", None)
    monkeypatch.setenv("HELPLINE_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'worker.sqlite3'}")
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("TWILIO_API_BASE_URL", "http://127.0.0.1:9/")

    first = current_services()
    try:
        assert first is current_services()
        assert first.settings.database_url.endswith("worker.sqlite3")
        assert first.settings.twilio_api_base_url == "http://127.0.0.1:9"
    finally:
        first.db.dispose()
