"""The demo: the whole line on one machine, a demo rota, and a simulated day of calls.

- database.py: the demo's own database, emptied at every run (never DATABASE_URL's);
- seed.py: the demo rota (office hours, four staff, this week's shifts), idempotent;
- processes.py: starting and stopping Redis, web, worker, sweeper and the fake Twilio;
- day.py: the six calls of the simulated day and what each one left behind;
- run.py: ``helpline demo`` (``./scripts/run``), which puts these together.
"""
