"""Production profile: secure cookies, HSTS, required secrets. Passes `check --deploy`."""

import os

os.environ.setdefault("SECURE_COOKIES", "true")

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from .base import *  # noqa: E402,F401,F403
from .base import (  # noqa: E402
    BSN_BLIND_INDEX_KEY,
    BSN_ENCRYPTION_KEYS,
    SECRET_KEY,
    SECRET_KEY_FALLBACKS,
    env,
)

DEBUG = False
if "demo" in SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production.")
# The public demo key must not verify or decrypt anything (waiting uploads use keys derived
# from SECRET_KEY and its fallbacks).
if any("demo" in key for key in SECRET_KEY_FALLBACKS):
    raise ImproperlyConfigured("SECRET_KEY_FALLBACKS must not hold the demo key in production.")
if BSN_BLIND_INDEX_KEY.startswith("demo") or any("ZGVtby1vbmx5" in k for k in BSN_ENCRYPTION_KEYS):
    raise ImproperlyConfigured("BSN_ENCRYPTION_KEYS and BSN_BLIND_INDEX_KEY must be set in production.")

# The demo resident login is for the embedded demo only; production names its methods
# (DigiD through an OIDC broker) explicitly.
INWONER_LOGIN_METHODS = [code for code in env.list("INWONER_LOGIN_METHODS", default=[]) if code != "demo"]

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
STATIC_ROOT = env.path("STATIC_ROOT", default="/var/lib/perspectief/static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
