"""The report reader's engine on a table of cases: every difficulty of real reports, each both ways.

A case is a text and every mark the engine must make in it, in order, written `text=slug` for a
term, `text=!slug` for a term the report says is absent, and `text=level:KEY` for a spinal
level; nothing else may be marked. Every mark's offsets are checked against the text. The
glossary is the fixture in tests/fixtures/explain/, made up for these tests.
"""

from __future__ import annotations

import itertools

import pytest

from glossary.content.loader import load
from glossary.explain import levels
from glossary.explain.engine import Explainer
from glossary.explain.results import Explanation
from glossary.search.engine import SearchIndex
from tests.conftest import FIXTURES

CASES: list[tuple[str, list[str]]] = [
    # Case, and abbreviations only in capitals
    ("IMPRESSION: DISC BULGE", ["DISC BULGE=disc-bulge"]),
    ("Disc Bulge", ["Disc Bulge=disc-bulge"]),
    ("MRI of the spine", ["MRI=mri"]),
    ("mri of the spine", []),
    ("An Mri", []),
    ("MRIs were compared", ["MRIs=mri"]),
    ("CSF flow is normal", ["CSF=cerebrospinal-fluid"]),
    ("csf", []),
    ("STIR images", ["STIR=stir"]),
    ("stir the mixture", []),
    ("CT", ["CT=ct-scan"]),
    ("ct and Ct", []),
    ("Two CTs", ["CTs=ct-scan"]),
    ("a ct scan", ["ct scan=ct-scan"]),
    ("T2WI", ["T2WI=t2-weighted-imaging"]),
    ("t2wi", []),
    ("MAGNETIC RESONANCE IMAGING", ["MAGNETIC RESONANCE IMAGING=mri"]),
    ("Magnetic resonance imaging", ["Magnetic resonance imaging=mri"]),
    # Plurals, and word forms an entry declares
    ("disc bulges", ["disc bulges=disc-bulge"]),
    ("bulging discs", ["bulging discs=disc-bulge"]),
    ("nerve roots", ["nerve roots=nerve-root"]),
    ("Schmorl's nodes", ["Schmorl's nodes=schmorls-node"]),
    ("Schmorl\u2019s node", ["Schmorl\u2019s node=schmorls-node"]),
    ("haemangiomas", ["haemangiomas=haemangioma"]),
    ("syrinxes", ["syrinxes=syrinx"]),
    ("nerves root", []),
    ("the disc bulged", []),
    ("an enhancing lesion", ["enhancing=enhancement"]),
    ("it enhanced", []),
    ("vertebrae", ["vertebrae=vertebra"]),
    ("fractures", ["fractures=compression-fracture"]),
    ("vertebral bodies", ["vertebral bodies=vertebra"]),
    ("two bodies", []),
    # British and American spelling, and doubled letters
    ("spinal cord edema", ["spinal cord edema=spinal-cord-oedema"]),
    ("cord edema", ["cord edema=spinal-cord-oedema"]),
    ("intramedullary tumor", ["intramedullary tumor=intramedullary-tumour"]),
    ("intramedullary tumors", ["intramedullary tumors=intramedullary-tumour"]),
    ("INTRAMEDULLARY TUMOUR", ["INTRAMEDULLARY TUMOUR=intramedullary-tumour"]),
    ("intramedulary tumour", ["intramedulary tumour=intramedullary-tumour"]),
    ("disk bulge", ["disk bulge=disc-bulge"]),
    ("herniated disks", ["herniated disks=herniated-disc"]),
    ("hemangioma", ["hemangioma=haemangioma"]),
    ("haemorrhage", []),
    # Hyphen, slash and space variants
    ("disc-osteophyte complex", ["disc-osteophyte complex=disc-osteophyte-complex"]),
    ("disc osteophyte complex", ["disc osteophyte complex=disc-osteophyte-complex"]),
    ("disc/osteophyte complex", ["disc/osteophyte complex=disc-osteophyte-complex"]),
    ("discosteophyte complex", ["discosteophyte complex=disc-osteophyte-complex"]),
    ("post-operative changes", ["post-operative changes=postoperative-change"]),
    ("postoperative change", ["postoperative change=postoperative-change"]),
    ("post operative change", []),
    ("an X-ray", ["X-ray=x-ray"]),
    ("an x-ray", ["x-ray=x-ray"]),
    ("an xray", ["xray=x-ray"]),
    ("an X ray", ["X ray=x-ray"]),
    ("X-rays", ["X-rays=x-ray"]),
    ("T2 weighted", ["T2 weighted=t2-weighted-imaging"]),
    ("T2-weighted imaging", ["T2-weighted imaging=t2-weighted-imaging"]),
    ("spinal-stenosis", ["spinal-stenosis=spinal-stenosis"]),
    ("thecal - sac", ["thecal - sac=thecal-sac"]),
    # Phrases broken across lines and spaces; punctuation and blank lines break them
    ("spinal canal\nstenosis", ["spinal canal\nstenosis=spinal-stenosis"]),
    ("spinal   canal    stenosis", ["spinal   canal    stenosis=spinal-stenosis"]),
    ("cord\r\ncompression", ["cord\r\ncompression=spinal-cord-compression"]),
    ("spinal cord\n  compression", ["spinal cord\n  compression=spinal-cord-compression"]),
    ("post-\noperative change", ["post-\noperative change=postoperative-change"]),
    ("spinal canal\n\nstenosis", ["stenosis=spinal-stenosis"]),
    ("spinal canal.\nStenosis", ["Stenosis=spinal-stenosis"]),
    ("disc,\nbulge", []),
    ("thecal\tsac", ["thecal\tsac=thecal-sac"]),
    # Longest match wins, no overlaps
    ("spinal cord compression", ["spinal cord compression=spinal-cord-compression"]),
    ("spinal cord", ["spinal cord=spinal-cord"]),
    ("spinal cord oedema", ["spinal cord oedema=spinal-cord-oedema"]),
    ("spinal canal stenosis", ["spinal canal stenosis=spinal-stenosis"]),
    ("neural foraminal narrowing", ["neural foraminal narrowing=foraminal-narrowing"]),
    ("foraminal narrowing", ["foraminal narrowing=foraminal-narrowing"]),
    ("compression fracture", ["compression fracture=compression-fracture"]),
    ("vertebral fracture", ["vertebral fracture=compression-fracture"]),
    ("vertebral body", ["vertebral body=vertebra"]),
    ("T2 hyperintensity", ["T2 hyperintensity=t2-hyperintensity"]),
    ("T2 hyperintense signal", ["T2 hyperintense signal=t2-hyperintensity"]),
    ("spinal cord spinal cord", ["spinal cord=spinal-cord", "spinal cord=spinal-cord"]),
    # Nothing inside a longer word
    ("discectomy", []),
    ("restenosis", []),
    ("MRI-guided", ["MRI=mri"]),
    ("nonenhancing", []),
    ("CTA", []),
    ("syrinx_like", []),
    ("prefracture", []),
    ("MRI2", []),
    # Spinal levels and the ways reports write them
    ("L4-5", ["L4-5=level:L4-L5"]),
    ("L4-L5", ["L4-L5=level:L4-L5"]),
    ("L4/5", ["L4/5=level:L4-L5"]),
    ("L4/L5", ["L4/L5=level:L4-L5"]),
    ("L4\u20135", ["L4\u20135=level:L4-L5"]),
    ("L4 - 5", ["L4 - 5=level:L4-L5"]),
    ("L5-S1", ["L5-S1=level:L5-S1"]),
    ("L5/S1", ["L5/S1=level:L5-S1"]),
    ("C5/6", ["C5/6=level:C5-C6"]),
    ("C5-C6", ["C5-C6=level:C5-C6"]),
    ("T12-L1", ["T12-L1=level:T12-L1"]),
    ("C7-T1", ["C7-T1=level:C7-T1"]),
    ("at the L4 level", ["L4=level:L4"]),
    ("C5 through C7", ["C5 through C7=level:C5-C7"]),
    ("C5 to C7", ["C5 to C7=level:C5-C7"]),
    ("from T10 to L2", ["T10 to L2=level:T10-L2"]),
    ("C3-7", ["C3-7=level:C3-C7"]),
    ("L3-5", ["L3-5=level:L3-L5"]),
    ("S1", ["S1=level:S1"]),
    ("S1-2", ["S1-2=level:S1-S2"]),
    ("C1-2", ["C1-2=level:C1-C2"]),
    ("the coccyx", ["coccyx=level:Co"]),
    ("the L5 nerve root", ["L5=level:L5-root", "nerve root=nerve-root"]),
    ("left C6 radiculopathy", ["C6=level:C6-root"]),
    ("C2", ["C2=level:C2"]),
    ("L4 and L5", ["L4=level:L4", "L5=level:L5"]),
    ("C3-4, C4-5 and C5-6", ["C3-4=level:C3-C4", "C4-5=level:C4-C5", "C5-6=level:C5-C6"]),
    ("L6, C9, T13 and S6", []),
    ("L6, C8 and T13", ["C8=level:C8-root"]),  # C8 is a nerve, though no vertebra
    ("L5-4", ["L5=level:L5"]),
    ("l4-5", []),
    ("CL4", []),
    ("L4-5 disc bulge", ["L4-5=level:L4-L5", "disc bulge=disc-bulge"]),
    ("Th7-Th8 and Th1-Th12", ["Th7-Th8=level:T7-T8", "Th1-Th12=level:T1-T12"]),
    ("at D11 and D12", ["D11=level:T11", "D12=level:T12"]),
    ("Th2 hyperintensity", ["Th2=level:T2"]),
    ("low vitamin D3", []),
    ("L2 vertebral body", ["L2=level:L2", "vertebral body=vertebra"]),
    # ...and as dictated reports write them
    ("L-1 to L-2", ["L-1 to L-2=level:L1-L2"]),
    ("at L-5", ["L-5=level:L5"]),
    ("T-12toL1", ["T-12toL1=level:T12-L1"]),
    ("L3L4", ["L3L4=level:L3-L4"]),
    ("C5C6 and C6C7", ["C5C6=level:C5-C6", "C6C7=level:C6-C7"]),
    ("L4-L-5", ["L4-L-5=level:L4-L5"]),
    ("T-2 fracture", ["T-2=level:T2", "fracture=compression-fracture"]),
    ("a T-score of -2.5", []),
    ("L4toe", []),
    ("left C8 radiculopathy", ["C8=level:C8-root"]),
    ("C8 to T1", ["C8=level:C8-root", "T1=level:T1"]),
    ("C8-T1 nerve roots", ["C8=level:C8-root", "T1=level:T1-root", "nerve roots=nerve-root"]),
    # T1 and T2: MRI weightings, never vertebrae...
    ("T2 hyperintensity at C5-6", ["T2 hyperintensity=t2-hyperintensity", "C5-6=level:C5-C6"]),
    ("T1-weighted images", []),
    ("T2-weighted images", ["T2-weighted=t2-weighted-imaging"]),
    ("bright on T2", ["T2=t2-weighted-imaging"]),  # a weighting: explained by the T2-weighted entry, never a vertebra
    ("low T1 signal", []),
    ("T2 signal", ["T2=t2-weighted-imaging"]),
    ("T1 and T2", ["T2=t2-weighted-imaging"]),  # the fixture has no T1-weighted entry to explain T1
    ("STIR and T2", ["STIR=stir", "T2=t2-weighted-imaging"]),
    ("T2 and STIR", ["T2=t2-weighted-imaging", "STIR=stir"]),
    ("T1 post contrast", ["contrast=contrast-medium"]),
    ("T2* gradient echo", ["T2=t2-weighted-imaging"]),
    ("sagittal T1", []),
    ("T1/T2 hyperintense", []),
    ("T1- and T2-weighted sequences", ["T2-weighted=t2-weighted-imaging"]),
    ("on T1 and T2", ["T2=t2-weighted-imaging"]),
    ("T2 FLAIR", ["T2=t2-weighted-imaging"]),
    ("T2", ["T2=t2-weighted-imaging"]),
    ("T1 hypointense", []),
    # ...unless the words around them say vertebra
    ("T2 vertebral body", ["T2=level:T2", "vertebral body=vertebra"]),
    ("at T2", ["T2=level:T2"]),
    ("at the T1 level", ["T1=level:T1"]),
    ("T1-T2 disc", ["T1-T2=level:T1-T2"]),
    ("T1-2", ["T1-2=level:T1-T2"]),
    ("T1-T2", ["T1-T2=level:T1-T2"]),
    ("T2 fracture", ["T2=level:T2", "fracture=compression-fracture"]),
    ("T1 and T2 vertebral bodies", ["T1=level:T1", "T2=level:T2", "vertebral bodies=vertebra"]),
    ("at T1 and T2", ["T1=level:T1", "T2=level:T2"]),
    ("T2 and T3", ["T2=level:T2", "T3=level:T3"]),
    ("T1 nerve root", ["T1=level:T1-root", "nerve root=nerve-root"]),
    ("from T1 to T4", ["T1 to T4=level:T1-T4"]),
    ("T3 hyperintensity", ["T3=level:T3"]),
    # Negation: findings the report says are absent...
    ("No disc bulge.", ["disc bulge=!disc-bulge"]),
    ("No evidence of cord compression.", ["cord compression=!spinal-cord-compression"]),
    ("Disc bulge without stenosis.", ["Disc bulge=disc-bulge", "stenosis=!spinal-stenosis"]),
    ("Negative for fracture.", ["fracture=!compression-fracture"]),
    ("Free of syrinx.", ["syrinx=!syrinx"]),
    ("Absence of enhancement.", ["enhancement=!enhancement"]),
    ("A syrinx is not seen.", ["syrinx=!syrinx"]),
    ("Herniated discs are not identified.", ["Herniated discs=!herniated-disc"]),
    ("Fracture was excluded.", ["Fracture=!compression-fracture"]),
    ("Cord compression is not seen", ["Cord compression=!spinal-cord-compression"]),
    ("A new syrinx, which was not seen on the prior study.", ["syrinx=syrinx"]),
    ("No fracture and a small syrinx.", ["fracture=!compression-fracture", "syrinx=syrinx"]),
    ("The appearance is not definite for syrinx.", ["syrinx=syrinx"]),
    ("The syrinx is not seen on the previous MRI.", ["syrinx=syrinx", "MRI=mri"]),
    (
        "No fracture, syrinx or cord compression.",
        ["fracture=!compression-fracture", "syrinx=!syrinx", "cord compression=!spinal-cord-compression"],
    ),
    ("no\nevidence of syrinx", ["syrinx=!syrinx"]),
    ("No significant stenosis.", ["stenosis=!spinal-stenosis"]),
    ("There is no syrinx.", ["syrinx=!syrinx"]),
    ("No syrinx is seen.", ["syrinx=!syrinx"]),
    ("Disc bulge is absent.", ["Disc bulge=!disc-bulge"]),
    ("No definite syrinx.", ["syrinx=!syrinx"]),
    ("without evidence of cord compression", ["cord compression=!spinal-cord-compression"]),
    ("Mild stenosis rather than a herniated disc.", ["stenosis=spinal-stenosis", "herniated disc=!herniated-disc"]),
    (
        "L4-5: No disc bulge.\nL5-S1: Disc bulge.",
        ["L4-5=level:L4-L5", "disc bulge=!disc-bulge", "L5-S1=level:L5-S1", "Disc bulge=disc-bulge"],
    ),
    # ...and what only looks like it
    ("No change in the disc bulge.", ["disc bulge=disc-bulge"]),
    ("No significant change in the herniated disc.", ["herniated disc=herniated-disc"]),
    ("No interval change of the syrinx.", ["syrinx=syrinx"]),
    ("Not only stenosis but also a disc bulge.", ["stenosis=spinal-stenosis", "disc bulge=disc-bulge"]),
    ("No increase in the syrinx.", ["syrinx=syrinx"]),
    ("Syrinx cannot be excluded.", ["Syrinx=syrinx"]),
    ("A small syrinx is not ruled out.", ["syrinx=syrinx"]),
    ("No stenosis, but a disc bulge.", ["stenosis=!spinal-stenosis", "disc bulge=disc-bulge"]),
    ("No stenosis; disc bulge.", ["stenosis=!spinal-stenosis", "disc bulge=disc-bulge"]),
    ("No stenosis. Disc bulge.", ["stenosis=!spinal-stenosis", "Disc bulge=disc-bulge"]),
    ("No stenosis however there is a disc bulge.", ["stenosis=!spinal-stenosis", "disc bulge=disc-bulge"]),
    ("No stenosis, although there is a disc bulge.", ["stenosis=!spinal-stenosis", "disc bulge=disc-bulge"]),
    ("Herniated disc; no fracture.", ["Herniated disc=herniated-disc", "fracture=!compression-fracture"]),
    ("The cord shows T2 hyperintensity.", ["T2 hyperintensity=t2-hyperintensity"]),
    ("Fracture? No.", ["Fracture=compression-fracture"]),
    ("A disc bulge. It does not touch the cord.", ["disc bulge=disc-bulge"]),
    # A short entry's word that only describes the next term is not itself absent; one that names a finding is
    ("No central or foraminal stenosis.", ["central=central", "foraminal stenosis=!foraminal-narrowing"]),
    ("No central stenosis.", ["central=central", "stenosis=!spinal-stenosis"]),
    ("No effacement of the thecal sac.", ["effacement=!effacement", "thecal sac=thecal-sac"]),
    ("The thecal sac is effaced.", ["thecal sac=thecal-sac", "effaced=effacement"]),
    ("The sac is not effaced.", ["effaced=!effacement"]),
    # Only findings are ever absent: parts of the body, tests and techniques are not
    ("No stenosis of the thecal sac.", ["stenosis=!spinal-stenosis", "thecal sac=thecal-sac"]),
    ("MRI without contrast.", ["MRI=mri", "contrast=contrast-medium"]),
    ("No MRI was done.", ["MRI=mri"]),
    ("The spinal cord is not seen to be compressed.", ["spinal cord=spinal-cord"]),
]


