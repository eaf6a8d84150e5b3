"""Each figure from a hand-built day; the right answers are worked out in the comments."""
from __future__ import annotations

from helpline.metrics import figures as f
from helpline.metrics import map_figures
from helpline.metrics.rows import AttemptRow, EventRow, FeedbackRow, MapViewRow, PulseRow, ServiceRow, StaffRow

from tests.metrics.conftest import at, call, callback, utc

# Monday 2027-01-11, office hours 09-15. Caller A calls before opening (voicemail) and again
# live; B live in the morning and again at night (voicemail); someone withheld hangs up; C hangs
# up at 14:50; D leaves a message at 16:00.
MONDAY = [
    call("2027-01-11 08:30", "voicemail", caller="A"),
    call("2027-01-11 09:10", "answered", caller="B", seconds=300, by=1),
    call("2027-01-11 09:40", "answered", caller="A", seconds=120, by=2),
    call("2027-01-11 10:05", "no_message", caller=None),
    call("2027-01-11 14:50", "no_message", caller="C"),
    call("2027-01-11 16:00", "voicemail", caller="D"),
    call("2027-01-11 23:30", "voicemail", caller="B"),
]


def test_a_supervisor_sees_the_day_s_contacts_by_how_each_call_ended():
    requests = [callback("2027-01-11 08:30"), callback("2027-01-11 14:50", message=False),
                callback("2027-01-11 16:00"), callback("2027-01-11 23:30")]
    figures = f.contacts(MONDAY, requests)
    # 7 calls: answered 09:10 and 09:40; messages at 08:30, 16:00, 23:30; hang-ups 10:05, 14:50.
    assert (figures.calls, figures.answered, figures.voicemail, figures.no_message) == (7, 2, 3, 2)
    assert figures.withheld == 1 and figures.in_progress == 0
    # Inside 09-15: 09:10, 09:40, 10:05, 14:50; the other three came while the line was closed.
    assert (figures.inside_hours, figures.outside_hours) == (4, 3)
    # Numbers A, B, C, D; A and B called twice, so two repeat callers and two repeat calls.
    assert (figures.distinct_callers, figures.repeat_callers, figures.repeat_calls) == (4, 2, 2)
    # Four requests, one (14:50, a hang-up) without a message.
    assert (figures.callback_requests, figures.callback_requests_with_message) == (4, 3)


def test_conversation_lengths_count_live_calls_and_calls_back_that_reached_the_caller():
    attempts = [AttemptRow(1, 10, at("2027-01-12 09:30"), "answered", 1, 240),
                AttemptRow(2, 11, at("2027-01-12 09:40"), "no-answer", 1, None),
                AttemptRow(3, 12, at("2027-01-12 09:50"), "answered", 2, 60)]
    figures = f.conversations(MONDAY, attempts)
    # Live: 300 s and 120 s; median (120+300)/2 = 210, 90th percentile by nearest rank:
    # ceil(0.9*2) = 2nd smallest = 300.
    assert figures.live == f.Durations(count=2, total_seconds=420, median_seconds=210.0, p90_seconds=300.0)
    # Back through the line: 240 s and 60 s reached the caller; the no-answer is no conversation.
    assert figures.callbacks == f.Durations(count=2, total_seconds=300, median_seconds=150.0, p90_seconds=240.0)


def test_no_conversation_means_no_median_rather_than_zero():
    assert f.durations([]) == f.Durations(0, 0, None, None)


