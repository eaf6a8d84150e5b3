"""Every page, in Chromium, as a supervisor, a staff member and a visitor, at a phone's 390 px and
a laptop's 1366 px: no horizontal scrolling, no Content-Security-Policy violation or other console
error, no text too small to read or cut off without an ellipsis, every stacked table row
labelled on a phone, and nothing left in English on the Finnish page.

The browser is an English one (en-US), the case where Chromium drew mm/dd/yyyy and AM/PM date
and time inputs on a Finnish page: no page may have such an input any more.

"Nothing left in English" compares each page in Finnish with the same page in English: a word
of three letters or more that both show is a word nobody translated, unless it is the data's
(names, numbers, what callers and staff wrote) or a word both languages share (ALLOWED_WORDS).

Screenshots of every page at both widths go to artifacts/screenshots/pages/ (or
$HELPLINE_SCREENSHOTS) for people to look at.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from helpline.audit import Actor, record, shift_snapshot
from helpline.blocks import store as blocks
from helpline.directory.csv_import import COLUMNS
from helpline.models import (
    Call,
    CallbackEvent,
    CallbackRequest,
    FeedbackRequest,
    MessageStatusEvent,
    OutboundSms,
    Shift,
    VoiceMessage,
)
from tests.conftest import HELSINKI, helsinki
from tests.e2e.conftest import SCREENSHOTS

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
SHOTS = Path(os.environ.get("HELPLINE_SCREENSHOTS") or SCREENSHOTS / "pages")

# Words a Finnish page may share with the English one: names of languages on the language
# buttons, units and codes that are the same in both, and the demo data's own words.
ALLOWED_WORDS = {"suomi", "svenska", "english", "min", "csv", "sms", "api", "ical", "openapi", "json", "helpline",
                 "bearer", "token", "google", "outlook"}
# Data the pages show as it was stored: names, SMS bodies, notes. Their words are allowed.
DATA = ("Sari Supervisor", "Pekka Päivystäjä", "Aino Aaltonen", "Kristiina Ahlqvist-Virtanen",
        "Henkilöstön koulutus", "Kiitos paljon, auttoi", "yksinäisyys", "Soittopyyntö", "soitti", "Viesti",
        "Vastaa", "VALMIS", "OHITA", "SOITA", "Kiitos", "soitostasi", "klo",
        "Toistuvat häiriköintisoitot yöllä")
# The directory's service (busy_line), a service code as staff text it (REF KRIISI), and the CSV
# import's column names, which are the file format's and not translated.
DIRECTORY_DATA = ("Perheasiain neuvottelukeskus", "Keskusteluapua parisuhteen ja perheen kysymyksiin", "perhe",
                  "parisuhde", "Helsinki", "KRIISI", "REF", *COLUMNS)
DATA_WORDS = {word.lower() for text in DATA + DIRECTORY_DATA for word in re.findall(r"[^\W\d_]{3,}", text)}
LONG_LINK = "https://helpline.example.org/r/" + "Z" * 43


@pytest.fixture
def page(browser, live_server):
    """As the conftest's, but an English (en-US) browser: the Finnish pages must not take their
    date formats, words or anything else from the browser's own language."""
    context = browser.new_context(base_url=live_server, viewport=LAPTOP, locale="en-US")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


@dataclass
class Line:
    mine: int  # a callback assigned to the staff member, with SMS and a long link
    closed: int  # one closed, with the caller's feedback
    new: int  # one nobody holds yet
    shift: int  # the staff member's shift on Monday
    staff_id: int  # the staff member (Pekka)
    call: int  # a live call the staff member answered, to wrap up
    service: int  # a help service in the directory (the map)


