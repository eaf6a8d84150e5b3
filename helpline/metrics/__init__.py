"""The figures the parishes asked for: how many called, how fast they were answered, how it ended.

- rows.py: the plain rows (no database) every figure is computed from
- figures.py, response.py: each figure, a pure function of rows
- compute.py: all figures for a period and per ISO week
- identity.py: the keyed hash that counts repeat callers without their numbers
- load.py: the queries that produce the rows for a period
- export.py: JSON and CSV (figures, and anonymised rows); report.py: the monthly HTML report
- charts.py: server-rendered SVG charts (report and Metrics page)
- prometheus.py: the operators' /metrics endpoint
"""
