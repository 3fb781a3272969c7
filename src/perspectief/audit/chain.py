"""The hash chain: how one audit entry's hash is computed from its fields."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

# The fields covered by the hash, in order. Changing this list invalidates old chains.
HASHED_FIELDS = (
    "volgnummer",
    "tijdstip",
    "actor_id",
    "actor_gebruikersnaam",
    "actor_rol",
    "actie",
    "object_type",
    "object_id",
    "huishouden_id",
    "resultaat",
    "herkomst_ip",
    "kanaal",
    "request_id",
    "doel",
    "details",
    "vorige_hash",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def entry_hash(fields: dict[str, Any]) -> str:
    payload = {name: _canonical(fields[name]) for name in HASHED_FIELDS}
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()
