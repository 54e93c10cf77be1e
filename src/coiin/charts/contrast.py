"""Text on coloured fills (map tiles, heat cells): WCAG 2.x relative luminance and contrast
ratio, and the ink that reads on a fill. Pure: no Django."""

from __future__ import annotations

LIGHT_INK = "#ffffff"
DARK_INK = "#111111"
AA_NORMAL_TEXT = 4.5  # WCAG 2.x 1.4.3, text under 18pt (14pt bold)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """Of a #rrggbb colour, 0 (black) to 1 (white)."""
    code = colour.lstrip("#")
    if len(code) != 6:
        raise ValueError(f"colour {colour!r}: expected #rrggbb")
    r, g, b = (_channel(int(code[i:i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """1 (same luminance) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ink_for(fill: str) -> str:
    """The ink, light or dark, with the more contrast on the fill."""
    return max((LIGHT_INK, DARK_INK), key=lambda ink: contrast_ratio(fill, ink))
