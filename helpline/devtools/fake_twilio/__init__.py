"""A local fake of api.twilio.com (messages, calls, recordings) for tests and the demo.

    with FakeTwilio(account_sid, auth_token) as fake:   # or fake.start() ... fake.stop()
        settings = settings.with_overrides(twilio_api_base_url=fake.base_url)
        fake.fail_next("500")                          # the next SMS create answers 500
        ...
        fake.messages_to("+358401234567")              # what Twilio 'has'

Standalone for the demo: ``python -m helpline.devtools.fake_twilio --port 8181``.
"""
from helpline.devtools.fake_twilio.callbacks import SentCallback
from helpline.devtools.fake_twilio.failures import KINDS as FAILURE_KINDS
from helpline.devtools.fake_twilio.failures import Failure
from helpline.devtools.fake_twilio.server import FakeTwilio, ReceivedRequest

__all__ = ["FAILURE_KINDS", "Failure", "FakeTwilio", "ReceivedRequest", "SentCallback"]
