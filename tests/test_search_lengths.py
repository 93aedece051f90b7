"""The length windows that likeness searches score: they may leave out only texts that could not qualify."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from glossary.search.lengths import ByLength
from glossary.search.names import FUZZY_CUTOFF

_TEXT = st.text(alphabet="abcde ", min_size=0, max_size=30)


@given(st.lists(_TEXT, max_size=40), _TEXT)
def test_the_ratio_window_holds_every_text_that_reaches_the_cutoff(texts: list[str], query: str) -> None:
    window = ByLength(texts).for_ratio(query, FUZZY_CUTOFF)
    qualifying = {i for i, text in enumerate(texts) if fuzz.ratio(query, text) >= FUZZY_CUTOFF}
    assert qualifying <= set(window.positions)


@given(st.lists(_TEXT, max_size=40), _TEXT, st.integers(min_value=1, max_value=2))
def test_the_edit_window_holds_every_text_within_the_edits(texts: list[str], query: str, edits: int) -> None:
    window = ByLength(texts).for_edits(query, edits)
    qualifying = {i for i, text in enumerate(texts) if OSA.distance(query, text) <= edits}
    assert qualifying <= set(window.positions)


def test_a_window_leaves_out_lengths_that_cannot_qualify_and_maps_back_to_the_original_order() -> None:
    texts = ["a" * 20, "abcdefghij", "ab", "abcdefghijk", "abcdefg"]
    window = ByLength(texts).for_edits("abcdefghij", 2)
    assert sorted(zip(window.positions, window.texts, strict=True)) == [(1, texts[1]), (3, texts[3])]
    assert 0 not in ByLength(texts).for_ratio("abcdefghij", FUZZY_CUTOFF).positions  # 20 letters against 10
