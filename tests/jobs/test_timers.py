"""What falls due is handed to RQ's scheduler for its moment: a callback's next step when the
worker plans it, a delayed SMS when it is queued. Each moment is one job however often it is
asked for; an earlier and a later moment both stand; nothing is scheduled before commit."""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry

from helpline.clock import FrozenClock, SimulatedClock, SystemClock, wall_time
from helpline.dispatch import (
    PROCESS_CALLBACK_JOB, SEND_SMS_JOB, SERIALIZER, JobDispatcher, after_commit_process_callback, job_queue,
    process_job_id, send_job_id, timer_job_id,
)
from helpline.models import CallbackRequest
from helpline.sms.outbox import queue_sms
from jobs.conftest import MOBILE_CALLER


def scheduled(redis) -> dict[str, int]:
    """{job id: the second RQ's scheduler will queue it at}."""
    registry = ScheduledJobRegistry(queue=job_queue(redis))
    return {job_id.decode(): int(score) for job_id, score in redis.zrange(registry.key, 0, -1, withscores=True)}


def real_now() -> datetime:
    return datetime.now(timezone.utc)


# --- the line's clock and real time -------------------------------------------------------------

def test_the_system_clock_is_real_time_already():
    moment = real_now() + timedelta(minutes=5)
    assert wall_time(SystemClock(), moment) == moment


def test_a_simulated_clock_running_sixty_times_faster_reaches_an_hour_from_now_in_a_minute(tmp_path):
    path = tmp_path / "clock.json"
    simulated = datetime(2027, 1, 11, 8, 0, tzinfo=timezone.utc)
    SimulatedClock.write(path, simulated, speed=60)
    clock = SimulatedClock(path)

    in_an_hour = wall_time(clock, clock.now() + timedelta(hours=1))

    assert abs((in_an_hour - real_now()) - timedelta(minutes=1)) < timedelta(seconds=1)


def test_a_frozen_clock_is_taken_to_run_at_real_speed_from_now_on():
    clock = FrozenClock(datetime(2027, 1, 11, 8, 0, tzinfo=timezone.utc))
    later = wall_time(clock, clock.now() + timedelta(seconds=30)) - real_now()
    assert timedelta(seconds=29) < later <= timedelta(seconds=30)


# --- the dispatcher ---------------------------------------------------------------------------

def test_a_job_asked_for_at_a_moment_waits_in_rqs_scheduler_until_that_second_rounded_up(line, redis):
    at = real_now() + timedelta(seconds=42.3)
    assert line.jobs.schedule_at(PROCESS_CALLBACK_JOB, 7, job_id=process_job_id(7), at=at)

    second = math.ceil(at.timestamp())
    timer_id = timer_job_id(process_job_id(7), second)
    assert scheduled(redis) == {timer_id: second}  # never early: RQ counts whole seconds
    job = Job.fetch(timer_id, connection=redis, serializer=SERIALIZER)
    assert (job.get_status(), job.func_name, list(job.args)) == (JobStatus.SCHEDULED, PROCESS_CALLBACK_JOB, [7])
    assert job.retries_left == 5  # the same Retry as every other job of the line
    assert job_queue(redis).job_ids == []


def test_asking_twice_for_one_moment_schedules_one_job(line, redis):
    at = real_now() + timedelta(seconds=30)
    for _ in range(3):
        assert line.jobs.schedule_at(SEND_SMS_JOB, 5, job_id=send_job_id(5), at=at)
    assert list(scheduled(redis)) == [timer_job_id("sms-5", math.ceil(at.timestamp()))]


def test_an_earlier_and_a_later_moment_both_stand_and_the_earlier_comes_first(line, redis):
    later, earlier = real_now() + timedelta(seconds=60), real_now() + timedelta(seconds=20)
    line.jobs.schedule_at(PROCESS_CALLBACK_JOB, 7, job_id=process_job_id(7), at=later)
    line.jobs.schedule_at(PROCESS_CALLBACK_JOB, 7, job_id=process_job_id(7), at=earlier)

    registry = ScheduledJobRegistry(queue=job_queue(redis))
    assert registry.get_job_ids() == [timer_job_id("callback-7-process", math.ceil(moment.timestamp()))
                                      for moment in (earlier, later)]


def test_a_moment_whose_job_has_run_already_is_asked_for_in_the_next_second(line, redis):
    at = real_now() + timedelta(seconds=10)
    second = math.ceil(at.timestamp())
    line.jobs.schedule_at(PROCESS_CALLBACK_JOB, 7, job_id=process_job_id(7), at=at)
    # As if RQ's scheduler had queued it and a worker were running it right now.
    redis.zrem(ScheduledJobRegistry(queue=job_queue(redis)).key, timer_job_id("callback-7-process", second))
    redis.hset(Job.key_for(timer_job_id("callback-7-process", second)), "status", JobStatus.STARTED.value)

    assert line.jobs.schedule_at(PROCESS_CALLBACK_JOB, 7, job_id=process_job_id(7), at=at)

    assert scheduled(redis) == {timer_job_id("callback-7-process", second + 1): second + 1}


