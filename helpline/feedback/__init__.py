"""What callers say afterwards (one feedback SMS after a callback is closed) and how the staff are
coping (the monthly wellbeing pulse): the rules (pure), the texts, and the database side."""
