"""WeChat's callback protocol for official accounts: signatures, safe-mode crypto, XML.

Pure functions over bytes and strings, written on `cryptography` and `defusedxml` rather than
on wechatpy (see the README, "Running on WeChat"): the whole protocol is these few functions.

- Every callback carries `signature = sha1(sorted(token, timestamp, nonce))`.
- In safe mode (`encrypt_type=aes`) the body is `<xml><Encrypt>…</Encrypt></xml>` and the URL
  also carries `msg_signature = sha1(sorted(token, timestamp, nonce, encrypt))`. The cipher is
  AES-256-CBC with key `base64(EncodingAESKey + "=")` and IV the key's first 16 bytes; the
  plaintext is `16 random bytes + length (4 bytes, network order) + xml + AppID`, padded to a
  multiple of 32 bytes the PKCS#7 way.
- A passive reply is one XML message; in safe mode it is encrypted the same way and signed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
import time
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from defusedxml import ElementTree

BLOCK = 32  # WeChat pads to 32 bytes, not AES's 16
ENCODING_AES_KEY_LENGTH = 43


class ProtocolError(Exception):
    """A request that did not come from WeChat as configured (bad signature, bad cipher text,
    another account's AppID, malformed XML)."""


def sign(*parts: str) -> str:
    """WeChat's signature: SHA-1 of the parts sorted as strings and joined."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def signature_ok(token: str, signature: str, timestamp: str, nonce: str) -> bool:
    return hmac.compare_digest(sign(token, timestamp, nonce), signature.lower())


# ---- safe mode ------------------------------------------------------------------------------


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte key behind the 43-character EncodingAESKey."""
    if len(encoding_aes_key) != ENCODING_AES_KEY_LENGTH:
        raise ValueError("an EncodingAESKey has 43 characters")
    key = base64.b64decode(encoding_aes_key + "=")
    if len(key) != 32:
        raise ValueError("an EncodingAESKey decodes to 32 bytes")
    return key


class MessageCrypto:
    """Encrypts and decrypts message bodies for one account (token, key, AppID)."""

    def __init__(self, token: str, encoding_aes_key: str, app_id: str) -> None:
        self.token = token
        self.key = aes_key(encoding_aes_key)
        self.app_id = app_id

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def encrypt(self, text: str, random: bytes | None = None) -> str:
        """`text` as WeChat's base64 cipher text; `random` (16 bytes) only for test vectors."""
        body = text.encode("utf-8")
        prefix = random if random is not None else os.urandom(16)
        plain = prefix + struct.pack(">I", len(body)) + body + self.app_id.encode("utf-8")
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")

    def decrypt(self, encrypted: str) -> str:
        """The XML inside WeChat's cipher text; refuses another account's messages."""
        try:
            data = base64.b64decode(encrypted, validate=True)
            decryptor = self._cipher().decryptor()
            plain = decryptor.update(data) + decryptor.finalize()
        except ValueError as error:
            raise ProtocolError("cipher text is not valid") from error
        pad = plain[-1] if plain else 0
        if not 1 <= pad <= BLOCK or len(plain) < 20 + pad:
            raise ProtocolError("cipher text padding is not valid")
        content = plain[16:-pad]
        (length,) = struct.unpack(">I", content[:4])
        if length > len(content) - 4:
            raise ProtocolError("cipher text length is not valid")
        xml, app_id = content[4:4 + length], content[4 + length:]
        if not hmac.compare_digest(app_id, self.app_id.encode("utf-8")):
            raise ProtocolError("message for another account")
        try:
            return xml.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ProtocolError("message is not UTF-8") from error

    def open(self, body: bytes, msg_signature: str, timestamp: str, nonce: str) -> str:
        """The plaintext XML of an encrypted callback body, after checking its signature."""
        encrypted = parse_xml(body).get("Encrypt", "")
        if not encrypted:
            raise ProtocolError("no Encrypt element")
        expected = sign(self.token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected, msg_signature.lower()):
            raise ProtocolError("msg_signature does not match")
        return self.decrypt(encrypted)

    def seal(self, xml: str, nonce: str, timestamp: str | None = None,
             random: bytes | None = None) -> str:
        """An encrypted, signed envelope around a reply."""
        stamp = timestamp or str(int(time.time()))
        encrypted = self.encrypt(xml, random)
        signature = sign(self.token, stamp, nonce, encrypted)
        return ("<xml>\n"
                f"<Encrypt>{cdata(encrypted)}</Encrypt>\n"
                f"<MsgSignature>{cdata(signature)}</MsgSignature>\n"
                f"<TimeStamp>{stamp}</TimeStamp>\n"
                f"<Nonce>{cdata(nonce)}</Nonce>\n"
                "</xml>")


# ---- XML --------------------------------------------------------------------------------


def parse_xml(body: bytes | str) -> dict[str, str]:
    """The flat `<xml><Name>value</Name>…</xml>` WeChat sends, as a dict. defusedxml refuses
    entity expansion and external references, so a hostile body cannot blow up or read files."""
    try:
        root: Element = ElementTree.fromstring(body)
    except Exception as error:  # ParseError and defusedxml's refusals alike
        raise ProtocolError("body is not the XML WeChat sends") from error
    if root.tag != "xml":
        raise ProtocolError("body is not the XML WeChat sends")
    return {child.tag: (child.text or "").strip() for child in root}


@dataclass(frozen=True)
class Incoming:
    """One message or event from a user, as WeChat pushes it."""

    to_user: str  # the official account (gh_…)
    from_user: str  # the user's OpenID for this account
    create_time: int
    msg_type: str  # text | image | voice | video | shortvideo | location | link | file | event
    content: str = ""
    msg_id: str = ""
    media_id: str = ""
    voice_format: str = ""
    event: str = ""

    @property
    def dedupe_key(self) -> str:
        """What identifies a retry: the MsgId, or for events (which have none) the sender
        and the creation time, as WeChat's documentation advises."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"event:{self.from_user}:{self.create_time}"


def read_incoming(xml: str | bytes) -> Incoming:
    fields = parse_xml(xml)
    if not fields.get("FromUserName") or not fields.get("MsgType"):
        raise ProtocolError("message without sender or type")
    try:
        create_time = int(fields.get("CreateTime") or 0)
    except ValueError as error:
        raise ProtocolError("CreateTime is not a number") from error
    return Incoming(
        to_user=fields.get("ToUserName", ""), from_user=fields["FromUserName"],
        create_time=create_time, msg_type=fields["MsgType"].lower(),
        content=fields.get("Content", ""), msg_id=fields.get("MsgId", ""),
        media_id=fields.get("MediaId", ""), voice_format=fields.get("Format", "").lower(),
        event=fields.get("Event", "").lower())


def cdata(text: str) -> str:
    """Text inside CDATA; a "]]>" in it is split across two sections."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(to_user: str, from_account: str, content: str, now: int | None = None) -> str:
    """A passive text reply to `to_user` (their OpenID) from the account."""
    stamp = now if now is not None else int(time.time())
    return ("<xml>"
            f"<ToUserName>{cdata(to_user)}</ToUserName>"
            f"<FromUserName>{cdata(from_account)}</FromUserName>"
            f"<CreateTime>{stamp}</CreateTime>"
            f"<MsgType>{cdata('text')}</MsgType>"
            f"<Content>{cdata(content)}</Content>"
            "</xml>")
