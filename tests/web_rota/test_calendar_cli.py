"""An operator makes or stops someone's calendar link from the command line."""
from __future__ import annotations

from helpline.cli import calendar_url


def test_the_cli_prints_a_working_link_once_and_can_stop_it(app, make_staff):
    aino = make_staff("Aino Aalto")
    runner = app.test_cli_runner()
    result = runner.invoke(calendar_url, [str(aino.id)])
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith("https://helpline.example.org/calendar/cal_") and url.endswith(".ics")
    path = url.removeprefix("https://helpline.example.org")
    assert app.test_client().get(path).status_code == 200
    stopped = runner.invoke(calendar_url, [str(aino.id), "--revoke"])
    assert stopped.output.strip() == "stopped 1 link of Aino Aalto"
    assert app.test_client().get(path).status_code == 404


def test_the_cli_refuses_a_rota_link_for_staff_and_an_unknown_id(app, make_staff):
    aino = make_staff("Aino Aalto")
    runner = app.test_cli_runner()
    refused = runner.invoke(calendar_url, [str(aino.id), "--rota"])
    assert refused.exit_code != 0 and "Aino Aalto is not a supervisor" in refused.output
    unknown = runner.invoke(calendar_url, ["999"])
    assert unknown.exit_code != 0 and "there is no staff member with id 999" in unknown.output
