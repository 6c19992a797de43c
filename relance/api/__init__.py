"""The open data API (/api/): public, read-only JSON of the closed rounds.

Django REST Framework views over the queries of relance/opendata; the OpenAPI schema is
drf-spectacular's, at /api/schema/. No view signs anyone in: every caller is anonymous,
throttled per address (``throttling.py``), and paged by cursor.
"""
