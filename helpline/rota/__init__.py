"""The duty rota: when the line is open and who is on duty.

- rules.py: the pure rules (office hours, holidays, closures, on duty in ringing order, the
  next opening); no clock, no database, no Flask
- load.py: reads what the rules need from the database
- changes.py: validated changes to shifts, office hours and closures, audited
- csv_import.py: the rota's CSV import (checked whole before anything is written)
- coverage.py: gaps in the rota; feeds.py: the iCalendar feeds; localtime.py: ISO times in the
  line's zone
"""
