"""Every sentence a user sees lives in the catalog, and every key the code names exists."""

from __future__ import annotations

import io
import re
import string
import tokenize
from pathlib import Path

from flows.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent
PROSE = re.compile(r"[\u4e00-\u9fff]{5,}|[\u4e00-\u9fff][，。！？：；]")
# Proper nouns and vocabulary tables (data, not prose) may hold Chinese.
DATA_MODULES = {"flows/regions.py"}
DATA_FOLDERS = ("flows/understanding/",)


def _prose_literals(path: Path) -> list[str]:
    """String literals that read as sentences: a run of 5+ Chinese characters or CJK
    punctuation. Docstrings, comments and raw strings (patterns) are not user-facing."""
    found = []
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text("utf-8")).readline))
    for index, token in enumerate(tokens):
        if token.type != tokenize.STRING or token.string.lstrip("bfu").startswith(("r", "R")):
            continue
        previous = tokens[index - 1].type if index else tokenize.NEWLINE
        if previous in (tokenize.INDENT, tokenize.NEWLINE, tokenize.NL, tokenize.DEDENT):
            continue  # a docstring or a bare string statement
        if PROSE.search(token.string):
            found.append(f"{path.relative_to(ROOT)}:{token.start[0]}: {token.string}")
    return found


def test_code_holds_no_chinese_prose() -> None:
    offenders = []
    for folder in ("flows", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if relative in DATA_MODULES or relative.startswith(DATA_FOLDERS):
                continue
            offenders += _prose_literals(path)
    assert not offenders, "\n".join(offenders)


def test_every_catalog_key_named_in_code_exists(catalog: Catalog) -> None:
    named = set()
    for folder in ("flows", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            named |= set(re.findall(r'"((?:error|warn|note|draft|option|upload|scope|start|new|'
                                    r'idle|done|confirm|restart|delete|help|privacy|back|skip|'
                                    r'cancel|edit|drafts|continue|terminal|story|question|'
                                    r'suggest|format|key|check|warning|demand_phrase|case|remind|reminders)'
                                    r'\.[a-z_]+)"', text))
    missing = sorted(key for key in named if not catalog.has(key))
    assert not missing, missing


def test_templates_are_well_formed(catalog: Catalog) -> None:
    for key in catalog:
        fields = [name for _, name, _, _ in string.Formatter().parse(catalog.text(key)) if name]
        assert all(re.fullmatch(r"[a-z_]+", name) for name in fields), (key, fields)


def test_every_field_and_option_has_its_words(catalog: Catalog) -> None:
    from flows.fields import FIELDS

    for spec in FIELDS.values():
        assert catalog.has(f"field.{spec.name}.prompt"), spec.name
        assert catalog.has(f"field.{spec.name}.label"), spec.name
        for code in spec.choices if spec.label_prefix else ():
            assert catalog.has(f"{spec.label_prefix}.{code}"), (spec.name, code)
