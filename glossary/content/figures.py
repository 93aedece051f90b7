"""Scan an SVG figure for anything that could run, load or link, and for a missing <title>.

The site serves figures from its own origin, so an SVG opened directly at /figures/x.svg
is a document of the site: a <script>, an event attribute or a javascript: link in it
would run as the site. Readers meet figures inside <img>, where none of that runs, but
a link to the file can be opened on its own. So a figure may hold only shapes, text and
styles, and may refer only to ids inside itself (`#name`). The figure view also sends a
sandboxing Content-Security-Policy; this check is the first line, and it tells the
editor the line to fix.

expat reports the line where each start tag begins; an attribute's line is found by
looking for its name in the tag, since editors such as Inkscape write one attribute a
line. A DOCTYPE stops the scan at its end, before any entity
it declares could be expanded, and nothing is ever fetched.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.parsers import expat

from glossary.content.problems import Problem, problem

# Elements that run code, embed another document or load another file (compared by local name, any namespace).
FORBIDDEN_ELEMENTS: dict[str, str] = {
    "script": "Delete the <script> element: a figure is a picture, and nothing in it may run.",
    "handler": "Delete the <handler> element: a figure is a picture, and nothing in it may run.",
    "foreignObject": "Draw the content with SVG shapes and <text> instead of <foreignObject>, which embeds HTML.",
    "image": "Draw it with SVG shapes, or show the picture as a figure of its own; <image> loads another file.",
    "iframe": "Delete the <iframe> element: a figure may not embed another page.",
    "embed": "Delete the <embed> element: a figure may not embed another file.",
    "object": "Delete the <object> element: a figure may not embed another file.",
}
ANIMATIONS = frozenset({"set", "animate", "animateColor", "animateMotion", "animateTransform"})
_URL = re.compile(r"""url\(\s*['"]?\s*([^'")\s]*)""", re.IGNORECASE)
_IMPORT = re.compile(r"@import", re.IGNORECASE)

FIX_HREF = 'Point it at an id in this file, such as href="#arrow"; a figure may not load or link to anything else.'
FIX_URL = "Use url(#id) for an id in this file; a figure may not load anything else."
FIX_EVENT = "Delete the attribute: event attributes run script, and a figure is only a picture."
FIX_TITLE = 'Add <title id="title">What the figure shows</title> as the first element inside <svg>.'


class _Stop(Exception):
    """Raised from a handler to end the parse early (after a DOCTYPE)."""


def scan_svg(path: Path) -> list[Problem]:
    """Every problem in one SVG file, each with the file, its line and what to do, in line order."""
    return _Scanner(path, path.read_bytes()).run()


class _Scanner:
    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.data = data
        self.tag_start = 0  # byte offset of the start tag being read
        self.problems: list[Problem] = []
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.namespace_prefixes = True
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.ProcessingInstructionHandler = self._instruction
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._entity
        self.parser.EndDoctypeDeclHandler = self._end_doctype
        self.depth = 0
        self.root: tuple[str, int] | None = None  # local name and line of the root element
        self.title = False  # the root has a <title> child with words in it
        self.in_title = False
        self.title_text = ""
        self.style_line = 0  # the line where the current <style>'s text starts, while inside one
        self.style_text: list[str] | None = None
        self.in_doctype = False

    def run(self) -> list[Problem]:
        try:
            self.parser.Parse(self.data, True)
        except _Stop:
            pass
        except expat.ExpatError as error:
            self._report(
                error.lineno,
                f"The figure is not well-formed XML: {expat.ErrorString(error.code)}.",
                "Fix the XML on this line: close every tag, quote every attribute, write & as &amp;.",
            )
            return sorted(self.problems, key=lambda p: p.line or 0)
        if self.root is not None and not self.in_doctype:
            name, line = self.root
            if name != "svg":
                self._report(line, f"The file's outer element is <{name}>, not <svg>.", "Start the figure with <svg>.")
            elif not self.title:
                self._report(line, "The figure has no <title>, so screen readers cannot name it.", FIX_TITLE)
        return sorted(self.problems, key=lambda p: p.line or 0)

    def _report(self, line: int, message: str, fix: str) -> None:
        self.problems.append(problem("E024", self.path, line, message, fix))

    @property
    def line(self) -> int:
        return self.parser.CurrentLineNumber

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        local, shown = _names(name)
        self.depth += 1
        self.tag_start = self.parser.CurrentByteIndex
        if self.depth == 1:
            self.root = (local, self.line)
        if self.depth == 2 and local == "title":
            self.in_title, self.title_text = True, ""
        if local in FORBIDDEN_ELEMENTS:
            self._report(self.line, f"The figure contains the element <{shown}>.", FORBIDDEN_ELEMENTS[local])
        if local == "style":
            self.style_line, self.style_text = 0, []
        for attribute, value in attributes.items():
            self._attribute(local, shown, attribute, value)

    def _attribute(self, element: str, shown_element: str, attribute: str, value: str) -> None:
        local, shown = _names(attribute)
        on = f"<{shown_element}>"
        line = self._attribute_line(shown)
        if local.lower().startswith("on"):
            self._report(line, f"The event attribute {shown!r} on {on} would run script.", FIX_EVENT)
        elif local == "href" and not value.strip().startswith("#"):
            self._report(line, f"{shown}={value[:60]!r} on {on} points outside the figure.", FIX_HREF)
        elif element in ANIMATIONS and local == "attributeName":
            target = value.strip().rpartition(":")[2].lower()
            if target == "href" or target.startswith("on"):
                self._report(
                    line,
                    f"{on} animates {value.strip()!r}, which could turn into a link or run script.",
                    "Animate only how shapes look (fill, opacity, transform), never links or event attributes.",
                )
        for url in _URL.findall(value):
            if not url.startswith("#"):
                self._report(line, f"{shown} on {on} refers to {url[:60]!r}, outside the figure.", FIX_URL)

    def _attribute_line(self, shown: str) -> int:
        """The line of `name=` in the start tag being read; the tag's first line if it cannot be found."""
        if self.tag_start < 0:
            return self.line
        pattern = re.compile(rb"(?<![\w:.-])" + re.escape(shown.encode()) + rb"\s*=")
        found = pattern.search(self.data, self.tag_start)
        if found is None:
            return self.line
        return self.data.count(b"\n", 0, found.start()) + 1

    def _end(self, name: str) -> None:
        local, _ = _names(name)
        if self.depth == 2 and local == "title" and self.in_title:
            self.title = self.title or bool(self.title_text.strip())
            self.in_title = False
        if local == "style" and self.style_text is not None:
            self._style("".join(self.style_text), self.style_line or self.line)
            self.style_text = None
        self.depth -= 1

    def _text(self, data: str) -> None:
        if self.in_title:
            self.title_text += data
        if self.style_text is not None:
            if not self.style_text:
                self.style_line = self.line
            self.style_text.append(data)

    def _style(self, css: str, first_line: int) -> None:
        """@import and url() in a <style> element, each at its own line."""
        for match in _IMPORT.finditer(css):
            line = first_line + css.count("\n", 0, match.start())
            self._report(line, "The <style> uses @import, which loads another file.", "Write the styles here.")
        for match in _URL.finditer(css):
            if not match.group(1).startswith("#") and not css[: match.start()].rstrip().endswith("@import"):
                line = first_line + css.count("\n", 0, match.start())
                self._report(line, f"The <style> refers to {match.group(1)[:60]!r}, outside the figure.", FIX_URL)

    def _instruction(self, target: str, data: str) -> None:
        self._report(
            self.line,
            f"The processing instruction <?{target} …?> can load other files.",
            f"Delete the <?{target} …?> line; put styles in a <style> element inside <svg>.",
        )

    def _doctype(self, name: str, system_id: str | None, public_id: str | None, has_internal_subset: bool) -> None:
        self.in_doctype = True
        self._report(
            self.line,
            "The figure has a <!DOCTYPE> declaration.",
            "Delete the <!DOCTYPE …> and any <!ENTITY …> in it: a figure needs neither, and entities can "
            "expand without end or read other files.",
        )

    def _entity(self, name: str, is_parameter: bool, *rest: object) -> None:
        self._report(self.line, f"The figure declares the entity {name!r}.", "Delete the <!ENTITY …> declaration.")

    def _end_doctype(self) -> None:
        raise _Stop  # before any entity is used: nothing after a DOCTYPE is read


def _names(name: str) -> tuple[str, str]:
    """(local name, name as written) of an expat name 'uri local prefix', 'uri local' or 'local'."""
    parts = name.split(" ")
    local = parts[1] if len(parts) > 1 else parts[0]
    shown = f"{parts[2]}:{local}" if len(parts) == 3 else local
    return local, shown