@pytest.fixture
def busy_line(line, clock, office_hours, make_closure, make_staff, make_shift, make_service, supervisor,
              worker) -> Line:
    """Monday 11 January 2027, 10:00: office hours, a closure, four people on the rota, three
    callbacks (one with a long link in its SMS, one closed with feedback), calls for the figures."""
    office_hours()
    make_closure(helsinki("2027-01-20 00:00"), helsinki("2027-01-21 00:00"), "Henkilöstön koulutus")
    aino = make_staff("Aino Aaltonen", "+358401110001", languages=("sv", "fi"))
    kristiina = make_staff("Kristiina Ahlqvist-Virtanen", "+358401110003")
    pekka, sari = worker.staff, supervisor.staff
    shift = make_shift(pekka, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 12:00"), priority=1)
    make_shift(aino, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"), priority=2)
    make_shift(kristiina, helsinki("2027-01-11 12:00"), helsinki("2027-01-11 15:00"), priority=1)
    make_shift(sari, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"), priority=1)
    make_shift(pekka, helsinki("2027-01-13 09:00"), helsinki("2027-01-13 15:00"), priority=1)
    service = make_service("PERHE", "Perheasiain neuvottelukeskus", hours="ma-to 9-16, pe 9-13",
                           description="Keskusteluapua parisuhteen ja perheen kysymyksiin.",
                           topics=["perhe", "parisuhde"], languages=["fi", "sv"], phone="+358923400000",
                           url="https://example.org/perheneuvonta", area="Helsinki")
    now = clock.now()
    with line.db.session() as s:
        mine = CallbackRequest(caller="+358401000001", language="fi", created_at=now - timedelta(minutes=50),
                               last_call_at=now - timedelta(minutes=50), status="assigned", assignee_id=pekka.id,
                               assigned_at=now - timedelta(minutes=49), next_action="remind",
                               next_action_at=now + timedelta(minutes=30))
        new = CallbackRequest(caller="+358501000002", language="sv", created_at=now - timedelta(minutes=5),
                              last_call_at=now - timedelta(minutes=5), status="new", next_action="assign",
                              next_action_at=now)
        closed = CallbackRequest(caller="+358401000003", language="fi", created_at=now - timedelta(hours=3),
                                 last_call_at=now - timedelta(hours=3), status="closed", assignee_id=aino.id,
                                 assigned_at=now - timedelta(hours=3), acknowledged_at=now - timedelta(hours=2),
                                 closed_at=now - timedelta(hours=1), outcome="resolved", topic="yksinäisyys",
                                 next_action=None)
        s.add_all([mine, new, closed])
        s.flush()
        for callback, minutes, answered_by in ((mine, 50, None), (new, 5, None), (closed, 180, None)):
            s.add(Call(call_sid=f"CA{callback.id:032x}", caller=callback.caller, started_at=callback.created_at,
                       line_open=True, outcome="voicemail", callback_id=callback.id, language=callback.language))
            s.add(CallbackEvent(callback_id=callback.id, at=callback.created_at, kind="call",
                                detail={"call_sid": f"CA{callback.id:032x}", "joined": False}))
        answered = Call(call_sid="CA" + "f" * 32, caller="+358401000009", started_at=now - timedelta(minutes=30),
                        line_open=True, outcome="answered", answered_by_id=pekka.id, conversation_seconds=300,
                        answered_at=now - timedelta(minutes=29), ended_at=now - timedelta(minutes=24))
        s.add(answered)
        s.add(VoiceMessage(callback_id=mine.id, recording_sid="RE" + "1" * 32, recording_url="https://api/RE1",
                           recording_status="completed", duration_seconds=14, created_at=mine.created_at))
        s.add(CallbackEvent(callback_id=mine.id, at=mine.created_at, kind="message", detail={"duration_seconds": 14}))
        s.add(CallbackEvent(callback_id=mine.id, at=mine.assigned_at, kind="assigned", staff_id=pekka.id,
                            detail={"reason": "on duty"}))
        sms = OutboundSms(to_number=pekka.phone, staff_id=pekka.id, callback_id=mine.id, purpose="assignment",
                          body=f"Soittopyyntö #{mine.id}: 040 100 0001 soitti ma 11.1. klo 9.10. Viesti: {LONG_LINK} "
                               f"Vastaa OK {mine.id} / VALMIS {mine.id} / OHITA {mine.id} / SOITA {mine.id}",
                          status="delivered", twilio_sid="SM" + "1" * 32, dedupe_key="e2e-assignment",
                          created_at=mine.assigned_at, sent_at=mine.assigned_at)
        s.add(sms)
        s.flush()
        for seconds, status in ((1, "queued"), (2, "sent"), (4, "delivered")):
            s.add(MessageStatusEvent(message_sid=sms.twilio_sid, status=status, outbound_id=sms.id,
                                     received_at=mine.assigned_at + timedelta(seconds=seconds)))
        for kind, at, staff_id, detail in (
                ("assigned", closed.assigned_at, aino.id, {}),
                ("acknowledged", closed.acknowledged_at, aino.id, {"via": "sms"}),
                ("closed", closed.closed_at, aino.id, {"outcome": "resolved", "via": "sms",
                                                       "topic": "yksinäisyys"})):
            s.add(CallbackEvent(callback_id=closed.id, at=at, kind=kind, staff_id=staff_id, detail=detail))
        question = OutboundSms(to_number=closed.caller, callback_id=closed.id, purpose="caller_feedback",
                               body="Kiitos soitostasi. 1-5?", status="delivered", dedupe_key="e2e-feedback",
                               created_at=closed.closed_at + timedelta(minutes=30),
                               sent_at=closed.closed_at + timedelta(minutes=30))
        s.add(question)
        s.flush()
        s.add(FeedbackRequest(callback_id=closed.id, caller=closed.caller, outbound_id=question.id,
                              created_at=closed.closed_at, asked_at=question.sent_at, score=5,
                              answered_at=question.sent_at + timedelta(minutes=10), comment="Kiitos paljon, auttoi"))
        blocks.add(s, secret_key=line.settings.secret_key, number="+358401000666", days=30,
                   reason="Toistuvat häiriköintisoitot yöllä", actor=Actor("Sari Supervisor (sari)", "user"),
                   now=now, tz=HELSINKI)
        stored_shift = s.get(Shift, shift.id)
        record(s, Actor("Sari Supervisor (sari)", "user"), "shift", shift.id, None,
               shift_snapshot(stored_shift, HELSINKI), now)
        s.flush()
        return Line(mine=mine.id, closed=closed.id, new=new.id, shift=shift.id, staff_id=pekka.id,
                    call=answered.id, service=service.id)


def _supervisor_pages(data: Line) -> list[tuple[str, str]]:
    return [
        ("today", "/"), ("rota", "/rota/?week=2027-01-11"), ("rota-next-week", "/rota/?week=2027-01-18"),
        ("shift-new", "/rota/shifts/new?date=2027-01-12"), ("shift-edit", f"/rota/shifts/{data.shift}/edit"),
        ("hand-over", f"/rota/shifts/{data.shift}/hand-over"), ("rota-import", "/rota/import"),
        ("calendar", "/rota/calendar"), ("callbacks", "/callbacks/?status=all"),
        ("callback-open", f"/callbacks/{data.mine}"), ("callback-closed", f"/callbacks/{data.closed}"),
        ("staff", "/staff/"), ("staff-new", "/staff/new"), ("staff-edit", f"/staff/{data.staff_id}"),
        ("hours", "/hours/"), ("blocked-numbers", "/blocked/"), ("audit", "/audit/?from=2027-01-01&to=2027-01-11"),
        ("figures", "/figures/?from=2027-01-01&to=2027-01-11"), ("account", "/account"),
        ("not-found", "/no-such-page"), ("wrong-method", "/sign-out"), ("api-docs", "/api/docs"),
        ("calls", "/calls/"), ("call", f"/calls/{data.call}"), ("directory", "/directory/"),
        ("service-new", "/directory/new"), ("service-edit", f"/directory/{data.service}"),
        ("directory-import", "/directory/import"), ("map", "/services"), ("map-service", f"/services/{data.service}"),
    ]


def _staff_pages(data: Line) -> list[tuple[str, str]]:
    return [
        ("today", "/"), ("rota", "/rota/?week=2027-01-11"), ("calendar", "/rota/calendar"),
        ("callbacks", "/callbacks/"), ("callback-open", f"/callbacks/{data.mine}"), ("account", "/account"),
        ("not-for-staff", "/staff/"), ("not-theirs", f"/callbacks/{data.closed}"),
        ("my-calls", "/calls/"), ("call-to-wrap-up", f"/calls/{data.call}"),
        ("blocked-not-for-staff", "/blocked/"),
    ]


def _public_pages(data: Line) -> list[tuple[str, str]]:
    return [("sign-in", "/sign-in"), ("not-found", "/no-such-page"), ("api-docs", "/api/docs"),
            ("map", "/services"), ("map-service", f"/services/{data.service}"), ("chat", "/chat")]

# GET endpoints that are not pages people read: a file download, audio, a calendar feed.
NOT_PAGES = {"figures.export_csv", "callbacks.recording", "feeds.feed", "static", "healthz", "prometheus_metrics",
             "listen.listen", "api_docs.asset", "chat.embed", "chat.poll", "callbacks.conversation_json"}


# --- what each page is checked for ---------------------------------------------------------------

_WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' +
    (e.sourceFile || '') + ':' + e.lineNumber);
});
"""

# Runs in the page: the layout problems at the current width.
_LAYOUT = """() => {
  const problems = [];
  const root = document.documentElement;
  const width = root.clientWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  if (root.scrollWidth > width) {
    // The innermost elements whose box or overflowing content reaches past the right edge.
    const reach = (el) => Math.max(el.getBoundingClientRect().right, el.getBoundingClientRect().left + el.scrollWidth);
    const wide = [...document.body.querySelectorAll('*')]
      .filter((el) => reach(el) > width + 1)
      .filter((el) => ![...el.children].some((child) => reach(child) > width + 1))
      .slice(0, 5).map((el) => describe(el) + ' to ' + Math.round(reach(el)) + 'px');
    problems.push('scrolls sideways: ' + root.scrollWidth + 'px wide in ' + width + 'px (' + wide.join(', ') + ')');
  }
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 1 && box.height > 1 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const tiny = new Set();
  for (const svg of document.querySelectorAll('svg[viewBox]')) {
    if (!visible(svg)) continue;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll('text')) {
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (px < 9.5) tiny.add((svg.getAttribute('aria-label') || 'a chart') + ': ' + px.toFixed(1) + 'px');
    }
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') || !visible(el)) continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < 11) tiny.add(describe(el) + ': ' + px + 'px');
    const style = getComputedStyle(el);
    // text-overflow works on a block's own line box: a flex or grid container's loose text is cut bare.
    const ellipsis = style.textOverflow === 'ellipsis' && !/flex|grid/.test(style.display);
    if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1 && !ellipsis &&
        style.overflowX !== 'auto' && style.overflowX !== 'scroll')
      problems.push('text cut without an ellipsis: ' + describe(el) + ' "' + el.textContent.trim().slice(0, 30) + '"');
  }
  for (const t of tiny) problems.push('text too small to read: ' + t);
  for (const input of document.querySelectorAll('input[type=date], input[type=time], input[type=datetime-local]'))
    problems.push('a date or time input the browser draws in its own locale: ' + describe(input));
  for (const td of document.querySelectorAll('table.stack td:not([colspan])')) {
    if (getComputedStyle(td).display === 'table-cell') continue;  // a real table: the header labels it
    const label = getComputedStyle(td, '::before').content;
    if (!label || label === 'none' || label === 'normal' || label === '""')
      problems.push('a stacked table cell without its label: ' + describe(td.closest('table')) + ' "' +
                    td.textContent.trim().slice(0, 30) + '"');
  }
  return problems;
}"""

# Runs in the page: every piece of text a reader or a screen reader gets.
_TEXTS = """() => {
  // Text marked as another language (lang="en" on the API reference, the language buttons) is
  // meant to be in it; code (a CSV's columns, a command) is the same in every language.
  const page = document.documentElement.lang;
  const ours = (el) => (el.closest('[lang]') || document.documentElement).lang === page &&
    !el.closest('script, style, noscript, code, pre, kbd, samp');
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && ours(parent)) texts.push(walker.currentNode.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))
    if (ours(el))
      for (const name of ['aria-label', 'title', 'placeholder', 'alt'])
        if (el.getAttribute(name)) texts.push(el.getAttribute(name));
  return texts.join('\\n');
}"""


class PageWatcher:
    """Console errors, page errors and CSP violations of one browser page."""

    def __init__(self, page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.add_init_script(_WATCH_CSP)
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def open(self, path: str) -> list[str]:
        """Go to ``path``; the console's errors and the CSP violations while it loaded."""
        self.errors.clear()
        response = self.page.goto(path)  # until the load event: the page and everything it loads
        # A page with scripts may fetch more after that: wait until the network is quiet (half a
        # second with nothing in flight). Most pages have none, and that half second, every page
        # twice at two widths, was most of the walks' time.
        if self.page.evaluate("() => document.scripts.length > 0"):
            self.page.wait_for_load_state("networkidle")
        # Let violation reports already queued as tasks run before they are read.
        violations = self.page.evaluate(
            "() => new Promise(resolve => setTimeout(() => resolve(window.__cspViolations || []), 50))")
        # Chromium logs an error page's own status as a console error: that one is expected.
        own_status = f"the server responded with a status of {response.status} " if response.status >= 400 else None
        errors = [error for error in self.errors if not (own_status and own_status in error)]
        return [f"console: {error}" for error in errors] + [f"CSP: {violation}" for violation in violations]


