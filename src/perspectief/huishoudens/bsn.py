"""BSN handling: validation (11-proef), encryption at rest, keyed blind index, masking.

The BSN is stored only encrypted (Fernet, keys rotatable: the first key encrypts, all keys
decrypt). Lookups use an HMAC-SHA256 blind index with a separate key, so the database can
find a person by BSN without being able to read BSNs.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import bsn as stdnum_bsn


class OngeldigBSN(ValueError):
    pass


_BSN_MESSAGE = "Dit BSN klopt niet. Een BSN heeft 9 cijfers en moet de elfproef doorstaan."
_SEPARATORS = str.maketrans("", "", " .-")


def bsn_normalise(value: str) -> str:
    """Returns the 9-digit BSN or raises OngeldigBSN with a Dutch message.

    Spaces, dots and hyphens are ignored. Only 9 digits, or 8 for an old number whose
    leading zero was dropped, are a BSN: python-stdnum would pad any shorter number with
    zeros (so "115" would pass as 000000115)."""
    digits = str(value).strip().translate(_SEPARATORS)
    if len(digits) not in (8, 9) or not (digits.isascii() and digits.isdigit()):
        raise OngeldigBSN(_BSN_MESSAGE)
    try:
        return stdnum_bsn.validate(digits)
    except StdnumValidationError as error:
        raise OngeldigBSN(_BSN_MESSAGE) from error


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.BSN_ENCRYPTION_KEYS])


def bsn_encrypt(bsn: str) -> bytes:
    return _fernet().encrypt(bsn.encode())


def bsn_decrypt(token: bytes) -> str:
    return _fernet().decrypt(bytes(token)).decode()


def bsn_blind_index(bsn: str) -> str:
    key = settings.BSN_BLIND_INDEX_KEY.encode()
    return hmac.new(key, bsn.encode(), hashlib.sha256).hexdigest()


def bsn_mask(bsn: str) -> str:
    return "*****" + bsn[-4:]


def clear_key_cache() -> None:
    """For tests and key rotation at run time."""
    _fernet.cache_clear()
