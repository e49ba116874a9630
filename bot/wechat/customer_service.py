"""Customer-service messages (客服消息): text pushed to a user outside a passive reply.

Only a verified account has them, only within 48 hours of the user's last message, and the
server's IP must be on the account's whitelist. The access token (valid 7200 s) is fetched
with the AppID and AppSecret and kept until shortly before it expires, or until WeChat says
it is no longer valid. `send` returns False for anything WeChat refuses (out of the 48-hour
window 45015, no permission 48001, …): the caller keeps the text for the user's next message.
"""

from __future__ import annotations

import asyncio
import logging
import time

import httpx

log = logging.getLogger(__name__)

STALE_TOKEN_ERRORS = (40001, 40014, 42001)  # invalid / malformed / expired access token
TOKEN_MARGIN = 300  # seconds before expiry a token is renewed


class CustomerService:
    def __init__(self, api_base_url: str, app_id: str, app_secret: str,
                 client: httpx.AsyncClient | None = None) -> None:
        self.api = api_base_url.rstrip("/")
        self.app_id = app_id
        self._secret = app_secret
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0))
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        await self._client.aclose()

    async def _access_token(self, renew: bool = False) -> str | None:
        async with self._lock:
            if renew or self._token is None or time.monotonic() >= self._expires:
                response = await self._client.get(f"{self.api}/cgi-bin/token", params={
                    "grant_type": "client_credential", "appid": self.app_id,
                    "secret": self._secret})
                data = response.json()
                if "access_token" not in data:
                    log.warning("WeChat refused an access token: errcode %s", data.get("errcode"))
                    self._token = None
                    return None
                self._token = str(data["access_token"])
                lifetime = float(data.get("expires_in", 7200))
                self._expires = time.monotonic() + max(lifetime - TOKEN_MARGIN, lifetime / 2)
            return self._token

    async def send(self, open_id: str, text: str) -> bool:
        """Push one text message; True when WeChat accepted it."""
        try:
            for attempt in range(2):
                token = await self._access_token(renew=attempt > 0)
                if token is None:
                    return False
                response = await self._client.post(
                    f"{self.api}/cgi-bin/message/custom/send", params={"access_token": token},
                    json={"touser": open_id, "msgtype": "text", "text": {"content": text}})
                code = int(response.json().get("errcode", 0))
                if code == 0:
                    return True
                if code not in STALE_TOKEN_ERRORS:
                    log.info("WeChat refused a customer-service message: errcode %s", code)
                    return False
        except (httpx.HTTPError, ValueError) as error:
            log.warning("customer-service message failed: %s", type(error).__name__)
        return False