def test_outcomes_count_a_live_call_only_by_its_wrap_up_and_show_the_unknown_apart():
    closed = [callback("2027-01-11 08:30", closed="2027-01-11 10:00", outcome="resolved"),
              callback("2027-01-11 16:00", closed="2027-01-12 10:00", outcome="resolved"),
              callback("2027-01-11 23:30", closed="2027-01-12 11:00", outcome="referred"),
              callback("2027-01-11 14:50", closed="2027-01-13 11:00", outcome="unreachable")]
    calls = [call("2027-01-11 09:10", "answered", seconds=300, by=1, wrap="resolved"),
             call("2027-01-11 09:40", "answered", seconds=120, by=2, wrap="referred", service=7),
             call("2027-01-11 10:20", "answered", seconds=60, by=2),  # never wrapped up
             call("2027-01-11 16:00", "voicemail")]
    figures = f.outcomes(calls, closed)
    assert (figures.live_answered, figures.live_resolved, figures.live_referred, figures.live_not_wrapped_up) == (
        3, 1, 1, 1)
    assert (figures.resolved, figures.referred, figures.unreachable) == (2, 1, 1)
    # Handled: 3 live + 4 closed = 7, of which 6 have a known ending (one live call was never
    # wrapped up). Settled at first contact: 1 live + 2 callbacks = 3; referred on: 1 + 1 = 2.
    assert (figures.handled, figures.with_outcome, figures.settled_first_contact, figures.referred_on) == (7, 6, 3, 2)
    assert figures.share_settled == 3 / 6 and figures.share_referred == 2 / 6


def test_live_calls_never_wrapped_up_are_not_counted_as_settled():
    figures = f.outcomes(MONDAY, [])
    assert (figures.live_answered, figures.live_not_wrapped_up, figures.settled_first_contact) == (2, 2, 0)
    assert figures.with_outcome == 0 and figures.share_settled is None


def test_referrals_are_counted_per_service_across_live_calls_and_callbacks():
    services = [ServiceRow(7, "Kriisipuhelin", "KRIISI"), ServiceRow(8, "Perheneuvonta", "PERHE")]
    calls = [call("2027-01-11 09:10", wrap="referred", service=7), call("2027-01-11 09:40", wrap="referred"),
             call("2027-01-11 10:00", wrap="resolved", service=None)]
    closed = [callback("2027-01-11 08:30", closed="2027-01-11 10:00", outcome="referred", service=7),
              callback("2027-01-11 08:40", closed="2027-01-11 11:00", outcome="referred", service=8),
              callback("2027-01-11 08:50", closed="2027-01-11 12:00", outcome="referred", service=7),
              callback("2027-01-11 09:00", closed="2027-01-11 12:30", outcome="resolved")]
    figures = map_figures.referrals(calls, closed, services)
    assert figures.services == (map_figures.ServiceReferrals(7, "Kriisipuhelin", 1, 2, 3),
                                map_figures.ServiceReferrals(8, "Perheneuvonta", 0, 1, 1))
    assert figures.without_service == 1  # the 09:40 call was referred without naming a service


def test_the_map_s_views_are_added_up_per_service():
    services = [ServiceRow(7, "Kriisipuhelin"), ServiceRow(8, "Perheneuvonta")]
    views = [MapViewRow(7, at("2027-01-11 00:00"), 3), MapViewRow(8, at("2027-01-11 00:00"), 5),
             MapViewRow(7, at("2027-01-12 00:00"), 4)]
    assert map_figures.map_views(views, services) == map_figures.MapViews(
        12, (map_figures.ServiceViews(7, "Kriisipuhelin", 7), map_figures.ServiceViews(8, "Perheneuvonta", 5)))


def test_top_topics_come_from_closed_callbacks_and_wrapped_up_live_calls():
    closed = [callback("2027-01-11 08:00", closed="2027-01-11 10:00", topic="Grief")]
    calls = [call("2027-01-11 09:10", wrap="resolved", topic="grief"), call("2027-01-11 09:40", wrap="resolved"),
             call("2027-01-11 10:00", topic="never wrapped up")]
    figures = f.topics(closed, calls)
    assert figures.top == (("Grief", 2),) and figures.without_topic == 1


