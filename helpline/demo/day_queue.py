"""The demo's noon: two callers at once ring two different people, and a third, finding both
busy, waits in the queue, hears her place, and is put through to the first of them to be free.

Played from helpline.demo.day at 12:00 of the demo day, over real HTTP like every other call.
The third caller is connected the way Twilio would do it: when the second conversation ends,
the worker's connect job asks the fake Twilio to ring that staff member; the demo picks up that
call (the call client's ``answer``), which presses 1 and takes the caller from the queue.
"""
from __future__ import annotations

from datetime import date, time
from time import monotonic, sleep

import requests

from helpline.clock import SimulatedClock
from helpline.devtools.call_client import CallResult, StaffPhone
from helpline.phones import readable

AT = time(12, 0)
GUNNAR = "+358501110007"  # first of the two at once
HELMI = "+358501110008"  # second of the two at once
IRIS = "+358501110009"  # finds everyone busy and waits
QUEUE_CALLERS = (GUNNAR, HELMI, IRIS)
RING_WAIT_SECONDS = 20.0  # how long the worker may take to ring the staff member who is free


def due(previous_at: time | None, at: time) -> bool:
    """Whether the scene comes before the call at ``at`` (it follows the call at ``previous_at``)."""
    return (previous_at is None or previous_at < AT) and AT <= at


def play(ctx, day: date) -> None:
    from helpline.demo.day import ROTA, local, show_texts_sent

    console, names, simulator = ctx.console, ctx.names, ctx.simulator
    first, second = (ctx.seeded.staff[person.key] for person in ROTA[day.weekday()])
    moment = local(day, AT, ctx.timezone_name)
    console.subheading(f"Noon: {moment:%A %d.%m. %H:%M} · two callers at once, and a third who waits in the queue")
    SimulatedClock.write(ctx.clock_file, moment, speed=1.0)
    staff = {first.phone: StaffPhone(first.phone, "accept"), second.phone: StaffPhone(second.phone, "accept")}
    seen: dict[str, CallResult | None] = {}

    def while_second_talks() -> None:
        seen["iris"] = simulator.call(IRIS, park=True)

    def while_first_talks() -> None:
        seen["helmi"] = simulator.call(HELMI, staff=staff, during_conversation=while_second_talks)
        placed = _wait_for_call_to(ctx, second.phone)
        seen["taken"] = simulator.answer(placed).bridged_to if placed is not None else None

    gunnar = simulator.call(GUNNAR, staff=staff, during_conversation=while_first_talks)
    helmi, iris = seen["helmi"], seen["iris"]
    console.fact("callers", ", ".join(readable(number) for number in QUEUE_CALLERS))
    for label, result in (("1st caller", gunnar), ("2nd caller", helmi)):
        console.fact(label, f"rang {', '.join(names.of_phone(p) for p in result.rang)}; "
                            f"answered by {names.of_phone(result.answered_by)}")
    console.fact("3rd caller", "everyone on duty is talking: she waits in the queue")
    after_menu = iris.keys[0][0] if iris.keys else 0
    console.quotes("heard", iris.heard[after_menu:])
    if seen.get("taken") is iris:
        console.fact("outcome", f"{names.of_phone(second.phone)} was free first, pressed 1 and took her "
                                f"after {iris.queue_seconds} s in the queue")
    else:
        console.fact("outcome", f"nobody took her in {RING_WAIT_SECONDS:.0f} s (see .run/worker.log)")
        if iris.parked:
            simulator.hang_up(iris)
    show_texts_sent(ctx)  # the wrap-up questions to whoever answered


def _wait_for_call_to(ctx, phone: str) -> dict | None:
    """The call the line placed to ``phone`` (the fake Twilio's), once the worker has placed it."""
    settings_url = ctx.sms.url.rsplit("/Messages.json", 1)[0] if ctx.sms is not None else None
    if settings_url is None:
        return None
    deadline = monotonic() + RING_WAIT_SECONDS
    while monotonic() < deadline:
        response = requests.get(f"{settings_url}/Calls.json", params={"To": phone}, auth=ctx.sms.auth, timeout=5)
        response.raise_for_status()
        placed = [call for call in response.json()["calls"] if "request" in call]
        if placed:
            return placed[0]
        sleep(0.2)
    return None
