"""Figures: the bundled SVGs are safe, labelled, readable in both colour schemes and used;
the content check rejects unsafe SVG at the right line; pages and the figure view serve them well."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from glossary.content.figures import scan_svg
from glossary.content.loader import load
from glossary.web.views import FIGURE_CSP
from tests.conftest import BUNDLED, FIXTURES

FIGURES = sorted((BUNDLED / "figures").glob("*.svg"))
SVG = "{http://www.w3.org/2000/svg}"
DARK = "@media (prefers-color-scheme: dark)"


def _uses(name: str) -> list[str]:
    """Slugs of the bundled entries that show figures/<name>."""
    return sorted(p.stem for p in (BUNDLED / "terms").glob("*.md") if f"](figures/{name} " in p.read_text())


# ---------------------------------------------------------------------------------------------- bundled figures


def test_there_are_bundled_figures() -> None:
    assert {p.name for p in FIGURES} >= {
        "tumour-compartments.svg",
        "herniated-disc.svg",
        "myelogram.svg",
        "t1-t2.svg",
    }


@pytest.mark.parametrize("path", FIGURES, ids=[p.name for p in FIGURES])
def test_bundled_figure_passes_the_scan(path: Path) -> None:
    assert scan_svg(path) == []


@pytest.mark.parametrize("path", FIGURES, ids=[p.name for p in FIGURES])
def test_bundled_figure_is_labelled_and_scales(path: Path) -> None:
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "title desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "title" and (title.text or "").strip()
    assert desc is not None and desc.get("id") == "desc" and len((desc.text or "").split()) >= 10
    _, _, width, height = (float(n) for n in root.get("viewBox", "").split())
    assert width <= 640
    assert root.get("width") in (None, f"{width:g}") and root.get("height") in (None, f"{height:g}")
    assert root.get("font-family") == "system-ui, sans-serif"
    assert path.stat().st_size < 12_000


@pytest.mark.parametrize("path", FIGURES, ids=[p.name for p in FIGURES])
def test_bundled_figure_text_is_large_enough(path: Path) -> None:
    text = path.read_text()
    sizes = [float(n) for n in re.findall(r'font-size(?:="|:\s*)(\d+(?:\.\d+)?)', text)]
    assert sizes and min(sizes) >= 14


@pytest.mark.parametrize("path", FIGURES, ids=[p.name for p in FIGURES])
def test_bundled_figure_has_a_dark_mode_and_readable_labels_in_both(path: Path) -> None:
    root = ElementTree.parse(path).getroot()
    style = root.find(f"{SVG}style")
    assert style is not None and DARK in (style.text or "")
    light_css, dark_css = (style.text or "").split(DARK)
    light = _fills(light_css)
    dark = {**light, **_fills(dark_css)}
    background = root.find(f"{SVG}rect")
    assert background is not None and background.get("class") == "bg"  # drawn first, from the class
    for scheme in (light, dark):
        assert _contrast(scheme["ink"], scheme["bg"]) >= 4.5
    assert light["bg"] != dark["bg"] and light["ink"] != dark["ink"]


@pytest.mark.parametrize("path", FIGURES, ids=[p.name for p in FIGURES])
def test_bundled_figure_is_shown_by_one_or_two_entries(path: Path) -> None:
    assert 1 <= len(_uses(path.name)) <= 2


def _fills(css: str) -> dict[str, str]:
    """Class name -> fill colour for rules such as `.ink { fill: #1b1f24; }`."""
    found = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        fill = re.search(r"(?<![-\w])fill:\s*(#[0-9a-fA-F]{6})", body)
        if fill:
            for selector in selectors.split(","):
                found[selector.strip().lstrip(".")] = fill.group(1)
    return found


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# ---------------------------------------------------------------------------------------------- the content check

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img">\n  <title>Box</title>\n'

# (case, file text, line of the problem, words the message must contain)
BAD: list[tuple[str, str, int, str]] = [
    ("script", HEAD + "  <script>alert(1)</script>\n</svg>\n", 3, "<script>"),
    (
        "script-in-another-namespace",
        HEAD + '  <h:script xmlns:h="http://www.w3.org/1999/xhtml">x</h:script>\n</svg>\n',
        3,
        "<h:script>",
    ),
    (
        "onload-attribute",
        '<svg xmlns="http://www.w3.org/2000/svg"\n     viewBox="0 0 10 10"\n     onload="alert(1)">\n'
        "  <title>Box</title>\n</svg>\n",
        3,
        "'onload'",
    ),
    ("onclick-attribute", HEAD + '  <rect width="10" height="10" onclick="alert(1)"/>\n</svg>\n', 3, "'onclick'"),
    (
        "external-xlink-href",
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n  <title>Box</title>\n'
        '  <use xlink:href="https://example.org/sprite.svg#box"/>\n</svg>\n',
        3,
        "xlink:href='https://example.org/sprite.svg#box'",
    ),
    ("javascript-href", HEAD + '  <a href="javascript:alert(1)"><text>x</text></a>\n</svg>\n', 3, "javascript:"),
    ("data-href", HEAD + '  <use href="data:image/svg+xml,%3Csvg/%3E"/>\n</svg>\n', 3, "data:"),
    (
        "external-url-in-fill",
        HEAD + '  <rect fill="url(https://example.org/p.svg#g)"/>\n</svg>\n',
        3,
        "https://example.org",
    ),
    (
        "style-import",
        HEAD + "  <style>\n    .a { fill: red; }\n    @import 'https://example.org/x.css';\n  </style>\n</svg>\n",
        5,
        "@import",
    ),
    (
        "style-url",
        HEAD + "  <style>\n    .a { fill: url(https://example.org/p.svg#g); }\n  </style>\n</svg>\n",
        4,
        "example.org",
    ),
    (
        "foreign-object",
        HEAD + "  <g>\n    <foreignObject><p>Hi</p></foreignObject>\n  </g>\n</svg>\n",
        4,
        "<foreignObject>",
    ),
    ("image", HEAD + '  <image href="#box" width="10" height="10"/>\n</svg>\n', 3, "<image>"),
    (
        "animated-href",
        HEAD + '  <a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a>\n</svg>\n',
        3,
        "'href'",
    ),
    (
        "doctype-entity",
        '<?xml version="1.0"?>\n<!DOCTYPE svg [\n  <!ENTITY lol "lol">\n]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg"><title>&lol;</title></svg>\n',
        2,
        "<!DOCTYPE>",
    ),
    (
        "stylesheet-instruction",
        '<?xml-stylesheet href="https://example.org/x.css"?>\n' + HEAD + "</svg>\n",
        1,
        "xml-stylesheet",
    ),
    ("broken-xml", HEAD + '  <rect width="10"\n</svg>\n', 4, "not well-formed"),
    ("unclosed-tag", HEAD + "  <g>\n</svg>\n", 4, "mismatched tag"),
    ("empty-file", "", 1, "not well-formed"),
    (
        "no-title",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n  <rect width="10"/>\n</svg>\n',
        1,
        "no <title>",
    ),
    ("empty-title", '<svg xmlns="http://www.w3.org/2000/svg">\n  <title> </title>\n</svg>\n', 1, "no <title>"),
    (
        "title-not-on-the-svg",
        '<svg xmlns="http://www.w3.org/2000/svg">\n  <g><title>Box</title></g>\n</svg>\n',
        1,
        "no <title>",
    ),
    ("not-svg", '<html xmlns="http://www.w3.org/1999/xhtml"><title>x</title></html>\n', 1, "not <svg>"),
]


@pytest.mark.parametrize(("case", "text", "line", "says"), BAD, ids=[case[0] for case in BAD])
def test_unsafe_or_unlabelled_svg_is_reported_at_its_line(
    case: str, text: str, line: int, says: str, tmp_path: Path
) -> None:
    path = tmp_path / f"{case}.svg"
    path.write_text(text, encoding="utf-8")

    found = scan_svg(path)

    assert found, f"{case} passed the scan"
    assert all(p.code == "E024" and p.path == path and p.is_error and p.hint for p in found)
    at_line = [p.message for p in found if p.line == line]
    assert any(says in message for message in at_line), [(p.line, p.message) for p in found]


def test_the_doctype_case_also_names_each_entity_and_never_expands_them(tmp_path: Path) -> None:
    path = tmp_path / "laughs.svg"
    entities = "".join(f'  <!ENTITY e{n} "{f"&e{n - 1};" * 10 if n else "lol"}">\n' for n in range(10))
    path.write_text(
        f'<!DOCTYPE svg [\n{entities}]>\n<svg xmlns="http://www.w3.org/2000/svg"><title>&e9;</title></svg>\n'
    )

    found = scan_svg(path)

    assert [(p.line, p.message) for p in found][:2] == [
        (1, "The figure has a <!DOCTYPE> declaration."),
        (2, "The figure declares the entity 'e0'."),
    ]
    assert len(found) == 11 and found[-1].line == 11


def test_each_fix_is_specific_to_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "two.svg"
    path.write_text(HEAD + '  <script>x</script>\n  <rect onmouseover="x"/>\n</svg>\n')

    script, event = scan_svg(path)

    assert (script.line, event.line) == (3, 4)
    assert "Delete the <script> element" in script.hint
    assert "event attributes run script" in event.hint
    assert str(script).startswith(f"{path}:3: (glossary.E024)")


@pytest.mark.parametrize(
    "text",
    [
        (FIXTURES / "valid" / "figures" / "box.svg").read_text(),
        HEAD + '  <defs><linearGradient id="g"/><path id="p" d="M0 0h1"/></defs>\n'
        '  <use href="#p"/>\n  <rect fill="url(#g)" style="fill: url(\'#g\')"/>\n</svg>\n',
        '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">\n  <title>Box</title>\n  <use xlink:href="#a"/>\n'
        "  <style><![CDATA[ .a { fill: url(#g); } ]]></style>\n</svg>\n",
    ],
    ids=["fixture-box", "local-references", "xml-declaration-and-cdata"],
)
def test_safe_svg_passes(text: str, tmp_path: Path) -> None:
    path = tmp_path / "safe.svg"
    path.write_text(text)

    assert scan_svg(path) == []


def test_the_loader_reports_an_unsafe_figure_and_does_not_load() -> None:
    folder = FIXTURES / "broken" / "e024-unsafe-svg"

    result = load(folder)

    assert [(p.code, p.path.relative_to(folder).as_posix(), p.line) for p in result.problems] == [
        ("E024", "figures/unsafe.svg", 4)
    ]
    assert result.glossary is None


def test_the_loader_scans_figures_no_entry_shows_yet(tmp_path: Path) -> None:
    (tmp_path / "terms").mkdir()
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "unused.SVG").write_text(HEAD + '  <rect onload="x"/>\n</svg>\n')
    (tmp_path / "figures" / "photo.png").write_bytes(b"\x89PNG not an SVG, not scanned")

    result = load(tmp_path)

    assert [(p.code, p.path.name, p.line) for p in result.problems] == [("E024", "unused.SVG", 3)]
    assert result.glossary is None


# ---------------------------------------------------------------------------------------------- pages and the view


class _Figures(HTMLParser):
    """Each <figure> of a page as (img attributes, figcaption text)."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[tuple[dict[str, str | None], str]] = []
        self._in_figure = self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "figure":
            self._in_figure = True
            self.figures.append(({}, ""))
        elif tag == "img" and self._in_figure:
            self.figures[-1] = (dict(attrs), self.figures[-1][1])
        elif tag == "figcaption" and self._in_figure:
            self._in_caption = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._in_figure = False
        elif tag == "figcaption":
            self._in_caption = False

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            img, caption = self.figures[-1]
            self.figures[-1] = (img, caption + data)


