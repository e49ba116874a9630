"""Long answers cut into parts of at most 2048 bytes, at section, line and sentence ends."""

from __future__ import annotations

from bot.wechat.paging import MAX_BYTES, paginate, reply_text, size
from flows.catalog import Catalog
from flows.model import Option, Reply


def footer(number: int, total: int) -> str:
    return f"({number}/{total}) reply 1"


def strip_footers(parts: list[str]) -> list[str]:
    total = len(parts)
    return [part.removesuffix(f"\n\n{footer(n, total)}") for n, part in enumerate(parts, 1)]


def test_a_short_text_is_one_part() -> None:
    assert paginate("你好", footer) == ["你好"]


def test_sections_stay_whole_and_every_part_fits() -> None:
    sections = [f"【第{n}节】\n" + "这是一句完整的话。" * 60 for n in range(1, 5)]
    text = "\n\n".join(sections)
    parts = paginate(text, footer)
    assert len(parts) >= 4
    assert all(size(part) <= MAX_BYTES for part in parts)
    assert [part.endswith(footer(n, len(parts))) for n, part in enumerate(parts, 1)] == [
        True] * (len(parts) - 1) + [False]
    assert strip_footers(parts) == sections  # each section fits a part: one part each


def test_a_long_paragraph_is_cut_at_sentence_ends() -> None:
    sentence = "商家拒绝退货，还说鞋子是我自己穿坏的。"
    text = sentence * 200
    parts = strip_footers(paginate(text, footer))
    assert len(parts) > 1
    assert "".join(parts) == text
    assert all(part.endswith("。") for part in parts)


def test_a_run_on_sentence_is_cut_between_characters() -> None:
    text = "长" * 2000
    parts = strip_footers(paginate(text, footer))
    assert "".join(parts) == text
    assert all(size(part) <= MAX_BYTES for part in paginate(text, footer))


def test_lines_of_a_long_block_are_kept_in_order() -> None:
    lines = [f"第{n}行：" + "内容" * 30 for n in range(60)]
    text = "\n".join(lines)
    parts = strip_footers(paginate(text, footer))
    assert "\n".join(parts) == text


def test_options_are_numbered_lines(catalog: Catalog) -> None:
    replies = [Reply("先说一句。"), Reply("选一个：", options=(Option("a", "投诉"),
                                                             Option("b", "举报")))]
    assert reply_text(replies, catalog) == "先说一句。\n\n选一个：\n  1. 投诉\n  2. 举报"
