"""Colours for charts: distinguishable with colour-vision deficiencies and
readable under WCAG 2.1 AA.

The categorical hues are the Okabe-Ito set (Okabe & Ito, "Color Universal
Design", 2008), darkened where needed so that every mark has at least 3:1
contrast against the white background (WCAG 1.4.11, non-text contrast).
Text on a coloured area takes black or white, whichever gives at least 4.5:1
(WCAG 1.4.3). Charts never rely on colour alone: every series is also named
in a legend and in the data table beside the chart.
"""
from __future__ import annotations

from typing import List, Sequence

BACKGROUND = "#ffffff"
TEXT = "#1b1b1b"          # body text, 16.8:1 on white
TEXT_MUTED = "#595959"    # secondary text, 7:1 on white
GRID = "#767676"          # axis lines, 4.5:1 on white
SUPPRESSED_FILL = "#ffffff"
SUPPRESSED_STROKE = "#595959"

#: Okabe-Ito hues in their usual order, darkened to >= 3:1 on white.
CATEGORICAL: List[str] = [
    "#0072B2",  # blue
    "#C25400",  # vermillion (darkened from #D55E00)
    "#007A5A",  # bluish green (darkened from #009E73)
    "#A6407C",  # reddish purple (darkened from #CC79A7)
    "#8A6500",  # orange (darkened from #E69F00)
    "#1b1b1b",  # black
]

#: Sequential single-hue blues for the map, light to dark. The lightest is
#: still visible against white with the tile outline (outline 4.5:1).
SEQUENTIAL: List[str] = ["#d4e4f4", "#9cc3e4", "#5a9bd0", "#2b6ca9", "#0b3f73"]


def _channel(c: float) -> float:
    c = c / 255.0
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rrggbb``."""
    h = colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(fill: str) -> str:
    """Black or white text, whichever contrasts more with ``fill``."""
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#ffffff") else "#ffffff"


def categorical(n: int) -> List[str]:
    """``n`` categorical colours (cycled past the palette's length)."""
    return [CATEGORICAL[i % len(CATEGORICAL)] for i in range(n)]


def sequential_class(value: float, breaks: Sequence[float]) -> int:
    """Index of the class of ``value`` given ascending upper ``breaks``."""
    for i, upper in enumerate(breaks):
        if value <= upper:
            return i
    return len(breaks) - 1
