"""The demo plan: Vlaamse Veerkracht as published, with the gaps filled plausibly.

What is real comes from shared/data/reference (the speerpunten, the policy domains, the
known clusters and projects with their titles and budgets, and the published totals of
December 2021, 2022 and 2023). Everything else is generated from a fixed seed, and every
generated project carries ``is_demo``. The published figures are reproduced exactly:

==========  ======================================================  =================
round       projects                                                money
==========  ======================================================  =================
2021-12     180: 153 in uitvoering, 17 opgestart, 1 gerealiseerd,   VAK 1 522 630 000
            7 oranje, 2 niet gestart                                VEK   218 800 000
2022-12     181: 162 in uitvoering, 3 opgestart, 13 gerealiseerd    VAK 4 085 000 000
            (+ 2 oranje, 1 rood: not published, chosen here)        VEK 1 309 000 000
2023-12     181: 33 gerealiseerd, 141 in uitvoering, 3 stopgezet,   VAK 4 168 000 000
            4 aandacht; 1483 of 1753 milestones on schedule or      VEK 2 162 000 000
            realised
==========  ======================================================  =================

The plan is built the way it happened: VV181 arrives in 2022 with 6 million moved out of
VV028, VV033 and VV101, so the 2021 round keeps the budgets it had.
"""

from .load import load_demo_plan
from .plan import DemoPlan

__all__ = ["DemoPlan", "load_demo_plan"]
