from .fiches import Fiche, ReviewState
from .findings import FindingNote, NoteKind
from .indicators import Indicator, IndicatorDefinition, IndicatorKind, IndicatorValue
from .plan import Cluster, PolicyDomain, Project, Speerpunt, TransitionCoefficient
from .review import FlagLevel, FollowUpAction, ReviewAction, ReviewEvent, StatusFlag
from .rounds import ReportingRound
from .statuses import ProjectStatus
from .users import User

__all__ = [
    "Cluster",
    "Fiche",
    "FindingNote",
    "NoteKind",
    "FlagLevel",
    "FollowUpAction",
    "ReviewAction",
    "ReviewEvent",
    "StatusFlag",
    "Indicator",
    "IndicatorDefinition",
    "IndicatorKind",
    "IndicatorValue",
    "PolicyDomain",
    "Project",
    "ProjectStatus",
    "ReportingRound",
    "ReviewState",
    "Speerpunt",
    "TransitionCoefficient",
    "User",
]
