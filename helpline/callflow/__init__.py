"""The decisions of one call that touch the database; helpline.webhooks.voice parses and renders.

- hunt.py: who gets rung and what the call does next (dial, take a message, hang up)
- intake.py: messages, call status and callback requests (one open request per caller)
- context.py: the transaction every decision runs in, re-run when a unique row lost a race

Every function is idempotent, because Twilio may deliver a webhook twice or out of order.
"""
from helpline.callflow.context import TERMINAL_CALL_STATUSES, CallParams, Context, in_transaction
from helpline.callflow.hunt import (
    DialStep, HangupStep, MessageStep, Step, answer_incoming, choose_language, dial_result, next_step, screen_choice,
)
from helpline.callflow.intake import PROCESS_CALLBACK_JOB, call_status, record_message

__all__ = [
    "PROCESS_CALLBACK_JOB", "TERMINAL_CALL_STATUSES", "CallParams", "Context", "DialStep", "HangupStep",
    "MessageStep", "Step", "answer_incoming", "call_status", "choose_language", "dial_result", "in_transaction",
    "next_step", "record_message", "screen_choice",
]
