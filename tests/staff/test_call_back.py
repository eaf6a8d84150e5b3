"""CALL <ref>: the line rings the staff member, then the caller, showing the line's number."""
from __future__ import annotations

from sqlalchemy import select

from helpline.models import CallbackCall
from helpline.queue.sweep import run_sweep
from helpline.dispatch import QUEUE_NAME

from .conftest import CALLER

LINE = "+358931234567"


def _attempts(line, ref: int) -> list[CallbackCall]:
    with line.db.sessionmaker() as session:
        return list(session.scalars(select(CallbackCall).where(CallbackCall.callback_id == ref)
                                    .order_by(CallbackCall.attempt_number)))


def _call(text_line, run_worker, staff_legs, staff, words: str):
    """Text CALL, let the worker place the call, and return the staff leg Twilio was asked for."""
    before = len(staff_legs())
    text_line(staff, words)
    run_worker()
    legs = staff_legs()
    assert len(legs) == before + 1, "the line placed no call"
    return legs[-1]


def _failed_attempt(text_line, run_worker, staff_legs, staff, ref: int, status: str = "no-answer", word: str = "SOITA"):
    leg = _call(text_line, run_worker, staff_legs, staff, f"{word} {ref}")
    after = leg.dial_ends(leg.press(leg.answer(), "1"), status)
    leg.hang_up()
    return leg, after


def test_call_rings_the_staff_member_then_bridges_them_to_the_caller_from_the_line_number(
        team, make_callback, text_line, run_worker, staff_legs, texts_to, stored, line, clock):
    ref = make_callback(assignee=team.aino)
    leg = _call(text_line, run_worker, staff_legs, team.aino, f"SOITA {ref}")

    assert texts_to(team.aino.phone) == [
        f"Linja soittaa sinulle nyt ja yhdistää soittajaan #{ref}. Hän näkee linjan numeron."]
    assert (leg.call["to"], leg.call["from"]) == (team.aino.phone, LINE)
    assert leg.request["Url"] == f"https://helpline.example.org/callbacks-out/bridge?callback={ref}&attempt=1"
    assert leg.request["StatusCallback"] == f"https://helpline.example.org/callbacks-out/status?callback={ref}&attempt=1"

    screen = leg.answer()
    assert leg.heard[-2] == f"Auttavan puhelimen takaisinsoitto, soittopyyntö numero {ref}. Paina 1, niin yhdistämme sinut soittajaan."
    bridge = leg.press(screen, "1")
    dial = bridge.find("Dial")
    assert leg.heard[-1] == f"Soitetaan soittajalle, soittopyyntö numero {ref}. Hän näkee linjan numeron."
    assert dial.get("callerId") == LINE
    assert [number.text for number in dial.iter("Number")] == [CALLER]
    assert all(team.aino.phone not in document for document in leg.documents)  # her number is never shown

    clock.advance(minutes=4)
    after = leg.dial_ends(bridge, "completed", seconds=240)
    assert leg.heard[-1] == f"Puhelu päättyi. Kun asia on hoidettu, lähetä tekstiviesti VALMIS {ref}."
    assert after.find("Hangup") is not None
    leg.hang_up(seconds=262)

    callback = stored.callback(ref)
    assert (callback.status, callback.callback_attempts) == ("acknowledged", 0)  # open until she sends DONE
    [attempt] = _attempts(line, ref)
    assert (attempt.result, attempt.conversation_seconds, attempt.staff_leg_seconds, attempt.staff_call_sid) == (
        "answered", 240, 262, leg.call["sid"])
    [logged] = stored.events(ref, "callback_attempt")
    assert (logged.staff_id, logged.detail["result"], logged.detail["duration"], logged.detail["counted"]) == (
        team.aino.id, "answered", 240, False)


def test_three_failed_attempts_close_the_callback_as_unreachable_and_text_the_caller_the_opening_hours(
        team, make_callback, text_line, run_worker, staff_legs, texts_to, stored, office_hours, clock):
    office_hours()  # Mon-Fri 9-15
    ref = make_callback(assignee=team.aino)
    for count, status in ((1, "no-answer"), (2, "busy")):
        leg, _ = _failed_attempt(text_line, run_worker, staff_legs, team.aino, ref, status)
        assert leg.heard[-1] == f"Soittaja ei vastannut. Yrityksiä nyt {count}, enintään 3. Soittopyyntö pysyy auki."
        callback = stored.callback(ref)
        assert (callback.status, callback.callback_attempts) == ("acknowledged", count)
        clock.advance(hours=1)

    leg, _ = _failed_attempt(text_line, run_worker, staff_legs, team.aino, ref, "completed")  # 0 s: not picked up
    assert leg.heard[-1] == ("Soittaja ei vastannut 3. kerrallakaan. Soittopyyntö suljettiin tavoittamattomana. "
                             "Soittajalle lähetetään tekstiviesti aukioloajoista.")
    callback = stored.callback(ref)
    assert (callback.status, callback.outcome, callback.callback_attempts) == ("closed", "unreachable", 3)
    assert texts_to(CALLER) == ["Yritimme soittaa sinulle takaisin, mutta emme tavoittaneet sinua. Voit soittaa "
                                "meille uudelleen numeroon 09 31234567, päivystämme ma-pe 9-15."]
    assert texts_to(team.aino.phone)[-1] == (
        f"Soittopyyntö #{ref} suljettu: soittaja ei vastannut 3 kertaan. Hänelle lähti tekstiviesti aukioloajoista.")
    assert [event.detail["failed_attempts"] for event in stored.events(ref, "callback_attempt")] == [1, 2, 3]
    [closed] = stored.events(ref, "closed")
    assert (closed.detail["via"], closed.detail["outcome"], closed.staff_id) == ("call-back", "unreachable",
                                                                                  team.aino.id)


