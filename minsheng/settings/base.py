"""Settings shared by every environment; each environment module overrides from here.

Everything that differs between machines comes from the environment (12-factor): DATABASE_URL, SECRET_KEY,
ALLOWED_HOSTS, FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY, EMAIL_URL-like settings, MEDIA_ROOT.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MINSHENG_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "minsheng.common.third_party_apps.TasksDatabaseConfig",  # django_tasks_db, named in Chinese in the admin
    "minsheng.common.third_party_apps.AxesConfig",  # axes, named in Chinese in the admin
    "minsheng.common",
    "minsheng.accounts",
    "minsheng.places",
    "minsheng.congresses",
    "minsheng.deputies",
    "minsheng.stations",
    "minsheng.units",
    "minsheng.imports",
    "minsheng.notifications",
    "minsheng.cases",
    "minsheng.activities",
    "minsheng.voting",
    "minsheng.projects",
    "minsheng.appraisals",
    "minsheng.insights",
    "minsheng.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Reads of the public pages, exports and statistics from the replica (does nothing without one).
    "minsheng.common.dbrouter.ReplicaMiddleware",
    # axes last: it turns a locked-out sign-in into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "minsheng.urls"
WSGI_APPLICATION = "minsheng.wsgi.application"
ASGI_APPLICATION = "minsheng.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "minsheng" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minsheng.common.context_processors.site",
                "minsheng.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'minsheng.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}


def tune_database(db: dict) -> dict:
    """SQLite needs WAL and IMMEDIATE transactions so the web process and the task worker can share it."""
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
        db["CONN_MAX_AGE"] = 0
    return db


tune_database(DATABASES["default"])
# A streaming read replica (README, "Deployment"; minsheng/common/dbrouter.py): the public pages, exports and
# statistics read from it, a browser that has just written reads from the primary for REPLICA_PIN_SECONDS.
# A test run treats it as a mirror of `default` (no test database is created on it: the primary's test database
# reaches it by replication, so reads through it may lag a test's commits; the suite runs without it).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["minsheng.common.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "minsheng.accounts.backends.UsernameOrMobileBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in lock-out (django-axes): failures are counted per username and client address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "minsheng.accounts.backends.axes_username"
# Behind reverse proxies set MINSHENG_TRUSTED_PROXY_COUNT so lock-outs count the client, not the proxy.
AXES_CLIENT_IP_CALLABLE = "minsheng.accounts.backends.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "minsheng" / "static"]
# Uploads: no URL serves MEDIA_ROOT (minsheng/urls.py has no media route, /media/... answers 404); files leave
# only through the guarded views (minsheng.common.uploads.file_response), in production by nginx's internal
# location (MINSHENG["SENDFILE"], README "Uploads").
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media")).resolve()


def check_media_root(media_root: Path, served: list[Path]) -> None:
    """Refuse a MEDIA_ROOT inside (or around) a folder that is served as it is: the static files."""
    from django.core.exceptions import ImproperlyConfigured

    media = Path(media_root).resolve()
    for folder in served:
        folder = Path(folder).resolve()
        if media.is_relative_to(folder) or folder.is_relative_to(media):
            raise ImproperlyConfigured(
                f"MEDIA_ROOT ({media}) must lie outside every served folder, and {folder} is served: "
                "uploads would be readable without the guarded views."
            )


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", str(20 * 1024 * 1024)))
check_media_root(MEDIA_ROOT, [STATIC_ROOT, *STATICFILES_DIRS])

# Personal data at rest: Fernet keys (first encrypts, all decrypt) and the HMAC key of the blind index.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
BLIND_INDEX_KEY = os.environ.get("BLIND_INDEX_KEY", "")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "minsheng.common.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "minsheng.common.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "minsheng.common.api.exception_handler",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Minsheng API",
    "DESCRIPTION": "民生: the REST API of the people's congress work platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    # The enums' hook first (it names the enums, splitting "" and null off as BlankEnum/NullEnum), then the
    # errors every operation can answer.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "minsheng.common.schema.document_errors",
    ],
    # Several models have a `kind` or `status`: name each choice set so the schema has no collisions.
    "ENUM_NAME_OVERRIDES": {
        "DonorKindEnum": "minsheng.accounts.models.DonorProfile.Kind",
        "DonorStatusEnum": "minsheng.accounts.models.DonorProfile.Status",
        "ImportKindEnum": "minsheng.imports.models.ImportJob.Kind",
        "ImportStatusEnum": "minsheng.imports.models.ImportJob.Status",
        "PlaceLevelEnum": "minsheng.places.models.Place.Level",
        "PlaceKindEnum": "minsheng.places.models.Place.Kind",
        "CongressLevelEnum": "minsheng.congresses.models.Congress.Level",
        "UnitLevelEnum": "minsheng.units.models.Unit.Level",
        "UnitKindEnum": "minsheng.units.models.Unit.Kind",
        "StationKindEnum": "minsheng.stations.models.Station.Kind",
        "ReceptionCategoryEnum": "minsheng.activities.models.Reception.Category",
        "ReceptionOutcomeEnum": "minsheng.activities.models.Reception.Outcome",
        "ReceptionMatterDisposalEnum": "minsheng.activities.models.ReceptionMatter.Disposal",
        "ReceptionMatterStatusEnum": "minsheng.activities.models.ReceptionMatter.Status",
        "FeedbackHowEnum": "minsheng.activities.models.ReceptionMatter.FeedbackHow",
        "UserRoleEnum": "minsheng.accounts.models.User.Role",
        "CaseKindEnum": "minsheng.cases.models.Case.Kind",
        "CaseStatusEnum": "minsheng.cases.models.Case.Status",
        "CaseCategoryEnum": "minsheng.cases.models.Case.Category",
        "ProposalRejectReasonEnum": "minsheng.voting.models.Proposal.RejectReason",
        "ProposalSourceEnum": "minsheng.voting.models.Proposal.Source",
        "CandidateOutcomeEnum": "minsheng.voting.models.CandidateResult.Outcome",
        # used by a list's and a detail's component alike (available_actions): the names they had
        "SolicitationStatusEnum": "minsheng.voting.models.Solicitation.Status",
        "ProposalStatusEnum": "minsheng.voting.models.Proposal.Status",
        "VoteStatusEnum": "minsheng.voting.models.VoteSession.Status",
        "VoteKindEnum": "minsheng.voting.models.VoteSession.Kind",
        "RefuseReasonEnum": "minsheng.cases.models.Case.RefuseReason",
        "BeneficiaryKindEnum": "minsheng.cases.models.Beneficiary.Kind",
        "BeneficiaryGroupEnum": "minsheng.cases.models.Beneficiary.Group",
        "AssignmentRoleEnum": "minsheng.cases.models.Assignment.Role",
        "AssignmentStatusEnum": "minsheng.cases.models.Assignment.Status",
        "ReassignmentDecisionEnum": "minsheng.cases.models.ReassignmentRequest.Decision",
        "ExtensionDecisionEnum": "minsheng.cases.models.ExtensionRequest.Decision",
        "HandlingRecordKindEnum": "minsheng.cases.models.HandlingRecord.Kind",
        "DocumentKindEnum": "minsheng.cases.models.Document.Kind",
        "ProjectStatusEnum": "minsheng.projects.models.Project.Status",
        "InspectionKindEnum": "minsheng.projects.models.Inspection.Kind",
        "RatingValueEnum": "minsheng.cases.models.Rating.Value",
        "SupervisionKindEnum": "minsheng.cases.models.SupervisionAction.Kind",
        "ClaimKindEnum": "minsheng.cases.models.Claim.Kind",
        "ClaimStatusEnum": "minsheng.cases.models.Claim.Status",
    },
}

# Content Security Policy: everything is served from this site; no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],  # ReDoc's search runs in a worker it makes from a blob
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SMS_GATEWAY = os.environ.get("SMS_GATEWAY", "minsheng.notifications.sms.LogGateway")
# The HTTP adapter (SMS_GATEWAY=minsheng.notifications.sms.HttpGateway): a JSON POST per message to URL, with
# `Authorization: Bearer TOKEN`; IDEMPOTENT when the gateway drops a second message with the same reference.
SMS_HTTP_GATEWAY = {
    "URL": os.environ.get("SMS_HTTP_URL", ""),
    "ACCOUNT": os.environ.get("SMS_HTTP_ACCOUNT", ""),
    "TOKEN": os.environ.get("SMS_HTTP_TOKEN", ""),
    "TIMEOUT": float(os.environ.get("SMS_HTTP_TIMEOUT", "10")),
    "IDEMPOTENT": os.environ.get("SMS_HTTP_IDEMPOTENT", "") == "1",
}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "minsheng@localhost")

# Minsheng's own settings: local variations are settings, not code edits.
MINSHENG = {
    "DEFAULT_CITY_CODE": os.environ.get("MINSHENG_DEFAULT_CITY", "440700"),
    "TRUSTED_PROXY_COUNT": int(os.environ.get("MINSHENG_TRUSTED_PROXY_COUNT", "0")),
    # Case rules that differ from the law's defaults for the whole installation (each congress can still
    # override them in its CaseRules): see minsheng/cases/rules.py DEFAULTS for the names.
    "CASE_RULES": {},
    # Voting rules that differ from the law's defaults for the whole installation (each congress can still
    # override them in its VotingRules): "quorum" ("2/3") and "tie_rule" ("further_ballot" or "leave_empty");
    # see minsheng/voting/rules.py DEFAULTS.
    "VOTING_RULES": {},
    # Periodic jobs enqueued by `manage.py scheduler`: (task path, hour of the day), daily from that hour; or
    # (task path, hour, minutes): every that many minutes from that hour on.
    "PERIODIC_TASKS": [
        ("minsheng.cases.tasks.send_reminders", 8),
        ("minsheng.insights.tasks.rebuild_case_stats", 0),
        ("minsheng.insights.tasks.refresh_case_stats", 0, 10),
        ("minsheng.insights.tasks.refresh_campaign_figures", 0, 10),
        ("minsheng.projects.tasks.send_milestone_reminders", 8),
        ("minsheng.cases.tasks.send_rating_reminders", 8),
        ("minsheng.insights.tasks.rebuild_duty_summaries", 1),
        ("minsheng.insights.tasks.refresh_duty_summaries", 0, 10),
        ("minsheng.insights.tasks.compute_points", 2),
        ("minsheng.activities.tasks.send_activity_reminders", 8),
        ("minsheng.notifications.tasks.send_digests", 18),
        ("minsheng.common.tasks.sweep_kept_uploads", 3),
    ],
    # The duty points (insights/points_services.py): a deputy may contest an entry of a points bulletin
    # (错重漏) within so many days of its publication.
    "POINTS_CONTEST_DAYS": int(os.environ.get("MINSHENG_POINTS_CONTEST_DAYS", "15")),
    "SITE_NAME": _("Minsheng"),
    # 抄送 of the printed answer letter (答复函, minsheng/cases/pdf.py) of a city or county congress's case: the
    # standing committee's committee that looks after deputies (a township congress's letter goes to its
    # presidium). Set it to the full name, e.g. "江门市人大常委会选举任免代表工作委员会".
    "ANSWER_LETTER_CC": os.environ.get("MINSHENG_ANSWER_LETTER_CC")
    or _(
        "the Election, Appointment and Deputies' Work Committee of the People's Congress Standing Committee"
    ),
    # The working-day calendar (minsheng/common/workdays.py): how often a process looks for a newly entered
    # official schedule (seconds), and from which day (month, day) the homes ask for next year's schedule.
    "WORKDAYS_RECHECK_SECONDS": int(os.environ.get("MINSHENG_WORKDAYS_RECHECK_SECONDS", "30")),
    "WORKDAYS_NOTICE_FROM": (11, 1),
    # Dates users enter are checked against sense (minsheng/common/validators.py): nothing before EARLIEST_DATE;
    # what happened not after today, what is planned at most PLANNED_YEARS_AHEAD years ahead.
    "EARLIEST_DATE": os.environ.get("MINSHENG_EARLIEST_DATE", "2000-01-01"),
    "PLANNED_YEARS_AHEAD": int(os.environ.get("MINSHENG_PLANNED_YEARS_AHEAD", "10")),
    # Receptions (activities): a reception day is scheduled (changed, cancelled) at least this many days ahead;
    # a matter sent on (to the town or a higher authority) is answered within this many working days.
    "RECEPTION_DAY_NOTICE_DAYS": int(os.environ.get("MINSHENG_RECEPTION_DAY_NOTICE_DAYS", "3")),
    "RECEPTION_MATTER_ANSWER_WORKING_DAYS": int(
        os.environ.get("MINSHENG_RECEPTION_MATTER_ANSWER_WORKING_DAYS", "15")
    ),
    # How a guarded view sends a stored file: "" (Django streams it) or "nginx" (an empty answer with
    # X-Accel-Redirect: SENDFILE_PREFIX + the stored path; nginx's internal location sends it). Production
    # defaults to "nginx" (settings/prod.py; README, "Uploads").
    "SENDFILE": os.environ.get("MINSHENG_SENDFILE", ""),
    "SENDFILE_PREFIX": os.environ.get("MINSHENG_SENDFILE_PREFIX", "/protected/"),
    # Jobs that survive a crash (minsheng/common/jobs.py): a running task writes a heartbeat every
    # TASK_HEARTBEAT_SECONDS; one whose heartbeat is older than TASK_LEASE_SECONDS lost its worker and is run
    # again, at most TASK_MAX_ATTEMPTS times in all. A day's periodic job whose task failed is enqueued again,
    # at most JOB_MAX_ATTEMPTS times a day.
    "TASK_HEARTBEAT_SECONDS": float(os.environ.get("MINSHENG_TASK_HEARTBEAT_SECONDS", "30")),
    "TASK_LEASE_SECONDS": float(os.environ.get("MINSHENG_TASK_LEASE_SECONDS", "300")),
    "TASK_MAX_ATTEMPTS": int(os.environ.get("MINSHENG_TASK_MAX_ATTEMPTS", "3")),
    "JOB_MAX_ATTEMPTS": int(os.environ.get("MINSHENG_JOB_MAX_ATTEMPTS", "3")),
    # The outbox of e-mail and SMS (minsheng/notifications/outbox.py): tries per message, the first wait
    # between tries (doubling each time, at most an hour) and how long a sender may hold a message it is sending.
    "OUTBOX_MAX_ATTEMPTS": int(os.environ.get("MINSHENG_OUTBOX_MAX_ATTEMPTS", "6")),
    "OUTBOX_RETRY_SECONDS": float(os.environ.get("MINSHENG_OUTBOX_RETRY_SECONDS", "60")),
    "OUTBOX_LEASE_SECONDS": float(os.environ.get("MINSHENG_OUTBOX_LEASE_SECONDS", "120")),
    # Read-your-writes with a read replica (minsheng/common/dbrouter.py): a browser that wrote reads everything
    # from the primary for so many seconds.
    "REPLICA_PIN_SECONDS": float(os.environ.get("MINSHENG_REPLICA_PIN_SECONDS", "5")),
    # Imports showing no sign of life for so long are failed by the scheduler's sweep.
    "IMPORT_STALE_MINUTES": int(os.environ.get("MINSHENG_IMPORT_STALE_MINUTES", "60")),
    # What `manage.py scheduler` runs on every tick besides the periodic jobs: dotted paths of functions
    # without arguments (the dead-task sweep, the outbox, the stale-import sweep).
    "SCHEDULER_SWEEPS": [
        "minsheng.common.jobs.tasks_recover",
        "minsheng.common.jobs.job_runs_recover",
        "minsheng.notifications.outbox.outbox_sweep",
        "minsheng.imports.services.import_sweep_stale",
    ],
    # Activities (minsheng/activities/activity_services.py): a deputy signs in by the QR code from so many
    # minutes before the start until so many minutes after the end; an activity lasts at most
    # ACTIVITY_MAX_DAYS days; a photo or a report is at most so many megabytes.
    "ACTIVITY_CHECKIN_EARLY_MINUTES": int(os.environ.get("MINSHENG_ACTIVITY_CHECKIN_EARLY_MINUTES", "30")),
    "ACTIVITY_CHECKIN_LATE_MINUTES": int(os.environ.get("MINSHENG_ACTIVITY_CHECKIN_LATE_MINUTES", "30")),
    "ACTIVITY_MAX_DAYS": int(os.environ.get("MINSHENG_ACTIVITY_MAX_DAYS", "14")),
    "ACTIVITY_UPLOAD_MAX_MB": int(os.environ.get("MINSHENG_ACTIVITY_UPLOAD_MAX_MB", "10")),
    # Checks on the records (minsheng/activities/checks.py): a reception not linked to a reception day lasts
    # RECEPTION_ASSUMED_MINUTES; two matters at one station in one ISO week are "the same" from this
    # similarity (0–1, difflib ratio); at most CHECKS_MATTERS_PER_WEEK matters of a station-week are compared.
    "RECEPTION_ASSUMED_MINUTES": int(os.environ.get("MINSHENG_RECEPTION_ASSUMED_MINUTES", "60")),
    "CHECKS_DUPLICATE_SIMILARITY": float(os.environ.get("MINSHENG_CHECKS_DUPLICATE_SIMILARITY", "0.8")),
    "CHECKS_MATTERS_PER_WEEK": int(os.environ.get("MINSHENG_CHECKS_MATTERS_PER_WEEK", "200")),
    # Public pages from the cache (minsheng/common/pagecache.py): on or off; how long browsers and proxies may
    # keep one (Cache-Control max-age, seconds); how long an entry lives in our cache at most (what changes
    # without a service's bump, a place's name, shows at most that late).
    "PUBLIC_PAGE_CACHE": env_bool("MINSHENG_PUBLIC_PAGE_CACHE", True),
    "PUBLIC_PAGE_MAX_AGE": int(os.environ.get("MINSHENG_PUBLIC_PAGE_MAX_AGE", "30")),
    "PUBLIC_PAGE_SECONDS": int(os.environ.get("MINSHENG_PUBLIC_PAGE_SECONDS", "600")),
    # Tests only: a dotted path called at each step of a long job (a reminder sent, an import batch written),
    # so that a test can kill a worker in the middle of one. None in every real installation.
    "JOB_STEP_HOOK": None,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
