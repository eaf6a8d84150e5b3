"""Blocked numbers (contract section 6): a supervisor keeps a number from reaching the line for
some days.

- rules.py (pure): the keyed hash a number is matched by, when a block ends, whether it is in force
- store.py: blocks in the database (add, remove, list, is this caller blocked now)
"""
