"""Urgent-help callouts: `> [!URGENT]` blockquotes rendered as a box that tells the reader what to do now.

Editors write GitHub's alert form, which they already know from READMEs:

    > [!URGENT]
    > **Call 999 or go to A&E now** if you have ...

and the page shows a "Get help now" box, styled like the NHS's urgent-action boxes, that
the handout prints and the entry's preview repeats. A structure rather than a sentence,
so a check can ask for one where a condition's symptoms are described, and the box can
never be lost among ordinary quotations.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

MARK = "[!URGENT]"
TITLE = "Get help now"
CLASS = "urgent"
# A body line that opens a callout, as the body scanner and the checks see the Markdown source.
SOURCE_RE = re.compile(r"^ {0,3}>\s*\[!URGENT\]\s*$", re.MULTILINE)
# The rendered box, as the preview API finds it in a page's HTML (it holds no nested <div>).
HTML_RE = re.compile(r'<div[^>]*\bclass="urgent"[^>]*>(.*?)</div>', re.DOTALL)


def urgent_text(page_html: str) -> str | None:
    """The first urgent-help box of a rendered page as plain text, without its title, for previews."""
    found = HTML_RE.search(page_html)
    if found is None:
        return None
    inner = _TITLE_RE.sub("", found.group(1), count=1)
    return " ".join(html.unescape(_TAG_RE.sub(" ", inner)).split()) or None


_TITLE_RE = re.compile(r'<p class="urgent-title">.*?</p>', re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")


class UrgentProcessor(Treeprocessor):
    """Turns each blockquote whose first paragraph starts with the mark into the callout."""

    def run(self, root: etree.Element) -> None:
        for quote in list(root.iter("blockquote")):
            first = quote[0] if len(quote) else None
            if first is None or first.tag != "p" or not (first.text or "").lstrip().startswith(MARK):
                continue
            rest = (first.text or "").lstrip()[len(MARK) :].lstrip()
            if rest or len(first):
                first.text = rest
            else:
                quote.remove(first)
            quote.tag = "div"
            quote.set("class", CLASS)
            quote.set("role", "note")
            quote.set("aria-label", TITLE)
            title = etree.Element("p", {"class": "urgent-title"})
            title.text = TITLE
            quote.insert(0, title)
