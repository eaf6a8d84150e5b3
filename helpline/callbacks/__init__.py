"""A callback request's life, from being left to being closed.

- rules.py: the pure rules (who a callback goes to, when the next reminder is due, escalation)
- promise.py: when the caller is told to expect the call back (pure)
- assignment.py: the rules applied to the database (assign, remind, hand over), row-locked
- actions.py: what staff do to a callback (acknowledge, close, pass)
- call_back.py: `CALL <ref>`: the line rings the staff member and bridges the caller
- listen_links.py: expiring links to a message's recording
"""
