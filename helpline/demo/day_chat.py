"""The simulated day's web chat: at 14:45 a visitor writes on /chat (no phone number), the
assignee gets the words by SMS and answers with REPLY, the visitor's page (polled as chat.js
polls it, with the cookie a browser would keep) shows the reply, the visitor ends the chat, and
the assignee closes it with DONE. Every request goes over HTTP to the running web process.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import requests

from helpline.clock import SimulatedClock

if TYPE_CHECKING:
    from helpline.demo.day import DayContext

CHAT_AT = time(14, 45)  # the line closes at 15:00
VISITOR_WORDS = "Hei. En pysty puhumaan puhelimessa, mutta haluaisin kirjoittaa jollekulle."
REPLY = "Hei, täällä päivystäjä. Kirjoita ihan rauhassa, luen kaiken."
HEADERS = {"X-Helpline-Chat": "1"}  # the chat's CSRF check (helpline.web.chat)


def play_chat(ctx: DayContext, day: date) -> None:
    console = ctx.console
    zone = ZoneInfo(ctx.timezone_name)
    moment = datetime.combine(day, CHAT_AT, tzinfo=zone)
    console.subheading(f"Chat: {moment:%A %d.%m. %H:%M} · a visitor writes in the web chat; the assignee "
                       "answers with REPLY, the visitor sees it on the page")
    base_url = ctx.simulator.public_base_url
    browser = requests.Session()  # keeps the chat's cookie, as the visitor's browser would
    SimulatedClock.write(ctx.clock_file, moment, speed=1.0)
    sent = browser.post(f"{base_url}/chat/messages?lang=fi", json={"text": VISITOR_WORDS}, headers=HEADERS,
                        timeout=15)
    console.fact("chat", f"POST /chat/messages answered {sent.status_code}: the visitor wrote: {VISITOR_WORDS}")
    _show_sms(ctx)
    callback = next((cb for cb in ctx.api.open_callbacks() if cb.get("channel") == "chat"), None)
    if callback is None:
        console.fact("callback", "none: the chat opened no conversation!")
        return
    console.fact("callback", f"#{callback['id']} channel=chat caller={callback['caller'][:5]}... (no number: "
                             "no SMS can reach the visitor)")
    staff = next((person for person in ctx.seeded.staff.values() if person.id == callback.get("assignee_id")), None)
    if staff is None:
        return
    for minutes, body in ((3, f"VASTAA {callback['id']} {REPLY}"), (10, f"VALMIS {callback['id']} juteltiin chatissa")):
        if minutes == 10:
            ended = browser.post(f"{base_url}/chat/end", json={}, headers=HEADERS, timeout=15)
            console.fact("chat", f"the visitor ends the chat: {ended.json()}")
        SimulatedClock.write(ctx.clock_file, moment + timedelta(minutes=minutes), speed=1.0)
        ctx.simulator.deliver("/sms/incoming", {"MessageSid": "SM" + uuid.uuid4().hex,
                                                "AccountSid": ctx.simulator.account_sid, "From": staff.phone,
                                                "To": ctx.simulator.line_number, "Body": body})
        console.fact("SMS from", f"{staff.name}: {body}")
        _show_sms(ctx)
        if minutes == 3:
            seen = browser.get(f"{base_url}/chat/messages", timeout=15).json()
            for message in seen.get("messages", []):
                console.fact("chat page", f"{message['clock']} {message['from']}: {message['text']}")


def _show_sms(ctx: DayContext) -> None:
    """As after a text: the worker done, its SMS delivered (their reports in this minute), shown."""
    from helpline.demo.day import _after_texting  # day.py imports this module

    _after_texting(ctx, None)
