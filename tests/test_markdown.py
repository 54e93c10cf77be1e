"""User-written text is rendered as Markdown and sanitised: nothing executable survives."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from coiin import markdown

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "[click][ref]\n\n[ref]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[a](vbscript:msgbox(1))",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p style=\"color:red\" onclick=\"alert(1)\">x</p>",
    "[x](https://ok.example \"title\" onmouseover=alert(1))",
    "[[x](javascript:alert(1))](https://ok.example)",
    "[x](<javascript:alert(1)>)",
    "<a href='https://ok.example' onclick='alert(1)'>x</a>",
    "<<script>script>alert(1)<</script>/script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "[x](\u200bjavascript:alert(1))",
    "[x](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
    "<a href=\"https://ok.example\" style=\"position:fixed\">x</a>",
    "[x](https://ok.example)<img src=1 onerror=alert(1)>",
]


class Markup(HTMLParser):
    """The real tags and attributes of a fragment (escaped text is not markup)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def scheme_of(url: str) -> str:
    """The scheme a browser would see: it drops tabs/newlines and leading controls."""
    url = re.sub(r"[\t\n\r]", "", url).lstrip("\x00\x01\x02\x03\x04 ").lower()
    m = SCHEME.match(url)
    return m.group(1) if m else ""


@pytest.mark.parametrize("payload", XSS)
def test_no_payload_survives_sanitisation(payload):
    html = markdown.render(payload).html
    assert "<script" not in html.lower()
    for tag, attrs in Markup(html).tags:
        assert tag in markdown.TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            assert "javascript:" not in (value or "").lower(), html
            if name == "href":
                assert scheme_of(value or "") in {"", "http", "https", "mailto"}, html


def test_the_corpus_has_at_least_thirty_payloads():
    assert len(XSS) >= 30


def test_links_get_nofollow_and_only_safe_schemes():
    html = markdown.render("[a](https://x.example) [b](mailto:a@b.example) [c](/measures/)"
                           " [d](ftp://x.example/f)").html
    assert html.count('rel="nofollow noopener"') == 4
    assert "ftp:" not in html


def test_headings_sit_below_the_page_heading():
    html = markdown.render("# One\n\n## Two\n\n###### Six").html
    assert "<h3>One</h3>" in html and "<h4>Two</h4>" in html and "<h6>Six</h6>" in html
    assert "<h1" not in html and "<h2" not in html


def test_tables_and_strikethrough_render():
    html = markdown.render("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n~~gone~~").html
    assert "<table>" in html and "<td>1</td>" in html and "gone" in html
    assert "style" not in html


def test_images_become_links_not_images():
    html = markdown.render("![crib audit](https://x.example/a.png)").html
    assert "<img" not in html and '<a href="https://x.example/a.png"' in html


def test_over_long_text_is_refused_with_the_numbers(settings):
    settings.COMMUNITY_MAX_POST_CHARS = 100
    with pytest.raises(ValidationError) as exc:
        markdown.check("x" * 101)
    assert "101 characters" in exc.value.messages[0] and "100" in exc.value.messages[0]


@pytest.mark.parametrize("text, code", [
    ("```\nnever closed", "unclosed_fence"),
    ("hidden \u202e text", "control_characters"),
    ("nul \x00 byte", "control_characters"),
    ("   ", "empty"),
])
def test_malformed_text_is_refused_with_a_clear_error(text, code):
    with pytest.raises(ValidationError) as exc:
        markdown.check(text)
    assert exc.value.code == code


class TestMentions:
    def test_handles_are_found_but_not_e_mail_addresses(self):
        text = "Thanks @fay.faculty and @Dara! Write to max@example.org."
        assert markdown.candidate_handles(text) == {"fay.faculty", "dara"}

    def test_only_known_handles_become_links(self):
        r = markdown.render("Hi @fay.faculty and @nobody.", mentionable={
            "fay.faculty": "/people/?q=fay"})
        assert r.mentioned == ["fay.faculty"]
        assert '<a class="mention" href="/people/?q=fay"' in r.html
        assert "@nobody" in r.html and r.html.count("<a") == 1

    def test_a_mention_in_code_is_not_a_mention(self):
        r = markdown.render("`@fay.faculty`\n\n    @fay.faculty",
                            mentionable={"fay.faculty": "/p"})
        assert r.mentioned == [] and "mention" not in r.html

    def test_a_trailing_full_stop_is_not_part_of_the_handle(self):
        r = markdown.render("Ask @fay.faculty.", mentionable={"fay.faculty": "/p"})
        assert r.mentioned == ["fay.faculty"] and r.html.endswith(".</p>\n")

    def test_links_to_this_site_are_collected_for_previews(self, settings):
        settings.SITE_URL = "https://coiin.example"
        r = markdown.render("[c](/networks/safe-sleep/ga/charts/SS-CRIB/) "
                            "[m](https://coiin.example/measures/SS-CRIB/) "
                            "[x](https://elsewhere.example/measures/)")
        assert r.links == ["/networks/safe-sleep/ga/charts/SS-CRIB/", "/measures/SS-CRIB/"]
