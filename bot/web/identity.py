"""Who is asking, without accounts: an anonymous id in a signed cookie, and CSRF tokens.

The cookie holds `<user id>.<signature>`, the signature an HMAC-SHA256 of the id under the
WEB_SECRET key, so a browser can present only an id this server handed out (or one reached
with a link code). The CSRF token of a form is another HMAC of the same id, under a different
purpose label: a page of another site can neither read it nor compute it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

COOKIE_NAME = "cb_user"
USER_PREFIX = "web:"
# A year: the drafts stay this browser's until the user deletes them or clears the cookie.
COOKIE_MAX_AGE = 365 * 24 * 3600


class Signer:
    """Signs and checks the user cookie and the CSRF tokens with one secret key."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the signing secret is too short")
        self._secret = secret

    def _mac(self, purpose: str, value: str) -> str:
        digest = hmac.new(self._secret, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    @staticmethod
    def new_user_id() -> str:
        """128 random bits: nobody can guess another browser's id."""
        return USER_PREFIX + secrets.token_urlsafe(16)

    def cookie_value(self, user_id: str) -> str:
        return f"{user_id}.{self._mac('user', user_id)}"

    def read_cookie(self, value: str | None) -> str | None:
        """The user id in a cookie this server signed; None for anything else."""
        if not value or "." not in value:
            return None
        user_id, _, signature = value.rpartition(".")
        if not user_id.startswith(USER_PREFIX):
            return None
        if not hmac.compare_digest(signature, self._mac("user", user_id)):
            return None
        return user_id

    def csrf_token(self, user_id: str) -> str:
        return self._mac("csrf", user_id)

    def csrf_ok(self, user_id: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(str(token), self.csrf_token(user_id))