def test_topics_are_grouped_regardless_of_case_and_spacing_most_first():
    closed = [callback("2027-01-11 08:00", closed="2027-01-11 10:00", topic=topic)
              for topic in ("Grief", "grief", "Grief ", "Loneliness", " loneliness", "Money", None, "  ")]
    figures = f.topics(closed, limit=2)
    # grief x3 (shown as its commonest spelling "Grief"), loneliness x2 (a tie between spellings:
    # the first in sort order, "Loneliness"), money x1 falls outside the top two; two have none.
    assert figures.top == (("Grief", 3), ("Loneliness", 2))
    assert (figures.other, figures.without_topic) == (1, 2)


def test_the_heat_map_puts_each_call_in_its_local_weekday_and_hour(calendar):
    heat = f.heat_map(MONDAY, calendar.timezone)
    monday = heat.calls[0]
    # 08:30 -> 8; 09:10, 09:40 -> 9; 10:05 -> 10; 14:50 -> 14; 16:00 -> 16; 23:30 -> 23.
    assert {hour: monday[hour] for hour in range(24) if monday[hour]} == {8: 1, 9: 2, 10: 1, 14: 1, 16: 1, 23: 1}
    assert {hour: heat.outside_hours[0][hour] for hour in range(24) if heat.outside_hours[0][hour]} == {
        8: 1, 16: 1, 23: 1}
    assert sum(map(sum, heat.calls[1:])) == 0
    assert heat.busiest == (0, 9, 2)


def test_on_the_autumn_dst_night_both_three_o_clocks_land_in_hour_three_and_spring_skips_it(calendar):
    tz = calendar.timezone
    # Sunday 2027-10-31: clocks go back from 04:00 EEST to 03:00 EET. 00:30 UTC is 03:30 EEST,
    # 01:30 UTC is 03:30 EET: both are local hour 3 of Sunday (weekday 6).
    autumn = f.heat_map([call(utc("2027-10-31 00:30")), call(utc("2027-10-31 01:30"))], tz)
    assert autumn.calls[6][3] == 2
    # Sunday 2027-03-28: clocks jump from 03:00 to 04:00. 00:30 UTC is 02:30 EET, 01:30 UTC is
    # 04:30 EEST; no call can be in hour 3.
    spring = f.heat_map([call(utc("2027-03-28 00:30")), call(utc("2027-03-28 01:30"))], tz)
    assert (spring.calls[6][2], spring.calls[6][3], spring.calls[6][4]) == (1, 0, 1)


def _event(callback_id: int, when: str, kind: str, staff_id: int | None = None, event_id: int = 0) -> EventRow:
    return EventRow(callback_id, at(when), kind, staff_id, event_id)


