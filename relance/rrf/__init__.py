"""RRF reporting: a round's RRF projects in the field layout of the European Commission's
Recovery and Resilience Scoreboard (scoreboard.py), as xlsx and CSV (files.py)."""
