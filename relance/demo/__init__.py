"""The demo plan: Vlaamse Veerkracht as published, with the gaps filled plausibly.

What is real comes from shared/data/reference (the speerpunten, the policy domains, the
known clusters and projects with their titles and budgets, and the published figures of
every round; ``data.ROUNDS`` says per round what is published and what is chosen).
Everything else is generated from a fixed seed, and every generated project carries
``is_demo``. The published figures are reproduced exactly:

==========  ======================================================  ====================
round       projects                                                money (VAK / VEK)
==========  ======================================================  ====================
2021-03     180: 91 opgestart, 77 in uitvoering, 1 oranje (VV168),  310 M / 21 M (chosen)
            11 niet gestart
2021-09     180: 26 opgestart, 149 in uitvoering, 1 oranje,         750 M / 76.8 M
            4 niet gestart
2021-12     180: 153 in uitvoering, 17 opgestart, 1 gerealiseerd,   1 522.63 M / 218.8 M
            7 oranje, 2 niet gestart                                (+142 M VEK)
2022-06     180: 9 opgestart, 162 in uitvoering, 2 gerealiseerd,    46.5 % / 10 % of
            5 oranje, 1 rood, 1 niet gestart (as named)             4.3 bn
2022-12     181: 162 in uitvoering, 3 opgestart, 13 gerealiseerd    4 085 M / 1 309 M
            (+ 2 oranje, 1 rood: not published, chosen here)
2023-12     181: 33 gerealiseerd, 141 in uitvoering, 3 stopgezet,   4 168 M / 2 162 M
            4 aandacht; 1483 of 1753 milestones on schedule or
            realised
2024-12     159 (22 left the plan): 53 gerealiseerd, 92 in          4 164 M / 3 052 M
            uitvoering, 3 stopgezet, 2 oranje, 9 rood               (+890 M VEK)
==========  ======================================================  ====================

The plan is built the way it happened: VV181 arrives in December 2022 with 6 million moved
out of VV028, VV033 and VV101, so the earlier rounds keep the budgets they had; a realised or
stopped project is carried forward unchanged into every later round; a flag raised at a
round's close goes on in the next while the project stays flagged. The open round is opened
with ``relance.services.open_round``, as the application opens one.
"""

from .load import load_demo_plan
from .plan import DemoPlan

__all__ = ["DemoPlan", "load_demo_plan"]