def test_with_redis_unreachable_a_timer_is_left_for_the_sweep_without_raising(caplog):
    jobs = JobDispatcher("redis://127.0.0.1:1/0")
    assert jobs.schedule_at(PROCESS_CALLBACK_JOB, 7, job_id=process_job_id(7),
                            at=real_now() + timedelta(seconds=5)) is False
    assert "left for the sweep" in caplog.text


def test_a_timer_is_scheduled_only_once_its_transaction_commits(line, redis):
    at = real_now() + timedelta(seconds=30)
    with line.db.sessionmaker() as session:
        session.add(CallbackRequest(caller=MOBILE_CALLER, created_at=at, last_call_at=at))
        session.flush()
        after_commit_process_callback(line.jobs, session, 1, at=at)
        session.rollback()
        assert scheduled(redis) == {}
        session.add(CallbackRequest(caller=MOBILE_CALLER, created_at=at, last_call_at=at))
        session.flush()
        after_commit_process_callback(line.jobs, session, 2, at=at)
        assert scheduled(redis) == {}
        session.commit()
    assert list(scheduled(redis)) == [timer_job_id("callback-2-process", math.ceil(at.timestamp()))]


# --- what asks for them --------------------------------------------------------------------------

@pytest.fixture
def three_second_reminders(line):
    line.settings = line.settings.with_overrides(reminder_interval_seconds=3)
    return line


def test_after_assigning_the_worker_asks_to_run_again_when_the_first_reminder_is_due(
        three_second_reminders, week_rota, clock, run_worker, redis, line, callback_row):
    with line.db.session() as session:
        callback = CallbackRequest(caller=MOBILE_CALLER, language="fi", created_at=clock.now(),
                                   last_call_at=clock.now(), next_action="assign", next_action_at=clock.now())
        session.add(callback)
    line.jobs.enqueue_now(PROCESS_CALLBACK_JOB, callback.id, job_id=process_job_id(callback.id))

    asked_at = real_now()
    run_worker()

    row = callback_row(callback.id)
    assert (row.status, row.next_action) == ("assigned", "remind")
    assert row.next_action_at == clock.now() + timedelta(seconds=3)
    [(timer_id, second)] = [(job_id, second) for job_id, second in scheduled(redis).items()
                            if job_id.startswith(f"callback-{callback.id}-process-at-")]
    # The frozen clock stands still, so the reminder is three real seconds after the worker planned it.
    assert asked_at.timestamp() + 3 <= second <= real_now().timestamp() + 4


def test_the_worker_asks_for_nothing_more_once_a_callback_is_closed(week_rota, clock, run_worker, redis, line):
    from helpline.callbacks.actions import close_callback

    with line.db.session() as session:
        callback = CallbackRequest(caller=MOBILE_CALLER, language="fi", created_at=clock.now(),
                                   last_call_at=clock.now(), next_action="assign", next_action_at=clock.now())
        session.add(callback)
    with line.db.session() as session:
        close_callback(session, callback.id, "resolved", None, None, None, clock.now())
    redis.flushdb()  # its jobs (the caller's feedback question among them) are not this test's
    line.jobs.enqueue_now(PROCESS_CALLBACK_JOB, callback.id, job_id=process_job_id(callback.id))
    run_worker()
    assert scheduled(redis) == {}


def test_a_delayed_sms_is_scheduled_for_its_send_after_and_an_immediate_one_is_queued(worker_line, clock, redis):
    line = worker_line
    send_after = clock.now() + timedelta(minutes=30)
    with line.db.session() as session:
        delayed = queue_sms(session, to=MOBILE_CALLER, body="How well were you helped?", purpose="feedback",
                            dedupe_key="later", now=clock.now(), send_after=send_after)
        now = queue_sms(session, to=MOBILE_CALLER, body="We will call you back.", purpose="caller_confirmation",
                        dedupe_key="now", now=clock.now())
        asked_at = real_now()

    assert job_queue(redis).job_ids == [send_job_id(now.id)]
    [(timer_id, second)] = scheduled(redis).items()
    assert timer_id.startswith(f"{send_job_id(delayed.id)}-at-")
    # RQ keeps a scheduled moment in whole seconds (cut, not rounded).
    assert int(asked_at.timestamp()) + 30 * 60 <= second <= real_now().timestamp() + 30 * 60 + 1