@pytest.fixture(scope="module")
def explainer() -> Explainer:
    loaded = load(FIXTURES / "explain")
    assert loaded.glossary is not None, loaded.errors
    return Explainer.build(loaded.glossary, SearchIndex(loaded.glossary))


def marks(text: str, explanation: Explanation) -> list[str]:
    """The marks in order of position, in the table's notation, each checked against the text."""
    found = []
    for term in explanation.terms:
        assert text[term.start : term.end] == term.text
        found.append((term.start, term.end, f"{term.text}={'!' if term.negated else ''}{term.slug}"))
    for level in explanation.levels:
        assert text[level.start : level.end] == level.text
        found.append((level.start, level.end, f"{level.text}=level:{level.key}"))
    found.sort()
    for (_, end, _), (start, _, _) in itertools.pairwise(found):
        assert end <= start, "marks overlap"
    assert [t.start for t in explanation.terms] == sorted(t.start for t in explanation.terms)
    assert [lv.start for lv in explanation.levels] == sorted(lv.start for lv in explanation.levels)
    return [mark for _, _, mark in found]


def test_the_table_is_large_and_has_no_repeats() -> None:
    texts = [text for text, _ in CASES]
    assert len(texts) >= 150
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text[:40] for text, _ in CASES])
def test_case(explainer: Explainer, text: str, expected: list[str]) -> None:
    assert marks(text, explainer.explain(text)) == expected


