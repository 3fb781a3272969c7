"""The waiting room for large statement uploads: a file too large to read in while the
budgetbeheerder waits is stored here, encrypted, until the import task reads it.

Bank statements hold personal data (names, IBANs, what residents pay), and the folder is
often a volume shared by web and worker, so a waiting file is never plain on disk:

- Fernet (AES-128-CBC + HMAC-SHA256): a changed or truncated file is refused, not imported.
  Fernet holds the whole file in memory (plain text plus the ~4/3 larger token); uploads
  are at most 50 MB (``views.afschriften.MAX_BESTAND``), so that is acceptable.
- Written under a temporary name and renamed into place (``os.replace``), so a reader
  never sees half a file; mode 0600 in a 0700 folder.
- ``opruimen`` removes files older than ``HUISHOUDBOEKJE_UPLOAD_MAX_UUR`` hours: a file
  whose task never ran or whose worker died does not stay forever.

Key: derived from SECRET_KEY with HKDF-SHA256 and a label for this purpose only, not the
BSN keys and not SECRET_KEY itself. Why not a setting of its own: a waiting file lives for
hours, web and worker already share SECRET_KEY, production already refuses the demo
SECRET_KEY, and Django's SECRET_KEY_FALLBACKS give rotation (the newest key encrypts, all
decrypt) without a new secret to distribute. A file that waits during a rotation beyond
the fallbacks is refused (and cleaned up) like a tampered one.
"""

from __future__ import annotations

import base64
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

VOORVOEGSEL = "afschrift-"
DEEL = ".deel"  # suffix of a file still being written
_HKDF_LABEL = b"perspectief.huishoudboekje.wachtrij.v1"


class BestandOnleesbaar(ValueError):
    """The waiting file cannot be decrypted: changed on disk, or encrypted with a key that
    is no longer configured. Nothing of it may be imported."""


def _sleutel(secret: str) -> Fernet:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_LABEL)
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret.encode())))


def _fernet() -> MultiFernet:
    """Newest key first (encrypts), then the fallbacks (decrypt only). Derived on each use:
    cheap, and a key change in the settings needs no cache to be cleared."""
    geheimen = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_sleutel(geheim) for geheim in geheimen])


def wachtkamer() -> Path:
    """The folder (HUISHOUDBOEKJE_UPLOAD_DIR), created private to this user. Web and worker
    must share it."""
    map_ = Path(settings.HUISHOUDBOEKJE_UPLOAD_DIR)
    map_.mkdir(mode=0o700, parents=True, exist_ok=True)
    return map_


def opslaan(stukken: Iterable[bytes]) -> str:
    """Encrypt the upload's chunks into a new file with a random name; returns its path.
    On any error nothing stays behind."""
    token = _fernet().encrypt(b"".join(stukken))
    descriptor, tijdelijk = tempfile.mkstemp(prefix=VOORVOEGSEL, suffix=DEEL, dir=wachtkamer())  # mode 0600
    try:
        with os.fdopen(descriptor, "wb") as doel:
            doel.write(token)
            doel.flush()
            os.fsync(doel.fileno())  # on disk before the task can be told about it
        pad = tijdelijk.removesuffix(DEEL)
        os.replace(tijdelijk, pad)
    except BaseException:
        Path(tijdelijk).unlink(missing_ok=True)
        raise
    return pad


def lezen(pad: str | os.PathLike) -> bytes:
    """The plain bytes of a waiting file (:func:`ontsleutelen`); FileNotFoundError when it
    was already removed."""
    return ontsleutelen(Path(pad).read_bytes())


def ontsleutelen(token: bytes) -> bytes:
    """The plain bytes of a waiting file's content. BestandOnleesbaar when it was changed
    or its key is gone."""
    try:
        return _fernet().decrypt(token)
    except InvalidToken:
        raise BestandOnleesbaar(
            "waiting statement file cannot be decrypted: changed on disk, or encrypted with a "
            "SECRET_KEY that is no longer in SECRET_KEY or SECRET_KEY_FALLBACKS"
        ) from None


def verwijderen(pad: str | os.PathLike) -> None:
    Path(pad).unlink(missing_ok=True)


def opruimen(*, max_uur: float | None = None, nu: float | None = None) -> int:
    """Remove waiting files (and half-written ones) older than ``max_uur`` hours (default:
    setting HUISHOUDBOEKJE_UPLOAD_MAX_UUR); returns how many. Only our own names are
    touched; the age is the file's modification time."""
    max_uur = settings.HUISHOUDBOEKJE_UPLOAD_MAX_UUR if max_uur is None else max_uur
    grens = (time.time() if nu is None else nu) - max_uur * 3600
    weg = 0
    for pad in wachtkamer().glob(f"{VOORVOEGSEL}*"):
        try:
            if pad.is_file() and pad.stat().st_mtime < grens:
                pad.unlink()
                weg += 1
        except FileNotFoundError:  # a task removed it in the meantime
            continue
    return weg
