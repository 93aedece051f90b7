"""Every page type of the bundled site is valid HTML, by the Nu Html Checker (vnu.jar, the W3C's checker).

The pages are rendered with Django's test client, written to one folder and checked in a single run of the
checker, since starting Java dominates the cost. A deliberately broken document is checked in the same run, so a
checker that reported nothing (or a report that stopped matching the files) would fail the tests instead of
passing them. Errors fail a page's test; warnings ("info" messages) are printed and listed in pytest's warnings
summary but do not fail.

The jar comes from the npm package vnu-jar (tests/browser/package.json; `make test` runs `npm ci`) and needs Java.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from django.test import Client, override_settings

from glossary.content.entries import CATEGORIES
from tests.conftest import BUNDLED, FIXTURES

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "tests" / "browser" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHECKER_SECONDS = 180
# A document with two errors the checker must report: an img without alt, and a duplicate id.
BROKEN_NAME = "deliberately-broken"
BROKEN_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Broken on purpose</title></head>
<body><p id="twice">One</p><p id="twice">Two</p><img src="scan.png"></body></html>
"""

ENTRIES = sorted(path.stem for path in (BUNDLED / "terms").glob("*.md"))
REFERENCES = sorted(yaml.safe_load((BUNDLED / "references.yaml").read_text(encoding="utf-8")))

# (name, path, status): every page type, and every entry, topic and reference of the bundled content.
PAGES: list[tuple[str, str, int]] = [
    ("home", "/", 200),
    ("a-to-z", "/terms/", 200),
    *[(f"term-{slug}", f"/terms/{slug}/", 200) for slug in ENTRIES],
    ("term-from-search", "/terms/myelogram/?q=myelogram", 200),
    *[(f"category-{category}", f"/categories/{category}/", 200) for category in CATEGORIES],
    ("search-empty", "/search/", 200),
    ("search-results", "/search/?q=spinal+cord&all=1", 200),
    ("search-corrected", "/search/?q=myelomalcia+scar&all=1", 200),
    ("search-no-results", "/search/?q=zzqxv", 200),
    ("search-too-long", "/search/?q=" + "x" * 201, 400),
    ("references", "/references/", 200),
    *[(f"reference-{key}", f"/references/{key}/", 200) for key in REFERENCES],
    ("not-found-term", "/terms/myelomalcia-spot/", 404),
    ("not-found", "/no/such/page/", 404),
]
# The editor's preview (GLOSSARY_PREVIEW) of the fixture content with one entry broken: its error page,
# and another page carrying the notice of the content's errors. What they show is the code's, so a small
# folder will do, and a copy of the bundled one would be rendered afresh.
PREVIEW_PAGES: list[tuple[str, str, int]] = [
    ("preview-entry-with-errors", "/terms/alpha-term/", 500),
    ("preview-notice", "/terms/beta-scan/", 200),
]
# The report reader over its fixture glossary: the empty form, an explained report (every kind of mark, the
# spine diagram, absent findings) and a refused one.
EXPLAIN_PAGES: list[tuple[str, str, int]] = [
    ("explain-empty", "/explain/", 200),
    ("explain-filled", "/explain/", 200),
    ("explain-too-long", "/explain/", 400),
]
EXPLAIN_TEXTS = {
    "explain-filled": "MRI LUMBAR SPINE\n\nL4-5: disc bulge with no spinal stenosis; T2 hyperintensity at C5-6.\n"
    "Schmorl's nodes at T11 and T12, the L5 nerve root and the coccyx. No fracture. <b>&</b>",
    "explain-too-long": "x" * 20_001,
}


