"""Resident login methods: a small registry so DigiD (OIDC broker) can be plugged in later.

A method has a code, a label for the button and the name of the URL that starts it.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True, slots=True)
class InwonerLoginMethod:
    code: str
    label: str
    url_name: str


_REGISTRY: dict[str, InwonerLoginMethod] = {}


def register(method: InwonerLoginMethod) -> None:
    _REGISTRY[method.code] = method


def enabled_methods() -> list[InwonerLoginMethod]:
    codes = getattr(settings, "INWONER_LOGIN_METHODS", ["demo"])
    return [_REGISTRY[code] for code in codes if code in _REGISTRY]


def is_enabled(code: str) -> bool:
    return any(method.code == code for method in enabled_methods())


register(InwonerLoginMethod(code="demo", label="Inloggen met demo-account", url_name="toegang:inwoner_demo_login"))
