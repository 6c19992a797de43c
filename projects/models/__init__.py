from .indicators import Indicator, IndicatorKind, IndicatorValue
from .plan import Cluster, PolicyDomain, Project, Speerpunt
from .review import FlagLevel, FollowUpAction, ReviewAction, ReviewEvent, StatusFlag
from .rounds import Fiche, ProjectStatus, ReportingRound, ReviewState
from .users import User

__all__ = [
    "Cluster",
    "Fiche",
    "FlagLevel",
    "FollowUpAction",
    "ReviewAction",
    "ReviewEvent",
    "StatusFlag",
    "Indicator",
    "IndicatorKind",
    "IndicatorValue",
    "PolicyDomain",
    "Project",
    "ProjectStatus",
    "ReportingRound",
    "ReviewState",
    "Speerpunt",
    "User",
]
