"""Write a realistic content folder of any size, so loading and search can be measured at 10,000 entries.

    python -m benchmarks.generate OUT_DIR --entries 10000 [--seed 1]

The folder starts with the bundled entries, copied verbatim so that real queries
still find them, and adds entries whose names are built from the Greek and Latin
parts spine reports use (myelo-, spondylo-, -malacia, -pathy) and whose bodies
are assembled from the bundled bodies' sentences, so their vocabulary is real.
Every generated entry mentions WORST_CASE_WORD, the query that matches everything.
The output is the same for the same seed and passes `manage.py check`.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import time
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import yaml

from benchmarks.bench_load import ROOT

BUNDLED = ROOT / "content"
WORST_CASE_WORD = "spinal"  # in every bundled entry, and put into every generated one
CITATION_KEYS = ("tetreault-2013", "fardon-2014")  # two keys the bundled references.yaml holds


@dataclass(frozen=True, slots=True)
class Part:
    """A word part: how it is written, what it means in plain words, and how to say it."""

    form: str
    meaning: str
    sound: str


@dataclass(frozen=True, slots=True)
class Head:
    """The last part of a name, which decides what kind of entry it is."""

    form: str
    lay: str  # the word a lay phrase uses: 'softening of the spinal cord'
    meaning: str  # a plain noun phrase: 'softening'
    sound: str
    category: str


PREFIXES = (
    Part("myelo", "spinal cord", "my-ello"),
    Part("spondylo", "vertebra", "spon-dil-oh"),
    Part("radiculo", "nerve root", "ra-dik-yoo-loh"),
    Part("arthro", "joint", "ar-throh"),
    Part("disco", "disc", "dis-koh"),
    Part("osteo", "bone", "os-tee-oh"),
    Part("neuro", "nerve", "nyoo-roh"),
    Part("angio", "blood vessel", "an-jee-oh"),
    Part("fibro", "fibrous tissue", "fy-broh"),
    Part("chondro", "cartilage", "kon-droh"),
    Part("lipo", "fat", "ly-poh"),
    Part("syringo", "fluid-filled cavity", "si-ring-goh"),
    Part("meningo", "lining of the spinal cord", "men-in-goh"),
    Part("sacro", "sacrum", "say-kroh"),
    Part("haemato", "blood", "hee-ma-toh"),
    Part("teno", "tendon", "ten-oh"),
)
HEADS = (
    Head("pathy", "disease", "a problem", "PATH-ee", "condition"),
    Head("malacia", "softening", "softening", "ma-LAY-sha", "imaging-finding"),
    Head("itis", "inflammation", "swelling and irritation", "EYE-tis", "condition"),
    Head("oma", "growth", "a growth", "OH-ma", "condition"),
    Head("graphy", "scan", "a scan", "OG-ra-fee", "imaging-test"),
    Head("gram", "scan", "a scan picture", "gram", "imaging-test"),
    Head("osis", "wear", "wear and tear", "OH-sis", "condition"),
    Head("sclerosis", "hardening", "hardening", "skler-OH-sis", "imaging-finding"),
    Head("stenosis", "narrowing", "narrowing", "sten-OH-sis", "condition"),
    Head("lysis", "break", "a break", "LY-sis", "imaging-finding"),
    Head("listhesis", "slip", "slipping", "lis-THEE-sis", "condition"),
    Head("plasty", "repair", "an operation to repair", "plas-tee", "treatment"),
    Head("ectomy", "removal", "an operation to remove", "EK-to-mee", "procedure"),
    Head("desis", "fusion", "an operation to join", "DEE-sis", "treatment"),
    Head("algia", "pain", "pain", "AL-ja", "condition"),
    Head("cele", "pouch", "a bulging pouch", "seel", "imaging-finding"),
    Head("myelia", "cavity", "a problem inside the spinal cord", "my-EE-lee-a", "imaging-finding"),
    Head("scopy", "camera test", "a look inside", "OS-ko-pee", "procedure"),
)
# Nouns spelt the British way, with their American spelling for an alias.
BRITISH_HEADS = (
    (Head("tumour", "growth", "a growth", "TYOO-mer", "condition"), "tumor"),
    (Head("oedema", "swelling", "swelling with fluid", "ee-DEE-ma", "imaging-finding"), "edema"),
    (Head("haemorrhage", "bleed", "bleeding", "HEM-er-ij", "imaging-finding"), "hemorrhage"),
    (Head("haematoma", "blood clot", "a collection of blood", "hee-ma-TOH-ma", "imaging-finding"), "hematoma"),
    (Head("haemangioma", "vessel growth", "a growth of blood vessels", "hee-man-jee-OH-ma", "condition"), "hemangioma"),
)
STRUCTURES = {  # what a name may name, and the plain words for it
    "spinal cord": "spinal cord",
    "nerve root": "nerve root",
    "vertebral body": "main block of a vertebra",
    "epidural": "space around the spinal cord lining",
    "facet joint": "small joint at the back of the spine",
    "paraspinal muscle": "muscles beside the spine",
    "subarachnoid": "fluid space around the spinal cord",
    "ligamentum flavum": "ligament at the back of the spinal canal",
    "conus medullaris": "lower tip of the spinal cord",
    "cauda equina": "bundle of nerve roots in the lower back",
}
REGIONS = {
    "cervical": "the neck",
    "thoracic": "the upper and middle back",
    "lumbar": "the lower back",
    "sacral": "the base of the spine",
    "lumbosacral": "the lower back and the base of the spine",
    "cervicothoracic": "the neck and upper back",
    "thoracolumbar": "the middle and lower back",
    "craniocervical": "the top of the neck",
}
MODIFIERS = (
    "acute", "chronic", "focal", "diffuse", "multilevel", "segmental", "congenital", "post-traumatic",
    "degenerative", "inflammatory", "compressive", "intramedullary", "extramedullary", "extradural",
    "intradural", "paraspinal", "foraminal", "posterior", "anterior", "central", "lateral", "recurrent",
    "idiopathic", "calcific", "cystic", "haemorrhagic", "oedematous", "juvenile", "postoperative",
)  # fmt: skip
AMERICAN = {"haemorrhagic": "hemorrhagic", "oedematous": "edematous"}
VERTEBRAE = [f"C{i}" for i in range(1, 8)] + [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)] + ["S1"]
LEVELS = tuple(f"{upper}\N{EN DASH}{lower}" for upper, lower in pairwise(VERTEBRAE))  # C5-C6, dash as reports write it
SECTIONS = {  # heading -> the bundled heading whose sentences fill it
    "What it is": "What it is",
    "What it means for you": "What it means for you",
    "How it shows on a scan": "How it shows on a scan",
    "What happens during the test": "What happens during the test",
    "How it works": "How it works",
    "Causes": "What it is",
    "Treatment": "What it means for you",
    "Outlook": "What it means for you",
    "For clinicians": "For clinicians",
}
MIDDLE_SECTIONS = {
    "imaging-test": ("What happens during the test", "How it works", "How it shows on a scan"),
    "treatment": ("How it works", "Outlook", "Causes"),
    "procedure": ("What happens during the test", "How it works", "Outlook"),
}
DISEASE_SECTIONS = ("How it shows on a scan", "Causes", "Treatment", "Outlook")
LINK_SENTENCES = (
    "It is sometimes confused with [[{slug}|{text}]].",
    "Your report may also mention [[{slug}|{text}]].",
    "Doctors may compare it with [[{slug}|{text}]] on the scan.",
    "See also [[{slug}]].",
    "It can happen together with [[{slug}|{text}]].",
)
SUMMARY_ENDINGS = (
    "It is often found on an MRI scan, and your doctor can explain what it means for you.",
    "Many people have no symptoms from it, and it may not need treatment.",
    "What it means depends on the person, so ask your own doctor.",
    "It can cause pain, numbness or weakness, but this differs from person to person.",
)
WIKILINK = re.compile(r"\[\[([^\[\]|#]+)(?:#[^\[\]|]+)?(?:\|([^\[\]]+))?\]\]")
CITATION = re.compile(r"\s*\[@[^\[\]]+\]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(slots=True)
class Name:
    """What a generated entry is called, and the plain words its summary is built from."""

    title: str
    slug: str
    head: Head
    part: str  # plain words for what it affects
    region: str  # plain words for where, '' for anywhere in the spine
    etymology: str = ""
    sound: str = ""
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Bundled:
    """What the generator reuses from the bundled content: its names and its sentences by section."""

    files: list[Path]
    titles: dict[str, str]  # slug -> title
    keys: dict[str, str]  # name key of every slug, title and alias -> slug
    sentences: dict[str, list[str]]


def read_bundled(content: Path = BUNDLED) -> Bundled:
    """Names and prose of the bundled entries, with their wikilinks and citations turned to plain text."""
    from glossary.content.entries import name_key

    files = sorted((content / "terms").glob("*.md"))
    keys: dict[str, str] = {}
    titles: dict[str, str] = {}
    bodies: list[str] = []
    for path in files:
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        fields = yaml.safe_load(front)
        titles[path.stem] = fields["title"]
        for name in [path.stem, fields["title"], *fields.get("aliases", []), *fields.get("forms", [])]:
            keys[name_key(name)] = path.stem
        bodies.append(body)
    sentences: dict[str, list[str]] = {}

    def plain(match: re.Match[str]) -> str:
        target, text = match.group(1, 2)
        return text or in_sentence(titles.get(target.strip(), target.strip()))

    for body in bodies:
        for section in body.split("\n## ")[1:]:
            heading, _, text = section.partition("\n")
            for paragraph in text.split("\n\n"):
                if paragraph.strip() and not paragraph.lstrip().startswith(("-", "|", "#", "!", "1.")):
                    prose = CITATION.sub("", WIKILINK.sub(plain, " ".join(paragraph.split())))
                    whole = [s[0].upper() + s[1:] for s in SENTENCE_END.split(prose) if s.endswith((".", "?", "!"))]
                    sentences.setdefault(heading.strip(), []).extend(whole)
    return Bundled(files, titles, keys, sentences)


class Namer:
    """Invents unique names; a name is unique when its name key (the linker's) is nobody else's."""

    def __init__(self, rng: random.Random, taken: dict[str, str]) -> None:
        from glossary.content.entries import name_key

        self._rng = rng
        self._taken = dict(taken)
        self._key = name_key

    def claim(self, name: str, slug: str) -> bool:
        """Give the name to slug unless another entry has it."""
        key = self._key(name)
        owner = self._taken.setdefault(key, slug)
        return owner == slug

    def new(self) -> Name:
        """A fresh name; a numbered qualifier is added only when five tries all collide."""
        for _ in range(5):
            name = self._candidate()
            if self._free(name):
                break
        number = 2
        base = name.title
        while not self._free(name):
            name.title, name.slug = f"{base} type {number}", slugify(f"{base} type {number}")
            number += 1
        self.claim(name.title, name.slug)
        self.claim(name.slug, name.slug)
        name.aliases = self._aliases(name)
        return name

    def _free(self, name: Name) -> bool:
        return all(self._key(text) not in self._taken for text in (name.title, name.slug))

    def _candidate(self) -> Name:
        rng = self._rng
        if rng.random() < 0.2:
            head, _ = rng.choice(BRITISH_HEADS)
            structure = rng.choice(list(STRUCTURES))
            words, part, etymology, sound = [structure, head.form], STRUCTURES[structure], "", ""
        else:
            parts = rng.sample(PREFIXES, 2 if rng.random() < 0.3 else 1)
            head = rng.choice(HEADS)
            words = [core(parts, head)]
            part = " and ".join(p.meaning for p in parts)
            etymology = "From " + ", ".join(f"{p.form}- ({p.meaning})" for p in parts)
            etymology += f" and -{head.form} ({head.lay})."
            sound = "-".join([*(p.sound for p in parts), head.sound])
        region = ""
        shape = rng.random()
        if shape < 0.35:
            region = rng.choice(list(REGIONS))
            words.insert(0, region)
        if 0.25 < shape < 0.7:
            words.insert(0, rng.choice(MODIFIERS))
        if shape > 0.85:
            words.append(f"at {rng.choice(LEVELS)}")
        title = " ".join(words)
        title = title[0].upper() + title[1:]
        return Name(title, slugify(title), head, part, REGIONS.get(region, ""), etymology, sound)

    def _aliases(self, name: Name) -> list[str]:
        """One to three other names: American spelling first, then an abbreviation, a lay phrase, a misspelling."""
        lower = in_sentence(name.title)
        candidates = [american(lower), abbreviation(name.title), self._lay(name), misspelling(lower, self._rng)]
        doubled = re.sub(r"(?<=[aeiouy])([bdgklmnprst])(?=[aeiou])", r"\1\1", lower, count=1)  # shares the title's key
        candidates.append(doubled)
        wanted = self._rng.randint(1, 3)
        chosen = []
        for alias in candidates:
            fresh = alias and alias.casefold() != name.title.casefold() and len(chosen) < wanted
            if fresh and self.claim(alias, name.slug):
                chosen.append(alias)
        return chosen

    def _lay(self, name: Name) -> str:
        where = f" in {name.region}" if name.region else ""
        return f"{name.head.lay} of the {name.part}{where}"


def core(parts: list[Part], head: Head) -> str:
    """Join word parts the way medicine does: myelo + itis = myelitis, disco + graphy = discography."""
    stem = "".join(p.form for p in parts)
    return (stem[:-1] if head.form[0] in "aeiou" else stem) + head.form


def in_sentence(title: str) -> str:
    """A title as it reads mid-sentence: 'Spinal canal' -> 'spinal canal', but 'MRI' and 'T2-weighted' stay."""
    return title[0].lower() + title[1:] if title[1:2].islower() else title


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def american(text: str) -> str:
    """The American spelling, or '' when the British and American spellings agree."""
    changed = text
    for british, us in [*((h.form, us) for h, us in BRITISH_HEADS), *AMERICAN.items(), ("haemato", "hemato")]:
        changed = changed.replace(british, us)
    return changed if changed != text else ""


def abbreviation(title: str) -> str:
    """Initials of each word and of each part of a compound: 'Cervical myeloradiculopathy' -> 'CMRP'."""
    short = "".join(initials(word) for word in title.lower().split() if word.isalpha()).upper()
    return short if len(short) >= 3 else ""


def initials(word: str) -> str:
    """'myeloradiculopathy' -> 'mrp': one letter per word part; a plain word gives its first letter."""
    found = ""
    rest = word
    while part := next((p.form for p in PREFIXES if rest.startswith(p.form) and rest != p.form), ""):
        found += part[0]
        rest = rest[len(part) :]
    return found + rest[0]


def misspelling(text: str, rng: random.Random) -> str:
    """A spelling mistake readers make: i for y, f for ph, k for ch, e for ae."""
    swaps = [("y", "i"), ("ae", "e"), ("ph", "f"), ("ch", "k"), ("ia", "ea"), ("itis", "itus")]
    rng.shuffle(swaps)
    for wrong, right in swaps:
        if wrong in text:
            return text.replace(wrong, right, 1)
    return ""


def summary(name: Name, rng: random.Random) -> str:
    """One or two plain sentences of 120 to 250 characters, built from the name's plain meaning."""
    where = name.region or "the spine"
    if name.head.category in {"treatment", "procedure"}:
        first = f"{name.title} is {name.head.meaning} the {name.part} in {where}."
    elif name.head.category == "imaging-test":
        first = f"{name.title} is {name.head.meaning} that shows the {name.part} in {where}."
    else:
        first = f"{name.title} means {name.head.meaning} affecting the {name.part} in {where}."
    endings = [e for e in SUMMARY_ENDINGS if 120 <= len(first) + 1 + len(e) <= 250]
    return f"{first} {rng.choice(endings)}" if endings else first


def body(name: Name, bundled: Bundled, links: list[str], cites: list[str], rng: random.Random) -> str:
    """3 to 6 sections of 150 to 400 words in all, from bundled sentences, with the given links and citations."""
    middle = MIDDLE_SECTIONS.get(name.head.category, DISEASE_SECTIONS)
    headings = ["What it is", "What it means for you", *rng.sample(middle, rng.randint(1, 3))]
    if rng.random() < 0.6:
        headings.append("For clinicians")
    added = sum(len(s.split()) for s in links + cites) + 10  # the sentences below, and the opening one
    budget = (rng.randint(170, 340) - added) // len(headings)  # kept inside 150-400 with fill's slack
    sections = {h: fill(bundled.sentences[SECTIONS[h]], budget, rng) for h in headings}
    sections["What it is"][0].insert(0, f"{name.title} is a word used in {WORST_CASE_WORD} scan reports.")
    for sentence in links + cites:
        paragraphs = sections[rng.choice(headings)]
        paragraphs[rng.randrange(len(paragraphs))].append(sentence)
    return "\n\n".join(
        f"## {heading}\n\n" + "\n\n".join(" ".join(p) for p in paragraphs) for heading, paragraphs in sections.items()
    )


def fill(pool: list[str], words: int, rng: random.Random) -> list[list[str]]:
    """Paragraphs of two to four sentences drawn from the pool: about `words` words, at least one sentence."""
    paragraphs: list[list[str]] = [[]]
    count = 0
    for sentence in rng.sample(pool, min(len(pool), 12)):  # no sentence twice in a section
        size = len(sentence.split())
        if count >= words:
            break
        if count and count + size > words + 10:
            continue
        if len(paragraphs[-1]) >= rng.randint(2, 4):
            paragraphs.append([])
        paragraphs[-1].append(sentence)
        count += size
    return paragraphs


def link_sentences(slugs: list[str], titles: dict[str, str], rng: random.Random) -> list[str]:
    return [rng.choice(LINK_SENTENCES).format(slug=slug, text=in_sentence(titles[slug])) for slug in slugs]


def citations(rng: random.Random) -> tuple[list[str], list[str]]:
    """(sentences citing inline, keys for the `references` field); a key is never in both."""
    roll = rng.random()
    if roll < 0.15:
        return [f"Studies describe how this looks on MRI [@{CITATION_KEYS[0]}]."], []
    if roll < 0.22:
        return [f"Outcomes after surgery vary [@{CITATION_KEYS[0]}; @{CITATION_KEYS[1]}]."], []
    if roll < 0.3:
        return [], [rng.choice(CITATION_KEYS)]
    return [], []


def front_matter(name: Name, related: list[str], references: list[str], text: str, rng: random.Random) -> str:
    lines = [
        "---",
        f"title: {name.title}",
        "summary: >",
        f"  {text}",
        f"category: {name.head.category}",
        f"aliases: [{', '.join(name.aliases)}]",
    ]
    if name.sound and rng.random() < 0.6:
        lines.append(f"pronunciation: {name.sound}")
    if name.etymology:
        lines.append(f"etymology: {name.etymology}")
    lines.append(f"related: [{', '.join(related)}]")
    if references:
        lines.append(f"references: [{', '.join(references)}]")
    if rng.random() < 0.3:
        lines.append(f"reviewed: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    return "\n".join([*lines, "---"])


def generate(out: Path, entries: int, seed: int = 1) -> int:
    """Write the folder; returns how many entries it holds (at least the bundled ones)."""
    rng = random.Random(seed)
    bundled = read_bundled()
    terms = out / "terms"
    terms.mkdir(parents=True, exist_ok=True)
    for path in bundled.files:
        shutil.copyfile(path, terms / path.name)
    shutil.copyfile(BUNDLED / "references.yaml", out / "references.yaml")
    if (BUNDLED / "figures").is_dir():  # the bundled entries show figures; without them they would not load
        shutil.copytree(BUNDLED / "figures", out / "figures", dirs_exist_ok=True)
    namer = Namer(rng, bundled.keys)
    names = [namer.new() for _ in range(entries - len(bundled.files))]
    titles = bundled.titles | {n.slug: n.title for n in names}
    slugs = list(titles)
    for name in names:
        others = [s for s in rng.sample(slugs, 10) if s != name.slug]
        inline, listed = citations(rng)
        links = link_sentences(others[: rng.randint(2, 6)], titles, rng)
        text = front_matter(name, others[-rng.randint(1, 4) :], listed, summary(name, rng), rng)
        (terms / f"{name.slug}.md").write_text(f"{text}\n\n{body(name, bundled, links, inline, rng)}\n", "utf-8")
    return len(bundled.files) + len(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (its terms/ gains the entries)")
    parser.add_argument("--entries", type=int, default=10_000, help="entries in all, bundled ones included")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    written = generate(args.out, args.entries, args.seed)
    print(f"wrote {written} entries to {args.out} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