def test_the_last_sms_never_goes_to_a_landline(team, make_callback, text_line, run_worker, staff_legs, texts_to,
                                               stored):
    landline = "+358912345678"
    ref = make_callback(landline, assignee=team.carol, language="en")
    for _ in range(3):
        _failed_attempt(text_line, run_worker, staff_legs, team.carol, ref, word="CALL")
    assert stored.callback(ref).outcome == "unreachable"
    assert texts_to(landline) == []
    assert texts_to(team.carol.phone)[-1] == (
        f"Callback #{ref} closed: the caller did not answer 3 times. Their number cannot get an SMS.")


def test_the_last_sms_never_goes_to_a_caller_who_said_stop(team, make_callback, text_line, run_worker, staff_legs,
                                                          texts_to):
    ref = make_callback(assignee=team.aino)
    text_line(CALLER, "STOP")
    for _ in range(3):
        _failed_attempt(text_line, run_worker, staff_legs, team.aino, ref)
    assert texts_to(CALLER) == []


def test_a_voicemail_box_that_answers_the_staff_phone_never_reaches_the_caller(
        team, make_callback, text_line, run_worker, staff_legs, stored, line):
    ref = make_callback(assignee=team.aino)
    leg = _call(text_line, run_worker, staff_legs, team.aino, f"CALL {ref}")
    screen = leg.answer()
    assert screen.find("Dial") is None  # nothing is dialled until 1 is pressed
    leg.hang_up(seconds=25)  # the voicemail box listened to the end and hung up
    leg2 = _call(text_line, run_worker, staff_legs, team.aino, f"CALL {ref}")
    declined = leg2.press(leg2.answer(), "9")
    assert declined.find("Dial") is None and declined.find("Hangup") is not None

    assert [attempt.result for attempt in _attempts(line, ref)] == ["staff-declined", "staff-declined"]
    assert stored.callback(ref).callback_attempts == 0


def test_a_staff_phone_that_does_not_answer_counts_for_nothing(team, make_callback, text_line, run_worker,
                                                               staff_legs, stored, line):
    ref = make_callback(assignee=team.aino)
    leg = _call(text_line, run_worker, staff_legs, team.aino, f"CALL {ref}")
    leg.hang_up("no-answer", seconds=0)
    [attempt] = _attempts(line, ref)
    assert (attempt.result, attempt.counted_as_failed) == ("staff-unreachable", False)
    assert stored.callback(ref).callback_attempts == 0


def test_a_staff_member_hanging_up_while_the_caller_rings_counts_for_nothing(
        team, make_callback, text_line, run_worker, staff_legs, stored):
    ref = make_callback(assignee=team.aino)
    leg = _call(text_line, run_worker, staff_legs, team.aino, f"CALL {ref}")
    leg.dial_ends(leg.press(leg.answer(), "1"), "canceled")
    assert stored.callback(ref).callback_attempts == 0


def test_a_second_call_while_one_is_under_way_is_refused(team, make_callback, text_line, run_worker, staff_legs,
                                                         texts_to):
    ref = make_callback(assignee=team.carol, language="en")
    _call(text_line, run_worker, staff_legs, team.carol, f"CALL {ref}")
    text_line(team.carol, f"CALL {ref}")
    run_worker()
    assert len(staff_legs()) == 1
    assert texts_to(team.carol.phone)[-1] == f"A call for #{ref} is already under way."


def test_the_place_call_job_run_twice_rings_the_staff_member_once(team, make_callback, text_line, run_worker,
                                                                  staff_legs, worker_line, line):
    ref = make_callback(assignee=team.aino)
    text_line(team.aino, f"CALL {ref}")
    [attempt] = _attempts(line, ref)
    worker_line.jobs.enqueue_now("helpline.queue.call_jobs.place_call", attempt.id, job_id="again")
    run_worker()
    assert len(staff_legs()) == 1


