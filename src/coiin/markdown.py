"""User-written text: Markdown rendered on the server, then sanitised with an allow-list.

markdown-it-py ("commonmark" with tables and strikethrough; raw HTML off) turns the text
into HTML; nh3 then keeps only the tags, attributes and URL schemes listed here, so no
script, style or event attribute survives whatever markdown-it lets through. Headings are
shifted down two levels (a post's ``#`` is an ``h3``) so they sit under the page's own.

Mentions: ``@handle``, where a person's handles are their e-mail local part
(``fay.faculty`` for fay.faculty@example.org) and ``first.last`` from their name, both
lower-case with spaces removed. Only handles passed in ``mentionable`` become links.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

# markdown-it-py and nh3 are imported when text is first rendered, not with the module: the
# apps that register what they show elsewhere import this module when Django starts, and a
# process that renders no text (a report, most commands) need not load them.

MENTION_RE = re.compile(r"(?<![\w@.])@([a-z0-9][a-z0-9._-]{0,62}[a-z0-9]|[a-z0-9])",
                        re.IGNORECASE)
_HANDLE_AT = re.compile(r"[a-z0-9][a-z0-9._-]{0,62}", re.IGNORECASE)

TAGS = {
    "p", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "h3", "h4",
    "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "del", "s",
}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Bidirectional overrides can make text read differently from what it is ("unicode tricks").
_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
         "\u2069"}


def max_chars() -> int:
    return getattr(settings, "COMMUNITY_MAX_POST_CHARS", 20_000)


@dataclass
class Rendered:
    html: str
    mentioned: list[str] = field(default_factory=list)  # handles that became links
    links: list[str] = field(default_factory=list)  # paths of this site linked from the text


def candidate_handles(text: str) -> set[str]:
    """Every ``@handle`` in the text, lower-case (code included: resolution is cheap)."""
    return {m.group(1).lower().rstrip(".") for m in MENTION_RE.finditer(text)}


def check(text: str, *, limit: int | None = None) -> None:
    """Refuse text we will not store, with a message the writer can act on."""
    limit = limit or max_chars()
    if not text.strip():
        raise ValidationError(_("Write something first."), code="empty")
    if len(text) > limit:
        raise ValidationError(
            _("The text is %(number)s characters long; the limit is %(limit)s. Shorten it or "
              "attach the long part as a file.")
            % {"number": format(len(text), ","), "limit": format(limit, ",")}, code="too_long")
    bad = sorted({c for c in text if unicodedata.category(c) in {"Cc", "Cs", "Co"}
                  and c not in "\t\n\r"} | (set(text) & _BIDI))
    if bad:
        names = ", ".join(f"U+{ord(c):04X}" for c in bad[:5])
        raise ValidationError(
            _("The text contains invisible control characters (%(names)s); remove them.")
            % {"names": names},
            code="control_characters")
    fences = [line for line in text.splitlines() if line.lstrip().startswith("```")]
    if len(fences) % 2:
        raise ValidationError(
            _("A code block opened with ``` is never closed: add a closing ``` line."),
            code="unclosed_fence")


def _mention_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if state.src[pos] != "@" or state.linkLevel > 0:
        return False
    if pos > 0 and (state.src[pos - 1].isalnum() or state.src[pos - 1] in "@._"):
        return False
    match = _HANDLE_AT.match(state.src, pos + 1)
    if not match:
        return False
    handle = match.group(0).rstrip("._-")
    known: dict[str, str] = state.env.get("mentionable", {})
    if handle.lower() not in known:
        return False
    if not silent:
        token = state.push("mention", "", 0)
        token.meta = {"handle": handle.lower(), "url": known[handle.lower()]}
        token.content = "@" + handle
    state.pos = pos + 1 + len(handle)
    return True


def _render_mention(self, tokens, idx, options, env) -> str:
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    env.setdefault("mentioned", []).append(token.meta["handle"])
    url = escapeHtml(token.meta["url"])
    return f'<a class="mention" href="{url}">{escapeHtml(token.content)}</a>'


def _render_image(self, tokens, idx, options, env) -> str:
    """No images in text (they could track readers): an image becomes a link to it."""
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    alt = escapeHtml(token.content or "image")
    src = escapeHtml(str(token.attrGet("src") or ""))
    return f'<a href="{src}">{alt}</a>'


def _shift_headings(state) -> None:
    for token in state.tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"


@cache
def _parser() -> MarkdownIt:
    """The one parser, made on first use."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.inline.ruler.before("emphasis", "mention", _mention_rule)
    md.core.ruler.push("shift_headings", _shift_headings)
    md.add_render_rule("mention", _render_mention)
    md.add_render_rule("image", _render_image)
    return md



def _site_path(href: str) -> str | None:
    """The path of a link to this site (relative, or absolute to SITE_URL), else None."""
    site = urlsplit(getattr(settings, "SITE_URL", ""))
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return None
    if not parts.path.startswith("/"):
        return None
    return parts.path


def _links(tokens) -> list[str]:
    found: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                path = _site_path(str(child.attrGet("href") or ""))
                if path and path not in found:
                    found.append(path)
    return found


_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def _safe_href(tag: str, attr: str, value: str) -> str | None:
    """Belt and braces over nh3's scheme check: also refuse a link whose scheme only shows
    after percent-decoding and dropping invisible characters (a browser would not follow
    it as such, but a copy-paste might)."""
    if attr != "href":
        return value
    decoded = unquote(value)
    visible = "".join(c for c in decoded if unicodedata.category(c)[0] not in {"C", "Z"})
    match = _SCHEME.match(visible.lower())
    if match and match.group(1) not in URL_SCHEMES:
        return None
    return value


def sanitise(html: str) -> str:
    import nh3

    return nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
        attribute_filter=_safe_href,
        link_rel="nofollow noopener", allowed_classes={"a": {"mention"}},
        clean_content_tags={"script", "style"}, strip_comments=True,
    )


def render(text: str, *, mentionable: dict[str, str] | None = None) -> Rendered:
    """Markdown → safe HTML. ``mentionable`` maps lower-case handles to profile URLs."""
    env: dict = {"mentionable": mentionable or {}}
    md = _parser()
    tokens = md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    mentioned = list(dict.fromkeys(env.get("mentioned", [])))
    return Rendered(html=sanitise(html), mentioned=mentioned, links=_links(tokens))
