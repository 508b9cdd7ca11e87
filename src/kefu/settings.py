"""kefu's only settings module.

Every value comes from a ``KEFU_*`` environment variable with a safe local
default. Parsers are strict: a bad value stops start-up with
``ImproperlyConfigured`` naming the variable. Secrets may also be given as
``KEFU_<NAME>_FILE`` pointing at a file that holds the value.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    """Return the variable, or the contents of ``<name>_FILE``, or ``default``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name!r}: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: expected true or false, got {raw!r}")


def env_int(name: str, *, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}: must be at least {minimum}, got {value}")
    return value


def env_choice(name: str, *, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name}: expected a comma-separated list, got {raw!r}")
    return items


DEBUG = env_bool("KEFU_DEBUG", default=False)
# The demo is on (`make run` sets it): local conveniences such as the development
# outbox at /dev/outbox/ (kefu.channels.dev_outbox). Never set it in production.
KEFU_DEMO = env_bool("KEFU_DEMO", default=False)
VAR_DIR = Path(env_str("KEFU_VAR_DIR", str(PROJECT_DIR / "var"))).resolve()
try:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
except OSError as exc:
    raise ImproperlyConfigured(f"KEFU_VAR_DIR: cannot create {VAR_DIR}: {exc}") from exc


def _secret_key() -> str:
    given = env_str("KEFU_SECRET_KEY", "")
    if given:
        if len(given) < 32:
            raise ImproperlyConfigured("KEFU_SECRET_KEY: must be at least 32 characters long")
        return given
    # No hard-coded secret: one is generated on first run and kept in var/.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("KEFU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("KEFU_CSRF_TRUSTED_ORIGINS", ["http://127.0.0.1:8000"])
