"""The decisions of one call that touch the database; helpline.webhooks.voice parses and renders.

- hunt.py: who gets rung and what the call does next (dial, take a message, hang up)
- intake.py: messages, call status and callback requests (one open request per caller)
- busy.py: who is on a help-line call now, and claiming a free person (the lock)
- waiting.py: the wait queue: a caller's place, leaving it, and offers to free staff
- context.py: the transaction every decision runs in, re-run when a unique row lost a race

Every function is idempotent, because Twilio may deliver a webhook twice or out of order.
"""
from helpline.inbound.context import TERMINAL_CALL_STATUSES, CallParams, Context, in_transaction
from helpline.inbound.hunt import (
    BlockedStep, DialStep, HangupStep, MessageStep, QueueStep, Step, answer_incoming, choose_language, dial_result,
    next_step, screen_choice,
)
from helpline.inbound.intake import call_status, record_message

__all__ = [
    "TERMINAL_CALL_STATUSES", "BlockedStep", "CallParams", "Context", "DialStep", "HangupStep",
    "MessageStep", "QueueStep", "Step", "answer_incoming", "call_status", "choose_language", "dial_result",
    "in_transaction",
    "next_step", "record_message", "screen_choice",
]
