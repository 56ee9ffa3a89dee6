"""What kind of page an article response is, from its structure: the signals of pages that answer 200 but are
not an article (bot challenges, login walls, maintenance, soft 404s, consent walls).

No single signal decides: an article page may carry a login widget, a cookie banner or `noindex`. Each signal
counts; tasks/verify/gate.py rejects a page only when several agree and its body is short.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.article_metadata import post_id_of

# Titles and headings of such pages, in the languages of most news sites. One signal among several.
# Whole words or phrases only: a stem would match ordinary prose ("troops" holds "oops", Russian "согласился"
# holds "согласи").
_KIND_PATTERNS: dict[str, re.Pattern[str]] = {
    "challenge": re.compile(
        r"\b(just a moment|attention required|one more step|checking (your|if the site connection|the site)|"
        r"verify(ing)? (you are|you're|that you are) (a )?human|are you a (robot|human)|security check|"
        r"access denied|request blocked|pardon (our|the) interruption|bot (check|protection|verification)|"
        r"captcha|ddos|einen moment|un instant|un momento|um momento|подождите|проверка браузера|"
        r"sicherheitsüberprüfung|vérification de sécurité|verificación de seguridad|zugriff verweigert|"
        r"acceso denegado|accès refusé|accesso negato)\b|请稍候|ちょっと待って", re.I),
    "login": re.compile(
        r"\b(log ?in|sign ?in|subscribe|subscriber|subscription|paywall|my account|anmelden|einloggen|abonnieren|"
        r"abo|connexion|se connecter|abonnez-vous|iniciar sesión|suscríbete|accedi|abbonati|inloggen|zaloguj się|"
        r"войти|вход|подпишитесь)\b", re.I),
    "maintenance": re.compile(
        r"\b(maintenance|briefly unavailable|temporarily unavailable|under construction|coming soon|be right back|"
        r"back soon|wartung|wartungsarbeiten|mantenimiento|manutenzione|onderhoud|przerwa techniczna|"
        r"технические работы|техническое обслуживание)\b", re.I),
    "not found": re.compile(
        r"\b(404|not found|page (you|you're|you are) looking for|doesn't exist|does not exist|no longer "
        r"available|nothing (was )?found|oops|page missing|seite nicht gefunden|nicht gefunden|"
        r"page (introuvable|non trouvée)|página no encontrada|pagina non trovata|niet gevonden|"
        r"nie znaleziono|не найдена|страница не найдена)\b|找不到|見つかりません", re.I),
    "consent": re.compile(
        r"\b(cookies?|consent|privacy (choices|settings|preferences)|your privacy|gdpr|datenschutz|"
        r"einwilligung|zustimmen|confidentialité|consentement|privacidad|consentimiento|toestemming|"
        r"prywatności|zgody na|политика конфиденциальности|согласие на обработку)\b", re.I),
    "http error": re.compile(
        r"\b(4\d\d|5\d\d)\b.{0,3}(error|forbidden|unauthori[sz]ed|bad gateway|service (temporarily )?unavailable|"
        r"gateway|too many requests|internal server)|^\s*(error|forbidden|unauthori[sz]ed|bad request|service "
        r"unavailable|bad gateway)\b", re.I),
}
# Scripts and forms of the bot-protection vendors; any one is a single signal, as is a `noscript` asking for
# JavaScript, which every vendor's interstitial shows.
_CHALLENGE_MARKERS = re.compile(
    r"/cdn-cgi/challenge-platform|_cf_chl_opt|challenges\.cloudflare\.com|cf-browser-verification|"
    r"captcha-delivery\.com|geo\.captcha|dd\s*=\s*\{|_pxAppId|px-captcha|perimeterx|/_Incapsula_Resource|"
    r"incapsula|sec-if-cpt|_sec/cp_challenge|bm-verify|akamai|hcaptcha\.com|google\.com/recaptcha|"
    r"kasada|ips\.js|sucuri|ddos-guard|wordfence|challenge-form|turnstile", re.I)
_ENABLE_JS = re.compile(r"(enable|activate|turn on|aktivieren|activer|habilita|attiva|включите)\W+\w*\s*"
                        r"(javascript|js|cookies)|javascript (is|must be) (required|enabled|disabled)|"
                        r"requires javascript|javascript.{0,20}(deaktiviert|désactivé|desactivado)", re.I)
_CONSENT_MARKERS = re.compile(r"onetrust|didomi|cookiebot|quantcast|usercentrics|trustarc|consentmanager|"
                              r"sp_message|cmp-|__cmp|__tcfapi|iubenda|cookie-?(law|notice|consent|banner|wall)|"
                              r"gdpr", re.I)


@dataclass
class PageSignals:
    """Signals of a page that is not an article; `kinds` are the kinds its title, heading or text suggest."""

    kinds: list[str] = field(default_factory=list)
    password_form: bool = False
    challenge_script: bool = False
    noscript_js: bool = False
    noindex: bool = False
    meta_refresh: bool = False
    consent_markup: bool = False
    page_words: int = 0  # visible words of the whole page, chrome included
    canonical: str = ""  # link rel=canonical, else og:url
    post_id: int | None = None  # the page's own WordPress post id (shortlink, article id, body class)
    canonical_home: bool = False  # the canonical names the site's home page (set by the gate, which knows the URL)
    title: str = ""  # <title>
    headings: list[str] = field(default_factory=list)  # h1 texts


def page_signals(html: str) -> PageSignals:
    """The signals of one HTML page (never raises: unreadable markup gives no signals)."""
    signals = PageSignals()
    try:
        tree = LexborHTMLParser(html)
    except Exception:
        return signals
    root = tree.root
    if root is None:
        return signals
    signals.title = _text(tree.css_first("title"))
    signals.headings = [_text(h) for h in tree.css("h1")][:3]
    signals.password_form = tree.css_first("input[type=password]") is not None
    signals.noindex = any("noindex" in (m.attributes.get("content") or "").lower()
                          for m in tree.css("meta[name=robots], meta[name=googlebot]"))
    signals.meta_refresh = any((m.attributes.get("http-equiv") or "").lower() == "refresh" for m in tree.css("meta"))
    scripts = " ".join((s.attributes.get("src") or "") + " " + (s.text() or "")[:4000] for s in tree.css("script"))
    forms = " ".join(f"{f.attributes.get('action') or ''} {f.attributes.get('id') or ''}" for f in tree.css("form"))
    signals.challenge_script = bool(_CHALLENGE_MARKERS.search(scripts + " " + forms))
    signals.noscript_js = any(_ENABLE_JS.search(n.text() or "") for n in tree.css("noscript"))
    marked = " ".join(f"{n.attributes.get('id') or ''} {n.attributes.get('class') or ''}"
                      for n in tree.css("[id], [class]"))
    signals.consent_markup = bool(_CONSENT_MARKERS.search(marked + " " + scripts))
    signals.canonical = _canonical(tree)
    with contextlib.suppress(Exception):
        signals.post_id = post_id_of(root)
    for node in tree.css("script, style, noscript, template"):
        node.decompose()
    body = tree.body
    visible = body.text(separator=" ") if body is not None else ""
    signals.page_words = len(visible.split())
    signals.kinds = page_kinds(signals.title, signals.headings)
    return signals


def page_kinds(title: str, headings: list[str]) -> list[str]:
    """The kinds of non-article page a title or a main heading names."""
    texts = [title, *headings]
    return [kind for kind, pattern in _KIND_PATTERNS.items() if any(pattern.search(t) for t in texts if t)]


def text_kinds(text: str, words: int) -> list[str]:
    """The kinds of non-article page a body's text keeps naming (challenge, login, consent, ...): once in a body
    of a few words, twice (once per 40 words in a longer one) otherwise; `words` 0 asks for any mention."""
    if not text:
        return []
    needed = 1 if words < 25 else max(2, words // 40)
    return [kind for kind, pattern in _KIND_PATTERNS.items()
            if kind != "http error" and len(pattern.findall(text)) >= needed]


def _canonical(tree: LexborHTMLParser) -> str:
    for node in tree.css("link[rel]"):
        if "canonical" in (node.attributes.get("rel") or "").lower().split():
            return (node.attributes.get("href") or "").strip()
    for node in tree.css("meta[property='og:url']"):
        return (node.attributes.get("content") or "").strip()
    return ""


def _text(node: LexborNode | None) -> str:
    return " ".join((node.text() or "").split()) if node is not None else ""
