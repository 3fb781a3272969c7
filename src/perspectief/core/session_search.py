"""Search terms kept out of URLs.

Search terms (names, BSN, postcode) are personal data. A search form POSTs; the term is
stored in the session, encrypted with the BSN keys (the session table stores its data
signed, not encrypted), and the result URL carries only a random token. Each list keeps
its own few most recent searches under its own session key."""

import secrets

from cryptography.fernet import InvalidToken

from perspectief.huishoudens.bsn import bsn_decrypt, bsn_encrypt

KEPT_SEARCHES = 10


def store_search_term(request, term: str, *, session_key: str) -> str:
    """Keeps ``term`` in the session and returns the token that stands for it."""
    searches = request.session.get(session_key, {})
    token = secrets.token_urlsafe(9)
    searches[token] = bsn_encrypt(term).decode()
    request.session[session_key] = dict(list(searches.items())[-KEPT_SEARCHES:])
    return token


def stored_search_term(request, token: str, *, session_key: str) -> str:
    """The term behind ``token``, or "" when it is unknown or from before a key change
    (treated as an expired search)."""
    stored = request.session.get(session_key, {}).get(token, "")
    try:
        return bsn_decrypt(stored.encode()) if stored else ""
    except InvalidToken:
        return ""
