"""The protocol functions against WeChat's published test vectors.

- The signature examples of WeChat's message-push guide (Token "AAAAA") and of wechatpy's
  tests (Token "test").
- The safe-mode cipher vectors from wechatpy's tests (taken from WeChat's sample code): the
  same AES-CBC/PKCS#7(32) scheme serves official accounts and WeCom, the AppID (here a corp
  id) closing the plaintext. Encryption is checked byte for byte with the sample's fixed
  16-byte random prefix, decryption on the sample's cipher text and msg_signature.
"""

from __future__ import annotations

import pytest

from bot.wechat.protocol import (
    MessageCrypto,
    ProtocolError,
    aes_key,
    cdata,
    parse_xml,
    read_incoming,
    sign,
    signature_ok,
    text_reply,
)

# WeChat's guide: Token="AAAAA", timestamp=1714037059, nonce=486452656.
GUIDE = ("AAAAA", "1714037059", "486452656", "899cf89e464efb63f54ddac96b0a0a235f53aa78")
# wechatpy tests/test_utils.py
WECHATPY = ("test", "1410685589", "test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff")

SAMPLE_TOKEN = "123456"
SAMPLE_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
SAMPLE_ID = "wx49f0ab532d5d035a"
SAMPLE_BODY = b"""<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>
<Encrypt><![CDATA[RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=]]></Encrypt>
<AgentID><![CDATA[1]]></AgentID>
</xml>"""
SAMPLE_SIGNATURE = ("74d92dfeb87ba7c714f89d98870ae5eb62dff26d", "1411525903", "461056294")
SAMPLE_REPLY = """<xml>
<MsgType><![CDATA[text]]></MsgType>
<Content><![CDATA[test]]></Content>
<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>
<ToUserName><![CDATA[messense]]></ToUserName>
<AgentID>1</AgentID>
<CreateTime>1411525903</CreateTime>
</xml>"""
SAMPLE_ENCRYPTED_REPLY = (
    "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBq"
    "GsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nF"
    "hHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbg"
    "X05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3yp"
    "D3WeK2XeFYFMNMpatF9XiKzHo3")
SAMPLE_REPLY_SIGNATURE = "407518b7649e86ef23978113f92d27afa9296533"


@pytest.mark.parametrize("vector", [GUIDE, WECHATPY])
def test_the_published_signatures(vector: tuple[str, str, str, str]) -> None:
    token, timestamp, nonce, expected = vector
    assert sign(token, timestamp, nonce) == expected
    assert signature_ok(token, expected, timestamp, nonce)
    assert signature_ok(token, expected.upper(), timestamp, nonce)
    wrong = expected[:-1] + ("0" if expected[-1] != "0" else "1")
    assert not signature_ok(token, wrong, timestamp, nonce)
    assert not signature_ok(token, expected, timestamp, nonce + "1")


def test_the_sample_message_decrypts() -> None:
    crypto = MessageCrypto(SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_ID)
    xml = crypto.open(SAMPLE_BODY, *SAMPLE_SIGNATURE)
    message = read_incoming(xml)
    assert (message.from_user, message.content, message.msg_type) == ("messense", "test", "text")
    assert message.dedupe_key == "msg:4363689963896700987"


def test_the_sample_reply_encrypts_byte_for_byte() -> None:
    crypto = MessageCrypto(SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_ID)
    sealed = parse_xml(crypto.seal(SAMPLE_REPLY, "461056294", "1411525903",
                                   random=b"1234567890123456"))
    assert sealed["Encrypt"] == SAMPLE_ENCRYPTED_REPLY
    assert sealed["MsgSignature"] == SAMPLE_REPLY_SIGNATURE
    assert (sealed["TimeStamp"], sealed["Nonce"]) == ("1411525903", "461056294")


def test_a_wrong_msg_signature_another_account_or_garbage_is_refused() -> None:
    crypto = MessageCrypto(SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_ID)
    signature, timestamp, nonce = SAMPLE_SIGNATURE
    with pytest.raises(ProtocolError):
        crypto.open(SAMPLE_BODY, signature.replace("7", "8"), timestamp, nonce)
    other = MessageCrypto(SAMPLE_TOKEN, SAMPLE_KEY, "wx0000000000000000")
    with pytest.raises(ProtocolError):
        other.open(SAMPLE_BODY, *SAMPLE_SIGNATURE)
    with pytest.raises(ProtocolError):
        crypto.decrypt("bm90IGEgY2lwaGVyIHRleHQ=")
    with pytest.raises(ProtocolError):
        crypto.decrypt("%%%")


def test_round_trip_with_chinese_text_of_every_length() -> None:
    crypto = MessageCrypto("token", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxabc")
    for length in range(0, 70):
        text = "投诉" * length + "x" * (length % 3)
        assert crypto.decrypt(crypto.encrypt(text)) == text


def test_the_aes_key_has_43_characters() -> None:
    assert len(aes_key(SAMPLE_KEY)) == 32
    with pytest.raises(ValueError):
        aes_key(SAMPLE_KEY[:-1])


def test_xml_with_entities_is_refused() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>')
    with pytest.raises(ProtocolError):
        parse_xml(bomb)
    external = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                b"<xml><Content>&e;</Content></xml>")
    with pytest.raises(ProtocolError):
        parse_xml(external)
    with pytest.raises(ProtocolError):
        parse_xml(b"<html></html>")


def test_a_reply_keeps_any_text_inside_cdata() -> None:
    tricky = "a]]>b<c>&d"
    reply = parse_xml(text_reply("oUser", "gh_account", tricky, now=1))
    assert reply["Content"] == tricky
    assert parse_xml(f"<xml><A>{cdata(tricky)}</A></xml>")["A"] == tricky


def test_events_are_told_apart_by_sender_and_time() -> None:
    event = read_incoming(b"<xml><ToUserName>gh</ToUserName><FromUserName>oU</FromUserName>"
                          b"<CreateTime>123</CreateTime><MsgType>event</MsgType>"
                          b"<Event>subscribe</Event></xml>")
    assert event.dedupe_key == "event:oU:123" and event.event == "subscribe"