@pytest.fixture
def bundled_site(use_content) -> Client:
    use_content(BUNDLED)
    return Client()


USES = [(slug, path.name) for path in FIGURES for slug in _uses(path.name)]


@pytest.mark.parametrize(("slug", "name"), USES, ids=[f"{slug}-{name}" for slug, name in USES])
def test_entry_page_shows_the_figure_with_alt_text_and_caption(bundled_site: Client, slug: str, name: str) -> None:
    response = bundled_site.get(f"/terms/{slug}/")
    parser = _Figures()
    parser.feed(response.content.decode())

    assert response.status_code == 200
    shown = [(img, caption) for img, caption in parser.figures if img.get("src") == f"/figures/{name}"]
    assert len(shown) == 1, parser.figures
    img, caption = shown[0]
    assert len((img.get("alt") or "").split()) >= 10  # a description, not a label
    assert img.get("loading") == "lazy"
    assert caption.strip() and caption.strip() != (img.get("alt") or "").strip()


@pytest.mark.parametrize("path", FIGURES, ids=[p.name for p in FIGURES])
def test_figure_is_served_sandboxed(bundled_site: Client, path: Path) -> None:
    response = bundled_site.get(f"/figures/{path.name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    assert b"".join(response.streaming_content) == path.read_bytes()


def test_the_figure_policy_is_the_one_the_view_sends(use_content) -> None:
    use_content(FIXTURES / "valid")
    response = Client().get("/figures/box.svg")

    assert response["Content-Security-Policy"] == FIGURE_CSP
    assert Client().get("/figures/missing.svg").status_code == 404
