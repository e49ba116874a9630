"""统一社会信用代码 (GB 32100-2015) and the older 15-digit 注册号."""

from __future__ import annotations

import unicodedata
from enum import Enum

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


class CodeCheck(Enum):
    VALID = "valid"  # an 18-character code whose check character matches
    REGISTRATION_NUMBER = "registration_number"  # a 15-digit 注册号 (no checksum to test)
    CHECKSUM_FAILED = "checksum_failed"  # right shape, wrong check character: warn, allow
    MALFORMED = "malformed"  # neither shape: ask again


def normalize_code(text: str) -> str:
    """Upper-case, half-width, without spaces or dashes people paste in."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(ch for ch in folded if ch not in " -_\u3000")


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    remainder = 31 - total % 31
    return CHARSET[0 if remainder == 31 else remainder]


def check_code(code: str) -> CodeCheck:
    if len(code) == 15 and code.isdigit():
        return CodeCheck.REGISTRATION_NUMBER
    if len(code) != 18 or any(ch not in CHARSET for ch in code):
        return CodeCheck.MALFORMED
    if not code[2:8].isdigit():
        return CodeCheck.MALFORMED
    if check_character(code[:17]) != code[17]:
        return CodeCheck.CHECKSUM_FAILED
    return CodeCheck.VALID
