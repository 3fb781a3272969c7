"""Reading the demo accounts (for `demo_logins` and `demo_totp`)."""

import base64
import time
from dataclasses import dataclass

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from perspectief.toegang.constants import Rol
from perspectief.toegang.models import Gebruiker

from . import constants as c
from .services import totp_key_hex

_ORDER = [rol for rol, *_ in c.MEDEWERKERS]


class GeenDemoAccount(Exception):
    pass


@dataclass(frozen=True, slots=True)
class DemoAccount:
    rol: str
    rol_label: str
    username: str
    totp_base32: str  # empty for the resident account (no second factor)


def _demo_users():
    return Gebruiker.objects.filter(
        gemeente__cbs_code=c.GEMEENTE_CBS_CODE, username__startswith=c.DEMO_USERNAME_PREFIX
    )


def demo_accounts() -> list[DemoAccount]:
    """The demo accounts in a fixed order: the staff roles, then the resident."""
    accounts = []
    for gebruiker in _demo_users():
        if gebruiker.rol:
            secret = base64.b32encode(bytes.fromhex(totp_key_hex(gebruiker.username))).decode()
            accounts.append(DemoAccount(gebruiker.rol, str(Rol(gebruiker.rol).label), gebruiker.username, secret))
        else:
            accounts.append(DemoAccount("inwoner", "Inwoner", gebruiker.username, ""))
    return sorted(accounts, key=lambda a: (_ORDER.index(a.rol) if a.rol in _ORDER else len(_ORDER), a.username))


def demo_totp_code(*, username: str, at: float | None = None) -> tuple[str, int]:
    """The current code and the seconds it stays valid, only for a demo account of Voorbeeld
    whose device still has the known demo secret (never for anyone else's account)."""
    gebruiker = _demo_users().filter(username=username).exclude(rol="").first()
    if gebruiker is None:
        raise GeenDemoAccount(
            f"'{username}' is geen demo-medewerker van gemeente {c.GEMEENTE_NAAM}. "
            "Alleen voor demo-accounts kan de inlogcode worden getoond."
        )
    key_hex = totp_key_hex(username)
    device = TOTPDevice.objects.filter(user=gebruiker, confirmed=True, key=key_hex).first()
    if device is None:
        raise GeenDemoAccount(f"Het account '{username}' heeft niet (meer) de demo-sleutel. Maak de demo opnieuw.")
    now = time.time() if at is None else at
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    totp.time = now
    seconds_left = device.step - int(now - device.t0) % device.step
    return f"{totp.token():0{device.digits}d}", seconds_left