@pytest.mark.parametrize("cue", levels.CUES, ids=[cue.example for cue in levels.CUES])
def test_each_cue_of_the_weighting_table_decides_its_examples(cue: levels.Cue) -> None:
    """Each rule of the T1/T2 table, on the examples it names."""
    for example in cue.example.split(", "):
        found = [level.key for level in levels.find(example) if level.first in ("T1", "T2")]
        assert bool(found) == (cue.verdict == "vertebra"), example


@pytest.mark.parametrize(
    ("text", "label", "region"),
    [
        ("L4-5", "the disc between the 4th and 5th lumbar vertebrae, in the lower back", "lumbar"),
        (
            "L5-S1",
            "the disc between the 5th lumbar and 1st sacral vertebrae, where the lower back meets the sacrum",
            "lumbosacral",
        ),
        (
            "C7-T1",
            "the disc between the 7th cervical and 1st thoracic vertebrae, where the neck meets the upper back",
            "cervicothoracic",
        ),
        ("T12", "the 12th thoracic vertebra, in the upper and middle back", "thoracic"),
        ("C1", "the 1st cervical vertebra (the atlas), in the neck", "cervical"),
        ("S3", "the 3rd sacral vertebra (part of the sacrum), at the base of the spine", "sacral"),
        (
            "C1-2",
            "the joint between the 1st and 2nd cervical vertebrae (there is no disc there), in the neck",
            "cervical",
        ),
        ("C5 through C7", "the 5th to 7th cervical vertebrae, in the neck", "cervical"),
        (
            "C6-T2",
            "the 6th cervical to the 2nd thoracic vertebrae, where the neck meets the upper back",
            "cervicothoracic",
        ),
        (
            "T11-S1",
            "the 11th thoracic to the 1st sacral vertebrae, from the upper and middle back to the sacrum",
            "thoracic to sacral",
        ),
        (
            "L5 nerve root",
            "the nerve that leaves the spine next to the 5th lumbar vertebra, in the lower back",
            "lumbar",
        ),
        ("coccyx", "the coccyx (tailbone), at the very bottom of the spine", "coccygeal"),
    ],
)
def test_each_level_is_explained_in_words(text: str, label: str, region: str) -> None:
    [level] = levels.find(text)
    assert (level.label, level.region) == (label, region)


def test_ordinals() -> None:
    assert [levels.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd",
    ]  # fmt: skip


def test_the_entries_of_an_explanation_keep_absent_ones_apart(explainer: Explainer) -> None:
    text = "No stenosis at L3-4. Stenosis at L4-5 with a disc bulge; no syrinx. MRI."
    present, absent = explainer.explain(text).entries()
    assert present == ("spinal-stenosis", "disc-bulge", "mri")
    assert absent == ("syrinx",)


def test_distinct_levels_keep_the_first_mention_of_each(explainer: Explainer) -> None:
    explanation = explainer.explain("L4-5, then C5/6, then L4/L5 and L4-L5 again, then T12.")
    assert [level.text for level in explanation.distinct_levels()] == ["L4-5", "C5/6", "T12"]
    assert [level.name for level in explanation.distinct_levels()] == ["L4\u20135", "C5\u20136", "T12"]