def _words(text: str) -> set[str]:
    text = re.sub(r"\bhttps?://\S+", " ", text)  # an address is not a word of either language
    return {word.lower() for word in re.findall(r"[^\W\d_]{3,}", text)}


def _choose_language(page, language: str) -> None:
    """With the buttons at the foot of every page (the not-found page has them for everyone)."""
    names = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
    page.goto("/no-such-page")
    page.locator(".language-form").get_by_role("button", name=names[language]).click()
    page.wait_for_load_state()


def _walk(page, pages: list[tuple[str, str]], who: str, *, shoot: bool = True) -> list[str]:
    """Every page in Finnish at both widths, then in English: the problems, each naming its page."""
    watcher = PageWatcher(page)
    problems: list[str] = []
    finnish: dict[str, str] = {}
    _choose_language(page, "fi")
    for name, path in pages:
        page.set_viewport_size(LAPTOP)
        problems += [f"{who} {name} ({path}): {p}" for p in watcher.open(path)]
        finnish[name] = page.evaluate(_TEXTS)
        for size, label in ((LAPTOP, "1366"), (PHONE, "390")):
            page.set_viewport_size(size)
            page.wait_for_timeout(50)
            problems += [f"{who} {name} at {label} px: {p}" for p in page.evaluate(_LAYOUT)]
            if shoot:
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"{who}-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(LAPTOP)
    _choose_language(page, "en")
    for name, path in pages:
        problems += [f"{who} {name} in English ({path}): {p}" for p in watcher.open(path)]
        shared = (_words(finnish[name]) & _words(page.evaluate(_TEXTS))) - ALLOWED_WORDS - DATA_WORDS
        if shared:
            problems.append(f"{who} {name} ({path}) shows English on the Finnish page: {sorted(shared)}")
    _choose_language(page, "fi")
    return problems


