"""Open data: what the public may read of the plan, without signing in.

Only closed rounds are published: their figures never change again, and every fiche in
them went through the review. An open or draft round does not exist here (404), so no
draft text reaches the public. Two outlets read the same queries (``queries.py``): the
JSON API (relance/api) and the zip download per closed round (``archive.py``) on
``/open-data/``.
"""
