"""Settings for the test suite: the base settings with fast hashing and no lockout noise."""

import os

os.environ.setdefault("DEBUG", "false")

from .base import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# The API throttle would otherwise count requests across tests (tests/regelingen tests it).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute"}}  # noqa: F405
# Tests never read or write the project's own anchor file (var/); a test that needs one
# sets its own (tests/audit/test_anker.py).
AUDIT_ANKER_BESTAND = ""
