"""Drawing the reports' charts: each Vega-Lite spec as SVG (``svg``), lean enough for the PDF
engine, and the chart and PDF engines started ahead of their first use (``start_engines``).

The PDF engine draws an SVG node by node in Python, so what the chart renderer writes that
draws nothing costs time in every PDF: each mark group's empty background and hidden
foreground, wrapper groups without attributes, attributes for the browser's event handling
and styling (pointer-events, class, aria-hidden inside an image announced as one). ``lean``
leaves those out and draws each set of axis ticks or grid lines, alike but for their place,
as one path, which paints the same strokes; what is drawn, and where, does not change. The
HTML report shows the same SVG as the PDF.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405 - writing only; reading uses defusedxml

import defusedxml.ElementTree as SafeET
import vl_convert as vlc
from django.utils.html import escape
from django.utils.translation import get_language, gettext

from coiin.charts.spec_language import in_language

# The reports' own font (``font_faces``) first in the charts' font stack: the PDF draws the
# charts' text in the same shipped font as the rest of the page, whatever fonts the server
# has, and embeds one font family instead of two. The chart renderer does not know it and
# measures the text with the next font of the stack, as before; a browser showing the HTML
# report falls back to that font too.
CHART_FONT = "CoIIN Sans"

SVG_NS = "http://www.w3.org/2000/svg"
_NS = f"{{{SVG_NS}}}"


def _time_locale() -> dict[str, str]:
    """Month names in the report's language on the charts' time axes (vl-convert's own
    locales; English is its default)."""
    language = (get_language() or "en")[:2]
    return {"time_format_locale": "es-ES"} if language == "es" else {}


def svg(spec: dict[str, Any] | None, width: int = 600, height: int = 200) -> str:
    """The chart as SVG: one image named by the chart's description (or title), its marks
    not announced one by one (the report prints the figures beside it)."""
    if not spec:
        return ""
    spec = in_language(spec) or spec
    config = {**spec.get("config", {}), "aria": False}
    if config.get("font"):
        config["font"] = f"{CHART_FONT}, {config['font']}"
    drawn = vlc.vegalite_to_svg({**spec, "width": width, "height": height, "config": config},
                                **_time_locale())
    title = spec.get("title")
    name = spec.get("description") or (title.get("text") if isinstance(title, dict) else title)
    drawn = lean(_MARK_ROLES.sub("", drawn))
    label = escape(str(name or gettext("Chart")))
    return drawn.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


# Vega's roles for groups and marks, left on layered charts even with ARIA off.
_MARK_ROLES = re.compile(r'\s(?:role="graphics-[a-z]+"|aria-roledescription="[^"]*")')
# Attributes that change nothing drawn inside an image (the root keeps its own).
_INERT = ("class", "aria-hidden", "pointer-events")
# What a <line> may carry to be drawn as part of one path with its like siblings.
_LINE_PLACE = {"transform", "x1", "y1", "x2", "y2"}
_TRANSLATE = re.compile(r"translate\(([-+0-9.e]+),\s*([-+0-9.e]+)\)")
_KEEP = ("defs", "clipPath", "mask", "pattern", "marker", "symbol", "linearGradient",
         "radialGradient", "filter", "style")


def lean(drawn: str) -> str:
    """The SVG without what draws nothing, each run of like lines as one path (see the
    module's docstring); the same picture."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = SafeET.fromstring(drawn)
    _lean_children(root, root.get("fill", "black"), root.get("stroke", "none"))
    return ET.tostring(root, encoding="unicode")


def _tag(node: ET.Element) -> str:
    return node.tag.removeprefix(_NS) if isinstance(node.tag, str) else ""


def _draws_nothing(node: ET.Element, fill: str, stroke: str) -> bool:
    """A shape that paints nothing: hidden, an empty path, or neither filled nor stroked
    (and not referred to, nor carrying markers)."""
    if node.get("display") == "none":
        return True
    if _tag(node) != "path" or "id" in node.attrib or "style" in node.attrib:
        return False
    if not node.get("d"):
        return True
    markers = ("marker-start", "marker-mid", "marker-end")
    return fill == "none" and stroke == "none" and not any(node.get(m) for m in markers)


def _lean_children(parent: ET.Element, fill: str, stroke: str) -> None:
    kept: list[ET.Element] = []
    for child in list(parent):
        tag = _tag(child)
        if tag in _KEEP or "id" in child.attrib:
            kept.append(child)
            continue
        for name in _INERT:
            child.attrib.pop(name, None)
        own_fill, own_stroke = child.get("fill", fill), child.get("stroke", stroke)
        if _draws_nothing(child, own_fill, own_stroke):
            continue
        _lean_children(child, own_fill, own_stroke)
        if tag == "g" and child.attrib.get("transform", "translate(0,0)") == "translate(0,0)" \
                and set(child.attrib) <= {"transform"}:
            kept.extend(child)  # a group that changes nothing: its children in its place
        elif tag == "g" and len(child) == 0:
            continue
        else:
            kept.append(child)
    parent[:] = _lines_as_paths(kept)


def _lines_as_paths(nodes: list[ET.Element]) -> list[ET.Element]:
    """Each run of two or more <line>s that differ only in their place as one <path> with
    their common attributes: stroking a path strokes each of its subpaths as a line (a
    dash pattern starts again at each), so lines drawn opaque look the same."""
    out: list[ET.Element] = []
    run: list[ET.Element] = []

    def close() -> None:
        if len(run) < 2:
            out.extend(run)
        else:
            style = {k: v for k, v in run[0].attrib.items() if k not in _LINE_PLACE}
            path = ET.Element(f"{_NS}path", {"d": "".join(_segment(line) for line in run),
                                             **style})
            out.append(path)
        run.clear()

    for node in nodes:
        if not _joinable(node) or (run and _style(node) != _style(run[0])):
            close()
        if _joinable(node):
            run.append(node)
        else:
            out.append(node)
    close()
    return out


def _style(node: ET.Element) -> dict[str, str]:
    return {k: v for k, v in node.attrib.items() if k not in _LINE_PLACE}


def _joinable(node: ET.Element) -> bool:
    if _tag(node) != "line" or len(node) or (node.text or "").strip():
        return False
    style = _style(node)
    opaque = all(style.get(k, "1") in ("1", "1.0") for k in ("opacity", "stroke-opacity"))
    transform = node.get("transform")
    return opaque and set(style) <= {"stroke", "stroke-width", "stroke-dasharray",
                                     "stroke-linecap", "opacity", "stroke-opacity"} \
        and (transform is None or _TRANSLATE.fullmatch(transform) is not None)


def _segment(line: ET.Element) -> str:
    dx = dy = 0.0
    if (transform := line.get("transform")) and (moved := _TRANSLATE.fullmatch(transform)):
        dx, dy = float(moved.group(1)), float(moved.group(2))
    x1, y1, x2, y2 = (float(line.get(k, "0")) for k in ("x1", "y1", "x2", "y2"))
    return f"M{_num(x1 + dx)},{_num(y1 + dy)}L{_num(x2 + dx)},{_num(y2 + dy)}"


def _num(x: float) -> str:
    return repr(x).removesuffix(".0")


_STARTED: set[str] = set()


def start_engines(fmt: str) -> None:
    """Start in the background, once a process, what a report in ``fmt`` needs that is slow
    to start, so that it starts while the report's inputs are read: the chart renderer
    (HTML and PDF; its engine runs in its own thread and does not hold the GIL) and, for a
    PDF, the import of the PDF engine (its libraries and user-agent stylesheet), which
    goes on whenever the main thread waits for a query or a chart. Nothing waits for them:
    ``svg`` and the PDF rendering use them as usual, the renderer's lock and Python's import
    lock making a first use wait for a start still under way."""
    wanted = {"html": ["charts"], "pdf": ["charts", "pdf"]}.get(fmt, [])
    for engine in wanted:
        if engine in _STARTED:
            continue
        _STARTED.add(engine)
        work = (_start_chart_renderer if engine == "charts"
                else lambda: importlib.import_module("weasyprint"))
        threading.Thread(target=_quietly, args=(work,), name=f"start-{engine}",
                         daemon=True).start()


def _start_chart_renderer() -> None:
    vlc.vegalite_to_svg({"mark": "point"})


def _quietly(work: Callable[[], object]) -> None:
    """A head start only: an engine that fails to start fails again, with its error, where
    the report uses it."""
    with suppress(Exception):
        work()