def test_staff_load_puts_reminders_and_escalations_on_whoever_held_the_callback():
    staff = [StaffRow(1, "Aino"), StaffRow(2, "Bertil"), StaffRow(3, "Cecilia")]
    events = [
        # #1: Aino holds it, needs two reminders and an escalation, then it passes to Bertil.
        _event(1, "2027-01-11 09:00", "assigned", 1), _event(1, "2027-01-11 09:30", "reminded", 1),
        _event(1, "2027-01-11 10:00", "reminded", 1), _event(1, "2027-01-11 10:30", "escalated"),
        _event(1, "2027-01-11 15:00", "handed_over", 2), _event(1, "2027-01-12 09:10", "closed", 2),
        # #2: Bertil passes it; it is escalated while nobody holds it; Cecilia takes and closes it.
        _event(2, "2027-01-11 09:00", "assigned", 2), _event(2, "2027-01-11 09:05", "passed", 2),
        _event(2, "2027-01-11 09:06", "escalated"), _event(2, "2027-01-11 09:10", "taken", 3),
        _event(2, "2027-01-11 09:20", "closed", 3),
        # #3: given to Aino last week (history), escalated this week: still Aino's escalation.
        _event(3, "2027-01-11 11:00", "escalated"),
    ]
    history = [_event(3, "2027-01-08 14:00", "assigned", 1)]
    load = f.staff_load(events, MONDAY, [AttemptRow(1, 2, at("2027-01-11 09:15"), "answered", 3, 30)], staff, history)
    rows = {row.name: row for row in load.staff}
    # Aino: given #1 only (#3 was given last week); 2 reminders; escalations of #1 and #3;
    # one live call (09:10 by staff 1).
    assert (rows["Aino"].callbacks_given, rows["Aino"].reminders, rows["Aino"].escalations) == (1, 2, 2)
    assert rows["Aino"].live_answered == 1
    # Bertil: given #2 and #1 (handed over), passed #2, closed #1; one live call (09:40).
    assert (rows["Bertil"].callbacks_given, rows["Bertil"].passed, rows["Bertil"].callbacks_closed) == (2, 1, 1)
    assert rows["Bertil"].escalations == 0
    # Cecilia: took #2, closed it, called back once through the line.
    assert (rows["Cecilia"].callbacks_given, rows["Cecilia"].callbacks_closed, rows["Cecilia"].call_backs) == (1, 1, 1)
    # Three escalations in all (one while nobody held #2); 2 reminders.
    assert (load.escalations, load.reminders) == (3, 2)
    assert [row.name for row in load.staff] == ["Bertil", "Aino", "Cecilia"]


def test_sms_figures_count_sent_failed_and_suppressed():
    from helpline.metrics.rows import SmsRow

    statuses = ["sent", "delivered", "delivered", "failed", "undelivered", "suppressed", "queued", "sending"]
    rows = [SmsRow(at("2027-01-11 10:00"), status) for status in statuses]
    assert f.sms(rows) == f.SmsFigures(sent=3, delivered=2, failed=2, suppressed=1, pending=2)
    # Rows the loader counted in the database stand for that many messages.
    assert f.sms([SmsRow(at("2027-01-11 00:00"), "delivered", 40), SmsRow(at("2027-01-11 00:00"), "failed", 2)]) == \
        f.SmsFigures(sent=40, delivered=40, failed=2, suppressed=0, pending=0)


def test_satisfaction_is_the_average_of_the_answers_with_how_many_gave_each_score():
    rows = [FeedbackRow(i, at("2027-01-11 12:00"), score) for i, score in enumerate([5, 4, None, 3, 5])]
    # Asked 5, answered 4: (5+4+3+5)/4 = 4.25; one 3, one 4, two 5s.
    assert f.satisfaction(rows) == f.Satisfaction(asked=5, answered=4, average=4.25, scores=(0, 0, 1, 1, 2))


def test_satisfaction_shows_callers_own_words_newest_first_and_no_more_than_ten():
    rows = [FeedbackRow(day, at(f"2027-01-{day:02d} 12:00"), 4, comment=f"word {day}") for day in range(1, 13)]
    rows.append(FeedbackRow(13, at("2027-01-13 12:00"), None, comment="kiitos"))  # words without a score
    rows.append(FeedbackRow(14, at("2027-01-14 12:00"), 5))  # a score without words
    words = f.satisfaction(rows).words
    assert words == ("kiitos", "word 12", "word 11", "word 10", "word 9", "word 8", "word 7", "word 6", "word 5",
                     "word 4")


def test_the_pulse_shows_a_team_average_only_when_at_least_three_answered():
    asked = at("2027-01-04 10:00")
    rows = [PulseRow("2027-01", asked, score) for score in (2, None, 5, None)]
    rows += [PulseRow("2027-02", asked, score) for score in (3, 4, 4)]
    january, february = f.pulse(rows)
    # January: two answers (2 and 5) are too few to show without exposing someone.
    assert (january.asked, january.answered, january.average) == (4, 2, None)
    # February: three answers, (3+4+4)/3 = 3.67.
    assert (february.asked, february.answered, february.average) == (3, 3, 3.67)
