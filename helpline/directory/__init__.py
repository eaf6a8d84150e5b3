"""The map of help ("tiekartta"): the directory of help services, referrals that reach the caller,
and the wrap-up of every answered live call.

- rules.py (pure): is a service open now or when does it open, searching the map, which service
  a code or the start of a name means
- hours.py (pure): a service's weekly hours as JSON (the office-hours format) and as words
  ("ma-pe 9-15, la 10-14") that people write and read
- csv_import.py (pure): a directory CSV read and checked, every problem named by its line
- store.py: reading and changing services (audited), importing a checked file, the map's view
  counter
- referrals.py: the one SMS a referred caller gets with the service's details
- wrap_up.py: the wrap-up SMS after a live call, and recording a wrap-up (SMS, page, API)
"""