def _report(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_every_supervisor_page_reads_well_on_a_phone_and_a_laptop_in_finnish(page, sign_in_as, supervisor,
                                                                               busy_line):
    sign_in_as(supervisor)
    _report(_walk(page, _supervisor_pages(busy_line), "supervisor"))


def test_every_staff_page_reads_well_on_a_phone_and_a_laptop_in_finnish(page, sign_in_as, worker, busy_line):
    sign_in_as(worker)
    _report(_walk(page, _staff_pages(busy_line), "staff"))


def test_the_public_pages_read_well_on_a_phone_and_a_laptop_in_finnish(page, busy_line):
    page.goto("/sign-in")
    _report(_walk(page, _public_pages(busy_line), "public"))


def test_every_page_of_the_app_is_in_the_walk_above(app, busy_line):
    """A new page cannot be forgotten: each GET route that renders HTML is walked by a test above."""
    adapter = app.url_map.bind("localhost")
    walked = {adapter.match(path.split("?")[0], method="GET")[0]
              for path_list in (_supervisor_pages(busy_line), _staff_pages(busy_line), _public_pages(busy_line))
              for _name, path in path_list if path != "/no-such-page" and path != "/sign-out"}
    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods
             and not rule.rule.startswith(("/voice", "/sms", "/callbacks-out"))
             and not (rule.rule.startswith("/api/") and rule.rule != "/api/docs")}
    assert pages - NOT_PAGES - walked == set()
