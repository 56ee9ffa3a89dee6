"""Stored HTML is safe to render: the OWASP XSS filter-evasion vectors through warehouse.safe_html.clean_html.

The vectors follow the OWASP "XSS Filter Evasion Cheat Sheet" (encoded and whitespace-split schemes, entities
without semicolons, data:/vbscript:, SVG and MathML, event handlers, unclosed tags, frames, objects, styles,
<base>, srcset, formaction). `unsafe_parts` is an independent check: it parses the output with lexbor, as a
browser would, and names every element or attribute that could run script.
"""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from warehouse.safe_html import clean_html

PAGE = "https://news.antiwar.com/2026/07/01/hostile-page/"

# (name, vector): every one must come out without an executable element, attribute or URL.
VECTORS: list[tuple[str, str]] = [
    ("script-src", '<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>'),
    ("img-javascript", """<IMG SRC="javascript:alert('XSS');">"""),
    ("img-no-quotes", "<IMG SRC=javascript:alert('XSS')>"),
    ("mixed-case", "<IMG SRC=JaVaScRiPt:alert('XSS')>"),
    ("grave-accents", """<IMG SRC=`javascript:alert("RSnake says, 'XSS'")`>"""),
    ("a-onmouseover", '<a onmouseover="alert(document.cookie)">xxs link</a>'),
    ("malformed-img", '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>'),
    ("img-onmouseover", """<IMG SRC=# onmouseover="alert('xxs')">"""),
    ("img-onerror", '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>'),
    ("onerror-encoded", '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
                        '&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116'
                        '&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">'),
    ("decimal-entities", "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
                         "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>"),
    ("decimal-no-semicolons", "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
                              "&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040"
                              "&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>"),
    ("hex-no-semicolons", "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72"
                          "&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>"),
    ("hex-first-letter", '<a href="&#x6A;avascript:alert(1)">first letter</a>'),
    ("a-decimal-no-semicolons", '<a href="&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)">d</a>'),
    ("named-colon", '<a href="javascript&colon;alert(1)">colon</a>'),
    ("embedded-tab", "<a href=\"jav\tascript:alert('XSS');\">tab</a>"),
    ("encoded-tab", '<a href="java&#9;script:alert(1)">encoded tab</a>'),
    ("encoded-newline", "<a href=\"jav&#x0A;ascript:alert('XSS');\">newline</a>"),
    ("encoded-carriage-return", "<a href=\"jav&#x0D;ascript:alert('XSS');\">cr</a>"),
    ("null-byte", '<a href="java\x00script:alert(1)">null</a>'),
    ("leading-spaces-meta", "<a href=\" &#14;  javascript:alert('XSS');\">leading</a>"),
    ("leading-control", '<a href="\x01javascript:alert(1)">control</a>'),
    ("data-text-html", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">data</a>'),
    ("data-img", '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'),
    ("vbscript", '<a href="vbscript:msgbox(&quot;XSS&quot;)">vb</a>'),
    ("vbscript-img", "<IMG SRC='vbscript:msgbox(\"XSS\")'>"),
    ("svg-onload", "<svg/onload=alert('XSS')>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-xlink", '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>'),
    ("mathml-mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>"
                    "</table></mtext></math>"),
    ("mathml-href", '<math href="javascript:alert(1)">CLICKME</math>'),
    ("math-maction", '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">X</maction></math>'),
    ("body-onload", "<BODY ONLOAD=alert('XSS')>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)>x</details>"),
    ("audio-onerror", "<audio src=x onerror=alert(1)>"),
    ("video-source", '<video><source onerror="alert(1)"></video>'),
    ("unclosed-img", "<IMG SRC=\"javascript:alert('XSS')\""),
    ("unclosed-script", "<SCRIPT SRC=//xss.rocks/.j>"),
    ("half-open-iframe", "<iframe src=http://xss.rocks/scriptlet.html <"),
    ("double-open", '<<SCRIPT>alert("XSS");//\\<</SCRIPT>'),
    ("iframe", "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>"),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("frameset", "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>"),
    ("object", '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>'),
    ("embed", '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3Zn'
              'IiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv" type="image/svg+xml" AllowScriptAccess="always"></EMBED>'),
    ("div-style-url", "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">styled</DIV>"),
    ("style-expression", "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">"),
    ("style-import", "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>"),
    ("style-tag-expression", '<p style="width: expression(alert(1))">expr</p>'),
    ("base-href", "<BASE HREF=\"javascript:alert('XSS');//\">"),
    ("srcset", '<img srcset="javascript:alert(1) 1x, /x.png 2x" src="https://cdn.example.org/x.png">'),
    ("formaction", '<form><button formaction="javascript:alert(1)">X</button></form>'),
    ("input-formaction", '<input type="image" formaction=javascript:alert(1) src=x>'),
    ("meta-refresh", "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">"),
    ("link-stylesheet", "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">"),
    ("table-background", "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TR><TD BACKGROUND=\"javascript:alert("
                         "'XSS')\">cell</TD></TR></TABLE>"),
    ("dynsrc-lowsrc", "<IMG DYNSRC=\"javascript:alert('XSS')\"><IMG LOWSRC=\"javascript:alert('XSS')\">"),
    ("noembed-breakout", '<noembed><img title="</noembed><img src onerror=alert(1)>"></noembed>'),
    ("xmp-breakout", '<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>'),
    ("comment-breakout", '<!--<img src="--><img src=x onerror=alert(1)//">'),
    ("template", "<template><img src=x onerror=alert(1)></template>"),
]
SAFE_SCHEMES = {"http", "https", "mailto"}
# what a renderer would run or load: scripts, frames, plug-ins, forms, styles, document-level elements
UNSAFE_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "base",
               "meta", "link", "form", "button", "input", "template", "noembed", "xmp", "audio", "video", "source"}
ALLOWED_ATTRIBUTES = {"href", "title", "src", "alt", "datetime", "colspan", "rowspan"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))


def unsafe_parts(html: str) -> list[str]:
    """Every element or attribute of `html` (parsed as a browser does) that could run script; [] when safe."""
    found: list[str] = []
    tree = LexborHTMLParser(f"<!doctype html><html><head></head><body>{html}</body></html>")
    for node in tree.root.traverse(include_text=False) if tree.root is not None else []:
        tag = (node.tag or "").lower()
        if tag.startswith(("-", "_")):
            continue
        if tag in UNSAFE_TAGS:
            found.append(f"<{tag}>")
        for name, value in node.attributes.items():
            name = name.lower()
            if name not in ALLOWED_ATTRIBUTES:
                found.append(f"<{tag} {name}>")
            elif name in {"href", "src"} and (scheme := url_scheme(value or "")) and scheme not in SAFE_SCHEMES:
                found.append(f"<{tag} {name}={value!r}>")
    return found


def url_scheme(value: str) -> str | None:
    """The scheme a browser sees: leading C0 controls and spaces dropped, tabs and newlines removed anywhere."""
    cleaned = re.sub(r"[\t\n\r]", "", value.strip(_C0_OR_SPACE)).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


@pytest.mark.parametrize(("name", "vector"), VECTORS, ids=[name for name, _ in VECTORS])
def test_owasp_vector_comes_out_harmless(name: str, vector: str) -> None:
    html = f"<p>Before the vector.</p>{vector}<p>After the vector.</p>"
    cleaned = clean_html(html, PAGE)
    assert unsafe_parts(cleaned) == [], cleaned
    assert "Before the vector." in cleaned


def test_the_vectors_cover_the_cheat_sheet() -> None:
    assert len(VECTORS) >= 25
    assert len({name for name, _ in VECTORS}) == len(VECTORS)


def test_the_checker_catches_what_the_old_denylist_let_through() -> None:
    """unsafe_parts is no rubber stamp: raw vectors are flagged."""
    for raw in ('<a href="java&#9;script:alert(1)">x</a>', '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
                '<a href="vbscript:msgbox(1)">x</a>', "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>",
                '<p style="x:expression(alert(1))">x</p>', '<a href="&#x6A;avascript:alert(1)">x</a>'):
        assert unsafe_parts(raw), raw


def test_ordinary_content_keeps_its_structure_and_links() -> None:
    html = ('<p class="wp-block-paragraph" style="color:red">Officials <a href="https://example.org/report" '
            'title="The report" target="_blank" onclick="track()">said</a> on <time datetime="2026-07-01">July '
            '1</time>.</p><figure><img src="https://cdn.example.org/a.jpg" alt="A map" width="600">'
            "<figcaption>A map</figcaption></figure><table><tr><td colspan=\"2\">x</td></tr></table>"
            '<p>Write to <a href="mailto:editor@example.org">the editor</a>.</p><h1>Unwrapped</h1><div>kept</div>')
    assert clean_html(html, PAGE) == (
        '<p>Officials <a href="https://example.org/report" title="The report">said</a> on '
        '<time datetime="2026-07-01">July 1</time>.</p><figure><img src="https://cdn.example.org/a.jpg" '
        'alt="A map"><figcaption>A map</figcaption></figure><table><tbody><tr><td colspan="2">x</td></tr>'
        '</tbody></table><p>Write to <a href="mailto:editor@example.org">the editor</a>.</p>Unwrappedkept')


def test_relative_urls_are_resolved_against_the_page() -> None:
    html = ('<p><a href="/2026/07/02/next/">next</a> <a href="../older/">older</a> <a href="#fn1">1</a> '
            '<a href="//cdn.example.org/x">cdn</a><img src="wp-content/a.png" alt=""></p>')
    assert clean_html(html, PAGE) == (
        '<p><a href="https://news.antiwar.com/2026/07/02/next/">next</a> '
        '<a href="https://news.antiwar.com/2026/07/01/older/">older</a> '
        '<a href="https://news.antiwar.com/2026/07/01/hostile-page/#fn1">1</a> '
        '<a href="https://cdn.example.org/x">cdn</a>'
        '<img src="https://news.antiwar.com/2026/07/01/hostile-page/wp-content/a.png" alt=""></p>')


def test_without_an_http_page_relative_urls_stay_relative() -> None:
    for base in (None, "", "javascript:alert(1)", "file:///etc/passwd"):
        assert clean_html('<a href="/x">x</a>', base) == '<a href="/x">x</a>'


def test_schemes_other_than_http_https_mailto_are_dropped_but_the_text_kept() -> None:
    for href in ("ftp://example.org/f", "tel:+15555555", "file:///etc/passwd", "blob:https://x/1", "about:blank"):
        assert clean_html(f'<a href="{href}">text</a>', PAGE) == "<a>text</a>"


def test_cleaning_is_idempotent() -> None:
    for _, vector in VECTORS:
        once = clean_html(f"<p>x</p>{vector}", PAGE)
        assert clean_html(once, PAGE) == once
