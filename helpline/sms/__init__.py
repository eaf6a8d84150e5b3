"""SMS: the outbox (every SMS the line sends), the staff command parser and the SMS composers.

- outbox.py: SMS are rows first, sent by a job after commit, at most once
- commands.py: the pure parser of staff commands (OK, DONE, PASS, CALL, HELP, STOP)
- texts.py: the SMS that join several texts of helpline.texts (the words of every SMS, in fi/sv/en)
- gsm7.py: GSM-7 and UCS-2 segment counting
"""