@dataclass(frozen=True)
class Message:
    type: str  # "error", "info" (subType "warning" for warnings) or "non-document-error"
    sub_type: str
    message: str
    line: int | None
    column: int | None
    extract: str

    def __str__(self) -> str:
        kind = f"{self.type}/{self.sub_type}" if self.sub_type else self.type
        return f"  line {self.line}, column {self.column}: [{kind}] {self.message}\n    {self.extract!r}"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Message]]:
    """{page name: the checker's messages about it}, from one run of vnu.jar over every page."""
    if shutil.which("java") is None:
        pytest.fail("java is missing: the Nu Html Checker needs it (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run npm ci --prefix tests/browser (make test does)")
    folder = tmp_path_factory.mktemp("html")
    client = Client()
    files: dict[str, str] = {}
    with override_settings(GLOSSARY_CONTENT_DIR=BUNDLED):
        for name, path, status in PAGES:
            response = client.get(path)
            assert response.status_code == status, f"{path} answered {response.status_code}, not {status}"
            assert response["Content-Type"].startswith("text/html"), path
            (folder / f"{name}.html").write_bytes(response.content)
            files[name] = str(folder / f"{name}.html")
    content = folder / "preview-content"
    shutil.copytree(FIXTURES / "valid", content)
    broken = content / "terms" / "alpha-term.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("\nrelated:", "\nrelatd:"), encoding="utf-8")
    with override_settings(GLOSSARY_PREVIEW=True, GLOSSARY_CONTENT_DIR=content):
        for name, path, status in PREVIEW_PAGES:
            response = client.get(path)
            assert response.status_code == status, f"preview {path} answered {response.status_code}, not {status}"
            (folder / f"{name}.html").write_bytes(response.content)
            files[name] = str(folder / f"{name}.html")
    with override_settings(GLOSSARY_CONTENT_DIR=FIXTURES / "explain"):
        for name, path, status in EXPLAIN_PAGES:
            text = EXPLAIN_TEXTS.get(name)
            response = client.get(path) if text is None else client.post(path, {"text": text})
            assert response.status_code == status, f"{name} answered {response.status_code}, not {status}"
            (folder / f"{name}.html").write_bytes(response.content)
            files[name] = str(folder / f"{name}.html")
    (folder / f"{BROKEN_NAME}.html").write_text(BROKEN_HTML, encoding="utf-8")
    files[BROKEN_NAME] = str(folder / f"{BROKEN_NAME}.html")

    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *files.values()],
        capture_output=True,
        text=True,
        timeout=CHECKER_SECONDS,
    )
    try:
        messages = json.loads(run.stdout)["messages"]
    except (json.JSONDecodeError, KeyError) as error:
        raise AssertionError(f"vnu.jar gave no JSON report (exit {run.returncode}): {run.stderr[-2000:]}") from error

    by_path = {path: name for name, path in files.items()}
    found: dict[str, list[Message]] = {name: [] for name in files}
    for raw in messages:
        path = unquote(urlsplit(raw.get("url", "")).path)
        assert path in by_path, f"a message about something that is not one of the pages: {raw}"
        found[by_path[path]].append(
            Message(
                type=raw.get("type", ""),
                sub_type=raw.get("subType", ""),
                message=raw.get("message", ""),
                line=raw.get("lastLine"),
                column=raw.get("firstColumn"),
                extract=raw.get("extract", ""),
            )
        )
    return found


def test_the_checker_reports_errors_in_a_broken_document(report: dict[str, list[Message]]) -> None:
    errors = [message.message for message in report[BROKEN_NAME] if message.type == "error"]
    assert any("alt" in error for error in errors), errors
    assert any("Duplicate ID" in error for error in errors), errors


CHECKED = PAGES + PREVIEW_PAGES + EXPLAIN_PAGES


@pytest.mark.parametrize(("name", "path"), [(name, path) for name, path, _ in CHECKED], ids=[p[0] for p in CHECKED])
def test_page_is_valid_html(report: dict[str, list[Message]], name: str, path: str) -> None:
    messages = report[name]
    warned = [message for message in messages if message.type == "info"]
    if warned:
        text = "\n".join(map(str, warned))
        print(f"{path}: {len(warned)} checker warnings\n{text}")
        warnings.warn(f"Nu Html Checker warnings on {path}:\n{text}", stacklevel=1)
    errors = [message for message in messages if message.type != "info"]
    assert not errors, f"{path}: {len(errors)} HTML errors\n" + "\n".join(map(str, errors))