SITE_URL = env_str("KEFU_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # django.contrib.admin, its admin modules imported with the URLconf (not at start-up).
    "kefu.core.admin_apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "kefu.core",
    "kefu.customers",
    "kefu.assist",
    "kefu.cases",
    "kefu.incidents",
    "kefu.workforce",
    "kefu.quality",
    "kefu.floor",
    "kefu.demo",
    "kefu.channels",
    "kefu.kb",
    "kefu.routing",
    "kefu.automation",
    "kefu.partner",
    "kefu.portal",
    "kefu.collab",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kefu.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kefu.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kefu.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kefu.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "kefu.urls"
WSGI_APPLICATION = "kefu.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kefu.core.context_processors.navigation",
                "kefu.core.context_processors.calendar_warnings",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env_str("KEFU_DATABASE_URL", "")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "kefu.sqlite3",
            "OPTIONS": {
                # WAL lets the web server, the worker and the clock loop read
                # while one of them writes.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"KEFU_DATABASE_URL: cannot parse {url!r}: {exc}") from exc
    if config.get("ENGINE") not in (
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    ):
        raise ImproperlyConfigured(
            "KEFU_DATABASE_URL: only postgresql:// and sqlite:// URLs are supported"
        )
    return dict(config)


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ATOMIC_REQUESTS = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "kefu_language"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the apps' static folders, so no collectstatic is needed
# for `make run` or the tests; production runs collectstatic (docs/operations.md).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("KEFU_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind HTTPS: redirect plain HTTP and send HSTS (KEFU_HSTS_SECONDS, 0 to leave it off).
SECURE_SSL_REDIRECT = env_bool("KEFU_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = env_int(
    "KEFU_HSTS_SECONDS", default=31_536_000 if SESSION_COOKIE_SECURE else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KEFU_HSTS_SUBDOMAINS", default=SESSION_COOKIE_SECURE)
SECURE_HSTS_PRELOAD = env_bool("KEFU_HSTS_PRELOAD", default=SESSION_COOKIE_SECURE)
# A reverse proxy that terminates TLS says so in X-Forwarded-Proto.
if env_bool("KEFU_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Every response (kefu.core.csp): scripts only from kefu's static files, never inline.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Failed logins: one generic message, at most this many failures per account
# and per address within the window, then refused until the window passes.
LOGIN_FAILURE_LIMIT = env_int("KEFU_LOGIN_FAILURE_LIMIT", default=5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("KEFU_LOGIN_FAILURE_WINDOW", default=900, minimum=1)


def _trusted_proxies() -> tuple[list[str], str]:
    """The proxies whose client-address header is believed, and that header.

    Default: neither, so the client address is REMOTE_ADDR. A header without
    the proxies allowed to set it would let any client choose its address.
    """
    proxies = env_list("KEFU_TRUSTED_PROXIES", [])
    for item in proxies:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"KEFU_TRUSTED_PROXIES: {item!r} is not an IP address or network"
            ) from None
    header = os.environ.get("KEFU_TRUSTED_PROXY_HEADER", "").strip()
    if header and not re.fullmatch(r"[A-Za-z0-9-]+", header):
        raise ImproperlyConfigured(
            f"KEFU_TRUSTED_PROXY_HEADER: expected a header name such as X-Forwarded-For, "
            f"got {header!r}"
        )
    if header and not proxies:
        raise ImproperlyConfigured(
            "KEFU_TRUSTED_PROXY_HEADER needs KEFU_TRUSTED_PROXIES: the addresses of the "
            "proxies allowed to set it"
        )
    if proxies and not header:
        raise ImproperlyConfigured(
            "KEFU_TRUSTED_PROXIES needs KEFU_TRUSTED_PROXY_HEADER: the header the proxies "
            "write the client's address into (X-Forwarded-For or X-Real-IP)"
        )
    return proxies, header


# The client address for the sign-in limits (kefu.core.requests.client_address).
KEFU_TRUSTED_PROXIES, KEFU_TRUSTED_PROXY_HEADER = _trusted_proxies()

# Background tasks: Django's tasks API; the database queue is the embedded
# default, RQ on Redis for several machines.
TASKS_BACKEND = env_choice(
    "KEFU_TASKS_BACKEND", default="database", choices=("database", "redis", "immediate")
)
REDIS_URL = env_str("KEFU_REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS_BACKEND == "redis" and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"KEFU_REDIS_URL: expected a redis:// URL, got {REDIS_URL!r}")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
if TASKS_BACKEND == "redis":
    # django_rq's app (the `rqworker` command) loads redis and its asyncio client:
    # about a third of a second that every other process (the mail pipe, the clock
    # loop on the database queue) would spend at start-up for nothing.
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks_db") + 1, "django_rq")

CLOCK_IDLE_SECONDS = env_int("KEFU_CLOCK_IDLE_SECONDS", default=2, minimum=1)
# The clock loop and the worker after a database error: drop the connection, wait
# 1, 2, 4 ... seconds up to the cap, and exit (status 75) after this many failures
# in a row so that the supervisor restarts them (kefu/core/recovery.py).
PROCESS_FAILURE_LIMIT = env_int("KEFU_PROCESS_FAILURE_LIMIT", default=20, minimum=1)
PROCESS_RETRY_MAX_SECONDS = env_int("KEFU_PROCESS_RETRY_MAX_SECONDS", default=30, minimum=1)
# /healthz answers 503 when the clock loop's heartbeat or the oldest queued task is
# older than this (seconds).
HEALTH_CLOCK_MAX_AGE_SECONDS = env_int("KEFU_HEALTH_CLOCK_MAX_AGE", default=300, minimum=60)
HEALTH_QUEUE_MAX_LAG_SECONDS = env_int("KEFU_HEALTH_QUEUE_MAX_LAG", default=300, minimum=1)

# Where SMS and chat go: "gateway" (KEFU_SMS_GATEWAY_URL, KEFU_CHAT_OUTBOUND_URL) or
# "outbox", the development outbox listed at /dev/outbox/ (the default only with
# KEFU_DEBUG or KEFU_DEMO, so a local desk sends without gateways; never in production).
KEFU_CHANNEL_BACKEND = env_choice(
    "KEFU_CHANNEL_BACKEND",
    default="outbox" if DEBUG or KEFU_DEMO else "gateway",
    choices=("gateway", "outbox"),
)
EMAIL_BACKEND = env_str(
    "KEFU_EMAIL_BACKEND",
    "kefu.channels.dev_outbox.OutboxEmailBackend"
    if KEFU_CHANNEL_BACKEND == "outbox"
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("KEFU_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("KEFU_EMAIL_PORT", default=25, minimum=1)
EMAIL_HOST_USER = env_str("KEFU_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("KEFU_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KEFU_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("KEFU_DEFAULT_FROM_EMAIL", "kefu@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            "KEFU_LOG_LEVEL", default="info", choices=("debug", "info", "warning", "error")
        ).upper(),
    },
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50

# --- channels ---
# Channel adapters in and out (kefu.channels). Secrets also read from *_FILE.
KEFU_MAX_ATTACHMENT_BYTES = env_int(
    "KEFU_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024, minimum=1
)
# A message whose delivery failed this many times is marked failed and not retried.
KEFU_DELIVERY_MAX_ATTEMPTS = env_int("KEFU_DELIVERY_MAX_ATTEMPTS", default=8, minimum=1)
# Automation (docs/automation.md): the SLA warning at this share of each target's
# working time (0 switches warnings off), and failures in a row that switch a rule off.
# The floor (docs/floor.md): a raised hand unanswered this long alerts the lead's lead and
# the real-time analysts; a special break this long asks the lead to look in, kindly.
KEFU_HAND_ALERT_MINUTES = env_int("KEFU_HAND_ALERT_MINUTES", default=3, minimum=1)
KEFU_SPECIAL_BREAK_CHECK_MINUTES = env_int(
    "KEFU_SPECIAL_BREAK_CHECK_MINUTES", default=20, minimum=1
)
KEFU_SLA_WARNING_PERCENT = env_int("KEFU_SLA_WARNING_PERCENT", default=75, minimum=0)
if KEFU_SLA_WARNING_PERCENT >= 100:
    raise ImproperlyConfigured("KEFU_SLA_WARNING_PERCENT: expected 0 (off) to 99")
KEFU_AUTOMATION_MAX_ERRORS = env_int("KEFU_AUTOMATION_MAX_ERRORS", default=5, minimum=1)
# Domain of the Message-IDs kefu generates for outbound mail.
KEFU_EMAIL_DOMAIN = env_str("KEFU_EMAIL_DOMAIN", "kefu.localhost")
KEFU_IMAP_HOST = env_str("KEFU_IMAP_HOST", "")
KEFU_IMAP_PORT = env_int("KEFU_IMAP_PORT", default=993, minimum=1)
KEFU_IMAP_USER = env_str("KEFU_IMAP_USER", "")
KEFU_IMAP_PASSWORD = env_str("KEFU_IMAP_PASSWORD", "")
KEFU_IMAP_SSL = env_bool("KEFU_IMAP_SSL", default=True)
KEFU_IMAP_MAILBOX = env_str("KEFU_IMAP_MAILBOX", "INBOX")
# Signs the chat webhook both ways; empty refuses every inbound chat message.
KEFU_CHAT_WEBHOOK_SECRET = env_str("KEFU_CHAT_WEBHOOK_SECRET", "")
KEFU_CHAT_OUTBOUND_URL = env_str("KEFU_CHAT_OUTBOUND_URL", "")
KEFU_SMS_GATEWAY_URL = env_str("KEFU_SMS_GATEWAY_URL", "")
KEFU_SMS_GATEWAY_KEY = env_str("KEFU_SMS_GATEWAY_KEY", "")
if KEFU_CHAT_OUTBOUND_URL and not KEFU_CHAT_OUTBOUND_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("KEFU_CHAT_OUTBOUND_URL: expected an http:// or https:// URL")
if KEFU_SMS_GATEWAY_URL and not KEFU_SMS_GATEWAY_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("KEFU_SMS_GATEWAY_URL: expected an http:// or https:// URL")
# Who sends SMS (docs/channels.md): "http" (the gateway above, free text), "aliyun"
# or "tencent" (approved templates only: the SMS template registry in the admin).
# Secrets also read from *_FILE. An endpoint is host[:port] or an http(s):// URL
# (a local fake in tests); empty: the provider's public endpoint.
KEFU_SMS_PROVIDER = env_choice(
    "KEFU_SMS_PROVIDER", default="http", choices=("http", "aliyun", "tencent")
)
KEFU_ALIYUN_ACCESS_KEY_ID = env_str("KEFU_ALIYUN_ACCESS_KEY_ID", "")
KEFU_ALIYUN_ACCESS_KEY_SECRET = env_str("KEFU_ALIYUN_ACCESS_KEY_SECRET", "")
KEFU_ALIYUN_SMS_SIGN_NAME = env_str("KEFU_ALIYUN_SMS_SIGN_NAME", "")
KEFU_ALIYUN_SMS_ENDPOINT = env_str("KEFU_ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com")
KEFU_TENCENT_SECRET_ID = env_str("KEFU_TENCENT_SECRET_ID", "")
KEFU_TENCENT_SECRET_KEY = env_str("KEFU_TENCENT_SECRET_KEY", "")
KEFU_TENCENT_SMS_SDK_APP_ID = env_str("KEFU_TENCENT_SMS_SDK_APP_ID", "")
KEFU_TENCENT_SMS_SIGN_NAME = env_str("KEFU_TENCENT_SMS_SIGN_NAME", "")
KEFU_TENCENT_SMS_ENDPOINT = env_str("KEFU_TENCENT_SMS_ENDPOINT", "sms.tencentcloudapi.com")
for _name, _endpoint in (
    ("KEFU_ALIYUN_SMS_ENDPOINT", KEFU_ALIYUN_SMS_ENDPOINT),
    ("KEFU_TENCENT_SMS_ENDPOINT", KEFU_TENCENT_SMS_ENDPOINT),
):
    if not _endpoint.strip() or any(c.isspace() for c in _endpoint.strip()):
        raise ImproperlyConfigured(f"{_name}: expected host[:port] or an http(s):// URL")
# How long the signed link to a full notice (/n/<token>/, sent in every SMS) opens.
KEFU_NOTICE_LINK_DAYS = env_int("KEFU_NOTICE_LINK_DAYS", default=30, minimum=1)
# WeChat Customer Service (微信客服, WeCom kf API; docs/channels.md). The secret, the
# callback token and the AES key are also read from *_FILE.
KEFU_WECOM_CORP_ID = env_str("KEFU_WECOM_CORP_ID", "")
KEFU_WECOM_KF_SECRET = env_str("KEFU_WECOM_KF_SECRET", "")
KEFU_WECOM_TOKEN = env_str("KEFU_WECOM_TOKEN", "")
KEFU_WECOM_AES_KEY = env_str("KEFU_WECOM_AES_KEY", "")
KEFU_WECOM_API_BASE = env_str("KEFU_WECOM_API_BASE", "https://qyapi.weixin.qq.com").rstrip("/")
if not KEFU_WECOM_API_BASE.startswith(("http://", "https://")):
    raise ImproperlyConfigured("KEFU_WECOM_API_BASE: expected an http:// or https:// URL")
if KEFU_WECOM_AES_KEY and len(KEFU_WECOM_AES_KEY) != 43:
    raise ImproperlyConfigured("KEFU_WECOM_AES_KEY: expected the 43-character EncodingAESKey")
# The WeChat Official Account (公众号; docs/channels.md): plain mode without an AES key,
# safe (encrypted) mode with one. The secret, token and AES key also from *_FILE.
KEFU_WECHAT_MP_APP_ID = env_str("KEFU_WECHAT_MP_APP_ID", "")
KEFU_WECHAT_MP_APP_SECRET = env_str("KEFU_WECHAT_MP_APP_SECRET", "")
KEFU_WECHAT_MP_TOKEN = env_str("KEFU_WECHAT_MP_TOKEN", "")
KEFU_WECHAT_MP_AES_KEY = env_str("KEFU_WECHAT_MP_AES_KEY", "")
KEFU_WECHAT_API_BASE = env_str("KEFU_WECHAT_API_BASE", "https://api.weixin.qq.com").rstrip("/")
if not KEFU_WECHAT_API_BASE.startswith(("http://", "https://")):
    raise ImproperlyConfigured("KEFU_WECHAT_API_BASE: expected an http:// or https:// URL")
if KEFU_WECHAT_MP_AES_KEY and len(KEFU_WECHAT_MP_AES_KEY) != 43:
    raise ImproperlyConfigured("KEFU_WECHAT_MP_AES_KEY: expected the 43-character EncodingAESKey")
# Staff alerts (docs/channels.md): the WeCom application that messages staff (same
# corp id and API base as above; the secret also from *_FILE), and the robot hosts.
KEFU_WECOM_AGENT_ID = env_str("KEFU_WECOM_AGENT_ID", "")
KEFU_WECOM_APP_SECRET = env_str("KEFU_WECOM_APP_SECRET", "")
if KEFU_WECOM_AGENT_ID and not KEFU_WECOM_AGENT_ID.isdigit():
    raise ImproperlyConfigured("KEFU_WECOM_AGENT_ID: expected the application's numeric AgentId")
KEFU_DINGTALK_API_BASE = env_str("KEFU_DINGTALK_API_BASE", "https://oapi.dingtalk.com").rstrip("/")
KEFU_FEISHU_API_BASE = env_str("KEFU_FEISHU_API_BASE", "https://open.feishu.cn").rstrip("/")
for _name, _base in (
    ("KEFU_DINGTALK_API_BASE", KEFU_DINGTALK_API_BASE),
    ("KEFU_FEISHU_API_BASE", KEFU_FEISHU_API_BASE),
):
    if not _base.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"{_name}: expected an http:// or https:// URL")

# The writing partner (docs/assist.md): any OpenAI-compatible chat completions API
# (Qwen through DashScope, DeepSeek, a local vLLM or Ollama). Off while
# KEFU_LLM_BASE_URL is empty: then no page shows a partner control. The key is
# also read from KEFU_LLM_API_KEY_FILE.
KEFU_LLM_BASE_URL = env_str("KEFU_LLM_BASE_URL", "").rstrip("/")
KEFU_LLM_API_KEY = env_str("KEFU_LLM_API_KEY", "")
KEFU_LLM_MODEL = env_str("KEFU_LLM_MODEL", "")
KEFU_LLM_TIMEOUT_SECONDS = env_int("KEFU_LLM_TIMEOUT_SECONDS", default=30, minimum=1)
# Prompt plus answer tokens a calendar month may spend; past it, calls stop.
KEFU_LLM_MONTHLY_TOKEN_BUDGET = env_int(
    "KEFU_LLM_MONTHLY_TOKEN_BUDGET", default=2_000_000, minimum=1
)
if KEFU_LLM_BASE_URL and not KEFU_LLM_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("KEFU_LLM_BASE_URL: expected an http:// or https:// URL")
if KEFU_LLM_BASE_URL and not KEFU_LLM_MODEL:
    raise ImproperlyConfigured("KEFU_LLM_MODEL: name the model when KEFU_LLM_BASE_URL is set")

# Fields encrypted at rest (a candidate's national ID): comma-separated Fernet
# keys, the first encrypts, all decrypt (rotation, see docs/floor.md). Empty: a
# key kefu generates into var/field_key (kefu.core.field_keys), separate from the
# secret key. Also read from KEFU_FIELD_KEY_FILE.
KEFU_FIELD_KEY = env_str("KEFU_FIELD_KEY", "")
# Encrypts `kefu backup` archives when set (or --passphrase-file); `kefu restore` needs it.
KEFU_BACKUP_PASSPHRASE = env_str("KEFU_BACKUP_PASSPHRASE", "")

# Request size limits: Django's defaults, stated on purpose (docs/security.md).
# Cap the request body at the reverse proxy too (e.g. nginx client_max_body_size 25m).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
NINJA_PAGINATION_MAX_LIMIT = 1000  # matches core.pagination.BoundedLimitOffsetPagination