def test_a_dial_result_delivered_twice_counts_once(team, make_callback, text_line, run_worker, staff_legs, stored):
    ref = make_callback(assignee=team.aino)
    leg = _call(text_line, run_worker, staff_legs, team.aino, f"CALL {ref}")
    bridge = leg.press(leg.answer(), "1")
    first = leg.dial_ends(bridge, "no-answer")
    again = leg.dial_ends(bridge, "no-answer")
    assert stored.callback(ref).callback_attempts == 1
    assert leg.heard[-1] == leg.heard[-2]  # the same words the second time
    assert first.find("Say").text == again.find("Say").text


def test_twilio_refusing_to_place_the_call_is_texted_to_the_staff_member(
        team, make_callback, text_line, run_worker, fake_twilio, texts_to, line, stored):
    ref = make_callback(assignee=team.aino)
    fake_twilio.fail_next("500", endpoint="calls")
    text_line(team.aino, f"SOITA {ref}")
    run_worker()
    assert fake_twilio.calls == []
    assert texts_to(team.aino.phone)[-1] == (
        f"Linja ei saanut soitettua sinulle (#{ref}). Yritä hetken päästä uudelleen: SOITA {ref}.")
    [attempt] = _attempts(line, ref)
    assert attempt.result == "not-placed" and "500" in attempt.error_message
    assert stored.callback(ref).callback_attempts == 0


def test_a_callback_closed_before_the_staff_member_answers_is_not_dialled(
        team, make_callback, text_line, run_worker, staff_legs, line):
    ref = make_callback(assignee=team.aino)
    leg = _call(text_line, run_worker, staff_legs, team.aino, f"SOITA {ref}")
    text_line(team.sanna, f"DONE {ref} the caller rang again and Sanna took it")
    screen = leg.answer()
    assert screen.find("Dial") is None and screen.find("Gather") is None
    assert leg.heard[-1] == f"Soittopyyntö numero {ref} on jo suljettu. Näkemiin."
    assert _attempts(line, ref)[0].result == "closed-before"


def test_the_bridge_webhooks_refuse_unsigned_requests(team, make_callback, client, text_line, run_worker, line):
    ref = make_callback(assignee=team.aino)
    text_line(team.aino, f"CALL {ref}")
    run_worker()
    for path in ("bridge", "bridge-choice", "result", "status"):
        response = client.post(f"/callbacks-out/{path}?callback={ref}&attempt=1", data={"Digits": "1"})
        assert response.status_code == 403
    assert _attempts(line, ref)[0].status == "ringing_staff"


def test_a_call_request_whose_job_redis_lost_is_placed_by_the_sweep_while_fresh(
        team, make_callback, text_line, run_worker, staff_legs, redis, worker_line, clock, texts_to, line):
    first = make_callback("+358401234501", assignee=team.aino)
    second = make_callback("+358401234502", assignee=team.aino)
    text_line(team.aino, f"CALL {first}")
    text_line(team.aino, f"CALL {second}")
    redis.delete(f"rq:queue:{QUEUE_NAME}")  # Redis lost the queued jobs
    clock.advance(minutes=1)
    assert run_sweep(worker_line, reconcile_every=None).calls_due == 2
    run_worker()
    assert [leg.call["to"] for leg in staff_legs()] == [team.aino.phone] * 2

    third = make_callback("+358401234503", assignee=team.aino)
    text_line(team.aino, f"SOITA {third}")
    redis.delete(f"rq:queue:{QUEUE_NAME}")
    clock.advance(minutes=3)  # too late to ring her out of the blue
    assert run_sweep(worker_line, reconcile_every=None).calls_due == 0
    run_worker()
    assert len(staff_legs()) == 2
    assert _attempts(line, third)[0].result == "not-placed"
    # The sweep also re-sent the SOITA reply whose job Redis lost, so the order at Twilio varies.
    assert sum(text.startswith("Linja ei saanut soitettua sinulle") for text in texts_to(team.aino.phone)) == 1
    assert sum(text.startswith("Linja soittaa sinulle nyt") for text in texts_to(team.aino.phone)) == 1


def test_call_without_a_reference_calls_back_the_senders_only_callback(team, make_callback, text_line, run_worker,
                                                                        staff_legs):
    ref = make_callback(assignee=team.bertil, language="sv")
    leg = _call(text_line, run_worker, staff_legs, team.bertil, "ring")
    assert leg.request["Url"].endswith(f"callback={ref}&attempt=1")
    leg.answer()
    assert leg.heard[-2].startswith(f"Hjälplinjens återuppringning, nummer {ref}.")


def test_a_call_back_webhook_naming_a_callback_no_database_could_hold_says_goodbye_without_failing(
        twilio_post, caplog):
    for path in ("/callbacks-out/bridge", "/callbacks-out/bridge-choice", "/callbacks-out/result"):
        response = twilio_post(f"{path}?callback=99999999999999999999999&attempt=1",
                               {"CallSid": "CA" + "5" * 32, "Digits": "1", "DialCallDuration": "9" * 30})
        assert response.status_code == 200 and "<Hangup" in response.get_data(as_text=True)
    assert not [record for record in caplog.records if record.exc_info], "the apology answered"
