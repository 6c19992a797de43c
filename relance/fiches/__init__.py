"""The fiche: one project's report in one round, as one package.

- ``services``: saving the owners' fiche (``save_fiche``); ``indicators``: the indicators
  the open round defines (``save_indicator_definitions``);
- ``checks``: the one registry of rules that judge a fiche, alone or against the previous
  round; ``snapshots``: the fiche as the rules see it, built for many fiches at once;
- ``review``: the coordinators' review (approve, return, flag, lift, confirm, carry flags,
  follow-up actions);
- ``early_warnings``: the suggestions of an orange or red flag, two rules of the registry,
  and the coordinators' dismissal of one;
- ``forms``, ``views`` (the fiche page) and ``review_views`` (the review actions on it).
"""

# The early warnings register their rules into ``checks``' registry: imported with the
# package, so the registry is complete wherever it is used.
from . import early_warnings  # noqa: E402, F401
