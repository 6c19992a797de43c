"""What the Government, the committees and the public see of a round: the dashboard, the
comparison with the round before and the progress report.

Every figure comes from ``relance.summary.round_summary``; this package arranges the
figures for the pages and adds what a summary does not hold (the rows behind the figures:
which projects moved, which milestones slipped, the fiches of the report).
"""
