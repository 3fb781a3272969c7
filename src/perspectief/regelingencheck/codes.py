"""The anonymous reopen code: generated from a safe alphabet, stored only as a keyed hash."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.utils.encoding import force_bytes

from .constants import CODE_ALFABET, CODE_GROEP_LENGTE, CODE_GROEPEN


def code_maken() -> str:
    """A new random code such as 'KM4T-9RXC' (secrets: cryptographically random)."""
    groepen = ["".join(secrets.choice(CODE_ALFABET) for _ in range(CODE_GROEP_LENGTE)) for _ in range(CODE_GROEPEN)]
    return "-".join(groepen)


def code_normaliseren(tekst: str) -> str:
    """What people type ('km4t 9rxc', 'KM4T9RXC', 'km4t-9rxc') to the stored form; '' when it
    cannot be a code. The alphabet leaves out look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V), so
    a character outside it is a typing error, not another code."""
    tekens = "".join(teken for teken in tekst.upper() if teken.isalnum())
    if len(tekens) != CODE_GROEPEN * CODE_GROEP_LENGTE or any(teken not in CODE_ALFABET for teken in tekens):
        return ""
    return "-".join(tekens[i : i + CODE_GROEP_LENGTE] for i in range(0, len(tekens), CODE_GROEP_LENGTE))


def _sleutel() -> bytes:
    return hashlib.sha256(b"perspectief.regelingencheck.code:" + force_bytes(settings.SECRET_KEY)).digest()


def code_hash(code: str) -> str:
    """HMAC-SHA256 of the normalised code with a key derived from SECRET_KEY: a leaked
    database alone does not reveal or test codes."""
    return hmac.new(_sleutel(), force_bytes(code_normaliseren(code) or code), hashlib.sha256).hexdigest()


def herkomst_hash(ip_address: str | None) -> str:
    """A keyed hash of the visitor's IP address, for the guessing limit (no address stored)."""
    return hmac.new(_sleutel(), force_bytes(f"ip:{ip_address or '-'}"), hashlib.sha256).hexdigest()
