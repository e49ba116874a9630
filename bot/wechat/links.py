"""Signed, expiring links to a WeChat user's finished draft page.

A link is `/wechat/drafts/<id>.<expiry>.<signature>`: a random id (the store knows whose draft
it opens), the expiry as Unix seconds, and an HMAC-SHA256 of both under a key derived from
WEB_SECRET with its own purpose label. Nothing about the user is in the URL; a forged, altered
or expired link is refused before the database is asked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from bot.wechat_store import WeChatStore

LIFETIME = timedelta(hours=24)
TOKEN_SHAPE = re.compile(r"([A-Za-z0-9_-]{16,43})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})")
PURPOSE = b"wechat-draft-link"


class DraftLinks:
    """Makes and reads draft links; `public_url` is the server's https:// root."""

    def __init__(self, store: WeChatStore, secret: bytes, public_url: str,
                 lifetime: timedelta = LIFETIME) -> None:
        self.store = store
        self._key = hmac.new(secret, PURPOSE, hashlib.sha256).digest()
        self.public_url = public_url.rstrip("/")
        self.lifetime = lifetime

    def _mac(self, link_id: str, expires: int) -> str:
        digest = hmac.new(self._key, f"{link_id}.{expires}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    async def make(self, user_id: str, draft: int, now: datetime) -> str:
        """A fresh link to `draft` of `user_id`, valid for `lifetime` from `now`."""
        link_id = secrets.token_urlsafe(16)
        expires_at = now + self.lifetime
        expires = int(expires_at.timestamp())
        await self.store.add_link(link_id, user_id, draft, now, expires_at)
        return f"{self.public_url}/wechat/drafts/{link_id}.{expires}.{self._mac(link_id, expires)}"

    async def read(self, token: str, now: datetime) -> tuple[str, int] | None:
        """(user id, draft number) of a valid, unexpired link; None for anything else."""
        shape = TOKEN_SHAPE.fullmatch(token)
        if shape is None:
            return None
        link_id, expires, signature = shape[1], int(shape[2]), shape[3]
        if not hmac.compare_digest(signature, self._mac(link_id, expires)):
            return None
        if expires < int(now.timestamp()):
            return None
        return await self.store.link(link_id, now)
