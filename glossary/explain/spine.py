"""The spine diagram: every vertebra, disc, the sacrum and the coccyx, with the levels of a report lit and labelled.

Drawn for the site from proportions alone (neck vertebrae smallest, lower back largest), seen
from the front, so a reader sees where L4-5 is against the rest of the spine. The geometry
is worked out once; a report only chooses what is lit and labelled. The template
(templates/_spine.html) draws it; colours come from the stylesheet, so dark mode and print
follow the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from glossary.explain.levels import COCCYX, EXITS_BETWEEN, REGIONS, SEGMENTS
from glossary.explain.results import Level

WIDTH = 300
CENTRE = 150
LABEL_X = 196  # where the labels of lit levels start, right of the spine
REGION_X = 104  # where the names of the regions end, left of it
LABEL_GAP = 13  # the least distance between two labels' baselines
LINE = 13  # between the lines of a region's name (the template's dy)
_TOP = 8.0
# Per region: a vertebra's height and width, and the disc below it.
_SIZES = {"C": (12.0, 30.0, 4.0), "T": (15.0, 38.0, 4.0), "L": (22.0, 50.0, 6.0)}
_SACRUM = (80.0, 56.0, 18.0)  # height, width at the top, width at the bottom
_COCCYX = (24.0, 16.0)
_REGION_NAMES = {"C": ("Neck",), "T": ("Upper and", "middle back"), "L": ("Lower back",), "S": ("Sacrum",)}


@dataclass(frozen=True, slots=True)
class Shape:
    """A bone or a disc: `segments` are the level segments it stands for (the sacrum stands for S1-S5)."""

    name: str
    segments: tuple[str, ...]
    path: str  # SVG path data
    top: float
    bottom: float
    half_width: float
    disc: bool = False

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class RegionMark:
    lines: tuple[str, ...]
    top: float
    bottom: float
    path: str  # the bracket beside the region

    @property
    def y(self) -> float:
        """The first line's baseline: the lines centred on the bracket."""
        return (self.top + self.bottom) / 2 - (len(self.lines) - 1) * LINE / 2 + 4


@dataclass(frozen=True, slots=True)
class Label:
    text: str
    y: float  # the label's baseline
    target: float  # where its leader line points on the spine
    path: str  # the leader line


@dataclass(frozen=True, slots=True)
class Drawing:
    shapes: tuple[Shape, ...]
    lit: frozenset[str]  # names of the lit shapes
    regions: tuple[RegionMark, ...]
    labels: tuple[Label, ...]
    height: float
    description: str
    width: int = WIDTH
    region_x: int = REGION_X
    label_x: int = LABEL_X
    line: int = LINE


def _round_rect(top: float, height: float, half: float, radius: float) -> str:
    x0, x1, y1 = CENTRE - half, CENTRE + half, top + height
    r = min(radius, height / 2)
    return (
        f"M{x0 + r:g} {top:g}H{x1 - r:g}Q{x1:g} {top:g} {x1:g} {top + r:g}V{y1 - r:g}Q{x1:g} {y1:g} {x1 - r:g} {y1:g}"
        f"H{x0 + r:g}Q{x0:g} {y1:g} {x0:g} {y1 - r:g}V{top + r:g}Q{x0:g} {top:g} {x0 + r:g} {top:g}Z"
    )


def _layout() -> tuple[tuple[Shape, ...], tuple[RegionMark, ...], float]:
    shapes: list[Shape] = []
    regions: list[RegionMark] = []
    y = _TOP
    for region in REGIONS[:3]:
        height, width, disc = _SIZES[region.letter]
        region_top = y
        for number in range(1, region.count + 1):
            name = f"{region.letter}{number}"
            shapes.append(Shape(name, (name,), _round_rect(y, height, width / 2, 3), y, y + height, width / 2))
            y += height
            below = SEGMENTS[SEGMENTS.index(name) + 1]
            shapes.append(
                Shape(
                    f"{name}-{below}",
                    (name, below),
                    _round_rect(y, disc, width / 2 - 3, 2),
                    y,
                    y + disc,
                    width / 2 - 3,
                    disc=True,
                )
            )
            y += disc
        regions.append(_region(_REGION_NAMES[region.letter], region_top, y - disc))
    height, top_width, bottom_width = _SACRUM
    sacral = tuple(segment for segment in SEGMENTS if segment.startswith("S"))
    left, right = CENTRE - top_width / 2, CENTRE + top_width / 2
    bend = y + height * 0.6
    sacrum = (
        f"M{left:g} {y:g}H{right:g}Q{right - 4:g} {bend:g} {CENTRE + bottom_width / 2:g} {y + height:g}"
        f"H{CENTRE - bottom_width / 2:g}Q{left + 4:g} {bend:g} {left:g} {y:g}Z"
    )
    shapes.append(Shape("sacrum", sacral, sacrum, y, y + height, top_width / 2))
    regions.append(_region(_REGION_NAMES["S"], y, y + height))
    y += height + 3
    length, width = _COCCYX
    coccyx = f"M{CENTRE - width / 2:g} {y:g}H{CENTRE + width / 2:g}L{CENTRE:g} {y + length:g}Z"
    shapes.append(Shape("coccyx", (COCCYX,), coccyx, y, y + length, width / 2))
    regions.append(_region(("Coccyx",), y, y + length))
    return tuple(shapes), tuple(regions), y + length + _TOP


def _region(lines: tuple[str, ...], top: float, bottom: float) -> RegionMark:
    x = REGION_X + 6
    return RegionMark(lines, top, bottom, f"M{x + 4:g} {top:g}H{x:g}V{bottom:g}H{x + 4:g}")


SHAPES, REGION_MARKS, HEIGHT = _layout()
_BY_SEGMENTS = {shape.segments: shape for shape in SHAPES}


def drawing(levels: Sequence[Level]) -> Drawing:
    """The diagram with each of `levels` (one per key, in order of mention) lit and labelled."""
    lit: set[str] = set()
    targets: list[tuple[float, float, str]] = []
    for level in levels:
        shapes = _shapes(level)
        lit.update(shape.name for shape in shapes)
        edge = CENTRE + max(shape.half_width for shape in shapes) + 2
        targets.append(((shapes[0].top + shapes[-1].bottom) / 2, edge, level.name))
    labels = _spread(sorted(targets))
    height = max([HEIGHT, *(label.y + _TOP for label in labels)])
    description = "; ".join(f"{level.name}, {level.label}" for level in levels)
    return Drawing(SHAPES, frozenset(lit), REGION_MARKS, labels, height, f"Lit up: {description}.")


def _shapes(level: Level) -> list[Shape]:
    """The shapes a level lights: a disc, or each bone from its first segment to its last."""
    disc = _BY_SEGMENTS.get(EXITS_BETWEEN.get(level.first, (level.first, level.last)))
    if disc is not None and (level.kind == "disc" or level.first in EXITS_BETWEEN):
        return [disc]
    first, last = SEGMENTS.index(level.first), SEGMENTS.index(level.last)
    wanted = set(SEGMENTS[first : last + 1])
    return [shape for shape in SHAPES if not shape.disc and wanted & set(shape.segments)]


def _spread(targets: list[tuple[float, float, str]]) -> tuple[Label, ...]:
    """Labels beside their targets, top to bottom, pushed down just enough not to overlap."""
    labels: list[Label] = []
    y = 0.0
    for target, edge, text in targets:
        y = max(target + 4, y + LABEL_GAP)
        leader = f"M{edge:g} {target:g}L{LABEL_X - 4:g} {y - 4:g}"
        labels.append(Label(text, y, target, leader))
    return tuple(labels)
