"""The plan's own settings, driven by the environment: the workbook's limits, the quality
check's and the early warnings' thresholds, the reminders, the proxies, open data and its
API, and the public pages."""

from .base import ALLOWED_HOSTS, PRODUCTION, env

# The plan workbook (relance/workbook): an upload larger than this is refused before it is
# read, and so is one that would unpack to more than ten times as much (a zip bomb).
RELANCE_WORKBOOK_MAX_BYTES = env.int("RELANCE_WORKBOOK_MAX_BYTES", default=20 * 1024 * 1024)
# A request body may declare at most this much (Content-Length): the workbook and its form
# fields. A larger one is refused before a byte of it is read (relance.middleware).
RELANCE_UPLOAD_MAX_BYTES = RELANCE_WORKBOOK_MAX_BYTES + 1024 * 1024
# Form fields are held in memory up to this size; an uploaded file past
# FILE_UPLOAD_MAX_MEMORY_SIZE streams to a temporary file on disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# The quality check (relance/quality): the thresholds of its rules. Amounts in euro.
RELANCE_QUALITY = {
    # paid_exceeds_committed: VEK may exceed VAK by this much (rounding) before it is found.
    "paid_over_committed_eur": 0,
    # committed_exceeds_budget: VAK may exceed the budget by this share (0.05 is 5%).
    "committed_over_budget_share": 0,
    # money_decreased: a fall of VAK or VEK of at most this much is a rounding, not found.
    "decrease_tolerance_eur": 0,
    # overdue_future_milestone: days past its deadline a milestone may still be "toekomstig".
    "future_grace_days": 0,
    # unchanged_fiche: how many open milestones must have fallen due since the previous round.
    "unchanged_min_due": 1,
}

# Deadline reminders (milestones/reminders.py): the days, counted from a deadline (negative
# before it), on which each reminder is due. A stage that no scan sent on its day (no worker,
# no Redis) is still sent up to RELANCE_REMINDER_CATCH_UP_DAYS later, never once the item's
# next stage is due.
RELANCE_REMINDER_OFFSETS = {
    # The domain's editors, for every fiche of the open round not yet submitted.
    "fiche": (-7, -1, 1),
    # The coordinators: one overview of every missing fiche, by domain.
    "missing_fiches": (3,),
    # The domain's editors, for every milestone not realised or stopped (its forecast date
    # when delayed).
    "milestone": (-14, 1),
    # The domain's editors and the coordinators, for every open follow-up action of a raised
    # flag, counted from its due date.
    "follow_up": (-7, 1),
}
RELANCE_REMINDER_CATCH_UP_DAYS = env.int("RELANCE_REMINDER_CATCH_UP_DAYS", default=3)

# Early warnings (relance/fiches/early_warnings.py): when the data of a fiche suggest an
# orange or a red flag. Each reason below counts once, whatever the number of milestones it
# is about; the suggestion is red with "red_reasons" reasons or more, or with one of the
# "severe" reasons, and orange with fewer. Advice only: a coordinator accepts or dismisses it.
RELANCE_EARLY_WARNING = {
    # More than this percentage of the milestones due by the reference date (stopped ones
    # aside) is delayed, counted where at least "delayed_min_due" milestones are due.
    "delayed_share_pct": 50,
    "delayed_min_due": 3,
    # A milestone not realised nor stopped whose expected date moved later this many times.
    "postponements": 3,
    # Past this percentage of the project's duration, VEK below this percentage of VAK.
    "paid_elapsed_pct": 75,
    "paid_share_pct": 50,
    "red_reasons": 2,
    "severe": ("end_date_passed", "follow_up_overdue"),
}
# Mails link back to the application: its address as users reach it, without a trailing slash.
RELANCE_BASE_URL = env.str(
    "RELANCE_BASE_URL",
    default=f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if PRODUCTION else "http://127.0.0.1:8000",
).rstrip("/")

# The reverse proxies in front of the application, each adding the address it saw to
# X-Forwarded-For: open data's throttles, the lockout and the password reset's limit all take
# the client's address from the last of them (projects/accounts/addresses.py).
RELANCE_PROXIES = env.int("RELANCE_PROXIES", default=1 if PRODUCTION else 0)

# Open data (relance/api, relance/opendata): public, read-only, closed rounds only. Every
# caller is anonymous there and throttled per address, in the default cache.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "open_data": env.str("RELANCE_API_RATE", default="120/minute"),
        "open_data_download": env.str("RELANCE_DOWNLOAD_RATE", default="30/hour"),
        # The write API (/api/rounds/<code>/fiches/<project>/), per signed-in user (token).
        "fiche_api": env.str("RELANCE_FICHE_API_RATE", default="60/minute"),
    },
    # The proxies in front of the application: the client's address is the one the last of
    # them saw (X-Forwarded-For), so that no client picks its own throttling address.
    "NUM_PROXIES": RELANCE_PROXIES,
    "EXCEPTION_HANDLER": "relance.api.errors.exception_handler",
}
# The licence of every published dataset (the open-data page, the zip's LICENSE file, the
# DCAT-AP catalogue and the API schema): the Flemish government's free re-use licence.
RELANCE_OPEN_DATA_LICENCE = {
    "name": "Modellicentie Gratis Hergebruik",
    "url": (
        "https://www.vlaanderen.be/digitaal-vlaanderen/onze-oplossingen/open-data/"
        "voorwaarden-voor-het-hergebruik-van-overheidsinformatie/modellicentie-gratis-hergebruik"
    ),
}
# The public dashboard (relance/public) keeps its pages this long in the default cache, per
# closed round and language; a round that closes starts new keys at once, so this bounds
# only how long a renamed speerpunt or project keeps its old name there.
RELANCE_PUBLIC_CACHE_SECONDS = env.int("RELANCE_PUBLIC_CACHE_SECONDS", default=15 * 60)
# A closed round's summary and comparison (relance/summary/cache.py,
# relance/reporting/comparison.py) are kept this long, keyed the same way.
RELANCE_SUMMARY_CACHE_SECONDS = env.int("RELANCE_SUMMARY_CACHE_SECONDS", default=60 * 60)
SPECTACULAR_SETTINGS = {
    "LICENSE": RELANCE_OPEN_DATA_LICENCE,
    "TITLE": "Relance open data",
    "DESCRIPTION": (
        "The published data of the Flemish recovery plan Vlaamse Veerkracht: projects, and per "
        "closed reporting round its figures, fiches and milestone statuses: read-only, for "
        "anyone. The delivering entities read and write their fiche of the open round at "
        "/api/rounds/{code}/fiches/{project}/ with their API token (`Authorization: Token "
        "KEY`; see /account/), with the same rules, checks and access as the fiche form: "
        "GET gives an ETag, PATCH and submit need it back in If-Match."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/",
    # Swagger UI from drf-spectacular-sidecar's static files, never a CDN; no call to the
    # public validator either (its badge would fetch from outside).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Request bodies get their own components, so that a write's may be closed (below).
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "relance.api.schema.close_request_bodies",
        "relance.api.schema.forbid_nul_in_text",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "projects.models.statuses.ProjectStatus",
        "MilestoneStatusEnum": "milestones.models.MilestoneState",
    },
}
