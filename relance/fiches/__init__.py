"""The fiche: one project's report in one round, as one package.

- ``services``: saving the owners' fiche (``save_fiche``); ``indicators``: the indicators
  the open round defines (``save_indicator_definitions``);
- ``checks``: the one registry of rules that judge a fiche, alone or against the previous
  round; ``snapshots``: the fiche as the rules see it, built for many fiches at once;
- ``review``: the coordinators' review (approve, return, flag, lift, confirm, carry flags,
  follow-up actions);
- ``forms``, ``views`` (the fiche page) and ``review_views`` (the review actions on it).
"""
