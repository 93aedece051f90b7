"""The Markdown extensions: wikilinks, citations, automatic links, figures and sanitising."""

from __future__ import annotations

import re

import pytest

from glossary.content.markup import Autolinker, render, sanitise

TITLES = {"mri": "MRI", "spinal-cord": "Spinal cord", "myelogram": "Myelogram"}
NAMES = {
    "MRI": "mri",
    "magnetic resonance imaging": "mri",
    "Spinal cord": "spinal-cord",
    "Myelogram": "myelogram",
    "spinal cord oedema": "cord-oedema",
}
KEYS = {"mri": "mri", "spinal-cord": "spinal-cord", "myelogram": "myelogram", "magnetic-resonance-imaging": "mri"}


def _render(body: str, *, slug: str = "this", autolink: bool = True):
    return render(
        body,
        slug=slug,
        resolve=lambda name: KEYS.get(name.lower().replace(" ", "-")),
        titles=TITLES,
        autolinker=Autolinker.build(NAMES) if autolink else None,
    )


def assert_renders(body: str, expected: str, **kwargs) -> None:
    """Like Python-Markdown's assertMarkdownRenders: the whole output, not a fragment."""
    assert _render(body, **kwargs).html == expected


def test_wikilink_to_a_slug_shows_the_title_in_lower_case_mid_sentence() -> None:
    assert_renders(
        "See the [[myelogram]].",
        '<p>See the <a class="term-link" data-term="myelogram" href="/terms/myelogram/">myelogram</a>.</p>',
        autolink=False,
    )


def test_wikilink_to_an_abbreviation_keeps_its_capitals() -> None:
    assert ">MRI</a>" in _render("An [[mri]] scan.", autolink=False).html


def test_wikilink_with_text_and_section() -> None:
    assert_renders(
        "[[myelogram#what-to-expect|what happens]]",
        '<p><a class="term-link" data-term="myelogram" href="/terms/myelogram/#what-to-expect">what happens</a></p>',
        autolink=False,
    )


def test_wikilink_by_alias_resolves_to_the_entry() -> None:
    rendered = _render("[[magnetic resonance imaging]]", autolink=False)
    assert 'href="/terms/mri/"' in rendered.html
    assert rendered.links == {"mri"}


def test_unknown_wikilink_renders_its_words_without_a_link() -> None:
    assert_renders("[[nothing here]]", "<p><span>nothing here</span></p>", autolink=False)


def test_citations_are_numbered_in_order_of_first_citation() -> None:
    rendered = _render("First [@b-2020]. Then [@a-2019; @b-2020]. Again [@a-2019].", autolink=False)
    assert rendered.citations == ("b-2020", "a-2019")
    assert rendered.html.count('href="#ref-b-2020">1</a>') == 2
    assert rendered.html.count('href="#ref-a-2019">2</a>') == 2


def test_citation_numbering_follows_the_document_even_inside_emphasis() -> None:
    rendered = _render("*Emphasised [@first-2000]* then [@second-2001].", autolink=False)
    assert rendered.citations == ("first-2000", "second-2001")


def test_autolink_links_only_the_first_plain_mention() -> None:
    html = _render("The spinal cord and the spinal cord again.").html
    assert html.count('href="/terms/spinal-cord/"') == 1
    assert html.endswith("the spinal cord again.</p>")


def test_autolink_prefers_the_longest_name() -> None:
    html = _render("Spinal cord oedema shows on MRI.").html
    assert 'href="/terms/cord-oedema/">Spinal cord oedema</a>' in html
    assert 'href="/terms/spinal-cord/"' not in html


def test_autolink_skips_the_entry_itself_headings_code_and_existing_links() -> None:
    body = "## Spinal cord\n\nThe `spinal cord` and [[spinal-cord|the cord]], then spinal cord, then MRI."
    rendered = _render(body, slug="mri")
    assert rendered.html.count('href="/terms/spinal-cord/"') == 1  # only the wikilink
    assert 'href="/terms/mri/"' not in rendered.html
    assert "<code>spinal cord</code>" in rendered.html


def test_abbreviations_match_only_in_capitals_and_plurals_link_to_the_singular() -> None:
    assert 'href="/terms/mri/"' not in _render("Say mri quietly.").html
    html = _render("Two MRIs and a myelograms list.").html
    assert '<a class="term-link" data-term="mri" href="/terms/mri/">MRIs</a>' in html
    assert 'href="/terms/myelogram/">myelograms</a>' in html


def test_autolink_off_leaves_plain_text() -> None:
    assert "<a" not in _render("The spinal cord.", autolink=False).html


def test_autolink_does_not_match_inside_longer_words() -> None:
    assert "<a" not in _render("Spinal cordless MRIscan.").html


def test_raw_html_is_escaped_not_passed_through() -> None:
    html = _render('Hello <script>alert(1)</script> <b onclick="x()">bold</b>', autolink=False).html
    assert "<script" not in html and "<b" not in html
    assert "&lt;script&gt;" in html


def test_unsafe_link_schemes_are_removed_by_the_sanitiser() -> None:
    html = _render("[click](javascript:alert(1)) and [ok](https://example.org/)", autolink=False).html
    assert "javascript" not in html
    assert 'href="https://example.org/"' in html


@pytest.mark.parametrize(
    "dirty",
    ['<img src=x onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>', "<iframe src=//evil></iframe>"],
)
def test_sanitise_strips_active_content(dirty: str) -> None:
    clean = sanitise(dirty)
    assert "onerror" not in clean and "javascript" not in clean and "iframe" not in clean


def test_headings_get_stable_ids_and_sections_are_listed() -> None:
    rendered = _render("## What to expect\n\ntext\n\n### Before the test\n\nmore", autolink=False)
    assert '<h2 id="what-to-expect">What to expect <a aria-label="Link to section: What to expect"' in rendered.html
    assert [(s.id, s.level) for s in rendered.sections] == [("what-to-expect", 2), ("before-the-test", 3)]
    assert [s.title for s in rendered.sections] == ["What to expect", "Before the test"]


def test_each_section_heading_links_to_itself() -> None:
    html = _render("## What *to* expect\n\ntext\n\n### Before\n\nmore", autolink=False).html
    links = re.findall(
        r'<h[23] id="([^"]+)">.*?<a aria-label="([^"]+)" class="permalink" href="([^"]+)">#</a></h', html
    )
    assert links == [
        ("what-to-expect", "Link to section: What to expect", "#what-to-expect"),
        ("before", "Link to section: Before", "#before"),
    ]


def test_figure_paths_point_at_the_site_and_load_lazily() -> None:
    html = _render("![Cross-section of the cord](figures/cord.svg)", autolink=False).html
    assert '<img alt="Cross-section of the cord" loading="lazy" src="/figures/cord.svg">' in html


def test_an_image_alone_in_a_paragraph_is_a_figure_captioned_by_its_title() -> None:
    html = _render('![Cross-section of the cord](figures/cord.svg "Where tumours sit")', autolink=False).html
    assert html == (
        '<figure><img alt="Cross-section of the cord" loading="lazy" src="/figures/cord.svg">'
        "<figcaption>Where tumours sit</figcaption>\n</figure>"
    )


def test_an_image_inside_a_sentence_stays_inline() -> None:
    html = _render("See ![the cord](figures/cord.svg) here.", autolink=False).html
    assert "<figure>" not in html and html.startswith("<p>See <img")
