"""The article body: strip the page's chrome, score the DOM for the main text, clean what is kept.

Scoring follows the readability family (paragraph text and commas counted into ancestors, link
density against), with two additions: containers that CMSs conventionally mark as the article body
win when they hold most of the text, and blocks inside the winner are filtered one by one
(link lists, share lines, "Advertisement").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.generic.deck import find_deck
from tasks.parse.generic.headline import HeadlineText
from tasks.parse.generic.marks import WordMarks
from tasks.parse.generic.text import (
    HEADING_TAGS,
    LinkText,
    block_paragraphs,
    css_unique,
    decompose_all,
    is_longer_than,
    squash,
    text_len,
    without_marks,
)

# Never shown to a reader as text.
INVISIBLE_TAGS = "script, style, noscript, template"
# Never article text. (Tags without text, like <img>, are left: removing costs more than it gains.)
NEVER_TEXT_TAGS = (
    "iframe, svg, nav, footer, button, select, textarea, object, video, audio, canvas, dialog, figcaption"
)
# Class/id words of page chrome, matched as whole parts of a token (see marks.py for the notation).
_BOILERPLATE_WORDS = """
    share shares sharing sharedaddy social socials related relatedposts recommend* newsletter subscribe subscription
    cookie cookies consent gdpr advert* ad ads adv adslot dfp sponsor* promo promos promotion outbrain taboola
    breadcrumb breadcrumbs sidebar comment comments commentlist disqus respond pagination pager signup recirc*
    trending popular tags tagcloud tagged tag-?list author authors author-?bio about-?author authorbox author-?box bio
    toolbar sr-only screen-reader-text visually-?hidden navbar navigation nav menu footer byline meta postmeta
    entry-?meta post-?meta article-?meta caption wp-caption credit credits copyright disclaimer more-?stories
    read-?more readmore see-?also also-?read jp-relatedposts addtoany a2a crp yarpp donate newsletter-?signup
    inline-?related post-?navigation nav-?links prev-?next author-?info share-?bar
"""
# Words that mark chrome often but content sometimes (page builders wrap every text block in a
# "widget"): such nodes go only when they are short or mostly links.
_WEAK_BOILERPLATE_WORDS = """
    widget widgets header embed player video-?player podcast-?player gallery slideshow audio hidden banner toc
    table-?of-?contents print overlay popup modal tooltip infobox cta follow rating vote skip login paywall topbar
    masthead notice
"""
_CHROME_WORDS = WordMarks(_BOILERPLATE_WORDS, _WEAK_BOILERPLATE_WORDS)
_WEAK_KEEP_LENGTH = 200
_CHROME_CANDIDATES = "[class], [id], [style], [hidden], header, form, aside"
_BEM_MODIFIER = re.compile(r"--[\w-]+")
_KEEP_TAGS = frozenset(("html", "body", "main", "article"))
# Usually chrome, but some sites put the whole article inside one: removed only when small.
_SOFT_CHROME_TAGS = frozenset(("header", "form", "aside"))
# Readability's class weights: any of these anywhere in the (lower-cased) class or id.
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose|rich-?text|markdown"
)
_NEGATIVE = re.compile(
    r"hidden|banner|combx|comment|contact|foot|footnote|gdpr|masthead|media|meta|outbrain|promo|related|"
    r"scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|teaser|nav|menu|social"
)
# Containers CMSs conventionally give the article text (WordPress, Drupal, Ghost, schema.org, ...).
ARTICLE_BODY_SELECTORS = (
    '[itemprop="articleBody"]', '[itemprop="text"]', '[property="articleBody"]', ".entry-content",
    ".post-content", ".article-body", ".article__body", ".articleBody", ".article-content",
    ".article__content", ".story-body", ".story-content", ".post-body", ".post-entry", ".entry-body",
    ".content-body", ".article-text", ".articletext", ".body-text", ".single-post-content", ".post_content",
    ".entry_content", ".article_body", ".td-post-content", ".field-name-body", ".field--name-body",
    ".c-entry-content", ".post__content", ".blog-post-content", ".text-content", ".node-content",
    "#article-body", "#articleBody", "#article_body", "#story-body", ".post-text", ".postcontent",
    ".postbody", ".storycontent", ".entrytext", ".entry", ".post", "article", "main",
)  # fmt: skip
_STRONG_SELECTOR_COUNT = len(ARTICLE_BODY_SELECTORS) - 4  # the generic tail (.entry, .post, article, main)
_SCORED_TAGS = frozenset(("p", "pre", "td", "blockquote"))
_PARAGRAPH_NODES = "p, pre, td, blockquote, div, section, article"
_JUNK_LINE = re.compile(
    r"^(?:advertisement|advertisements|anzeige|werbung|publicité|publicidad|pubblicità|reklama|"
    r"share(?: this(?: article| story| post)?)?(?: on \w+)?|teilen|tweet|print|e-?mail|read more|"
    r"weiterlesen|mehr lesen|lire la suite|leer más|continua a leggere|click here.*|loading.*|"
    r"sponsored|gesponsert|scroll to continue.*|continue reading.*|follow us.*|like this|"
    # Where the facts came from, and no warranty for them: notes to the text, not the text.
    r"(?:quellen?|source|sources|fuente|fonte)\s*:.{0,60}|alle angaben ohne gewähr.{0,40}|"
    # Advertising disclosures ("Anzeige, enthält Affiliate Links").
    r"(?:anzeige|werbung|sponsored|gesponsert|advertisement|publicité)\s*[,:|–-].{0,60}|"
    r"gefällt mir|j'aime|me gusta|[^\w]*|"
    # Lines that introduce what follows an article: more articles, the comment form.
    r"(?:related|similar|recommended|popular|trending|more|other|latest|top)(?: (?:articles?|posts?|stories|"
    r"reads?|news|content|coverage|videos?))?|see also|also read|read also|read next|up next|"
    r"(?:you|we think you) (?:may|might|will|would) (?:also )?(?:like|enjoy|be interested in).*|"
    r"(?:more|also) (?:from|on|in|about) .{1,40}|don'?t miss.*|recommended for you|editor'?s picks|"
    r"most (?:read|popular|viewed|shared)|in other news|(?:previous|next|older|newer) (?:post|article|story)|"
    r"post navigation|leave a (?:reply|comment)|comments?(?: \(\d+\))?|\d* ?comments?|write a comment|"
    r"ähnliche (?:beiträge|artikel|themen)|auch interessant|das (?:thema )?könnte (?:dich|sie) auch interessieren|"
    r"(?:das|dies) (?:könnte|dürfte) (?:dich|sie) auch interessieren|(?:sie|du) könn(?:t)?en? auch an .*|"
    r"lesen sie auch|lies auch|mehr zum thema.*|mehr (?:dazu|zu diesem thema)|weitere (?:artikel|beiträge|"
    r"themen|news|nachrichten|informationen)\b.*|entdecke weitere .*|vorschau auf (?:den|die) nächsten? .*|"
    r"meistgelesen|kommentare?(?: \(\d+\))?|kommentieren|kommentare? (?:schreiben|insgesamt)|"
    r"schreibe einen kommentar|"
    # Picture credits.
    r"(?:photo(?:graph)?s?|images?|pictures?|credits?|illustrations?|fotos?|bild(?:er)?|beitragsbild|"
    r"titelbild|crédit photo|foto de portada)(?: (?:by|credit|von|de|di))?(?:\s*[:©|/].*)?|(?:©|\(c\)).*|"
    r"(?:photo(?:graph)?s?|images?|pictures?|fotos?|bild(?:er)?) (?:by|von|de|di) [\w .,'’&-]{2,60}|"
    # A date or time alone, or a "published"/"updated" line: the page's metadata, not its text.
    r"(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s*)?(?:\d{1,2}:\d{2}\s*(?:uhr|h|am|pm)?)?|"
    r"(?:published|updated|posted|last modified|publiziert|veröffentlicht|aktualisiert|erschienen|stand|"
    r"publié|mis à jour|publicado|actualizado|pubblicato|"
    r"aggiornato)(?: (?:am|on|le|el|il))?:? [\w .,:/-]{0,40}\d[\w .,:/-]{0,20}|"
    r"à lire aussi|lire aussi|sur le même sujet|vous aimerez aussi|articles similaires|laisser un commentaire|"
    r"te puede interesar|también te puede interesar|noticias relacionadas|lee también|deja un comentario|"
    r"leggi anche|potrebbe interessarti|articoli correlati|lascia un commento|zobacz (?:również|też)|"
    r"czytaj (?:także|też|również)|читайте также|смотрите также|lees ook|gerelateerde artikelen)[:.!]?$"
)  # matched against lower-cased text: without IGNORECASE, sre skips a word at its first letter
# "Enthält Affiliate Links": apart, because trying its leading .{0,40} costs more than all the words.
_AFFILIATE_LINE = re.compile(r"^.{0,40}\baffiliate[- ]?links?\b.{0,40}[:.!]?$")


def _is_junk_line(text: str) -> bool:
    """A line of page chrome, not article text (see _JUNK_LINE)."""
    text = text.lower()
    return bool(_JUNK_LINE.match(text)) or ("affiliate" in text and bool(_AFFILIATE_LINE.match(text)))


# A heading that opens what follows an article (more articles, the comments). Late in the text it
# ends the article: everything after it is teasers, whatever their markup. ("Read also" is not one:
# it introduces a single link in the middle of articles as often as at their end.)
_END_SECTION = re.compile(
    r"^(?:related (?:articles?|posts?|stories|content|news|coverage)|(?:more|other|similar|latest|recommended) "
    r"(?:articles?|posts?|stories|news|from .{1,40})|recommended for you|"
    r"(?:you|we think you) (?:may|might|will|would) (?:also )?(?:like|enjoy|be interested in)(?: this)?|"
    r"most (?:read|popular|viewed)|leave a (?:reply|comment)|"
    r"\d* ?comments?|post navigation|ähnliche (?:beiträge|artikel)|das (?:thema )?könnte (?:dich|sie) auch "
    r"interessieren|auch interessant|weitere (?:artikel|beiträge)|kommentare?|"
    r"vous aimerez (?:aussi|également)|articles similaires|(?:también )?te puede interesar|noticias relacionadas|"
    r"artículos relacionados|você (?:também )?pode gostar|posts relacionados|artigos relacionados|"
    r"articoli correlati|potrebbe interessarti|похожие (?:статьи|новости)|gerelateerde artikelen)\W*$"
)  # matched against lower-cased text, as _JUNK_LINE
# Text that must come before such a heading: half the text, or this many characters.
_END_SECTION_SHARE = 0.5
_END_SECTION_AFTER = 800
_MIN_PARAGRAPH = 25
_ADDRESS_TEXT = re.compile(r"^\W*(?:https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+)\W*$")
_MAX_JUNK_LINE = 100
_CANDIDATES = 5
_MIN_ALTERNATIVES = 3
_ALTERNATIVE_SHARE = 0.75  # of the best score, for a candidate to count as its alternative
# Widening the top candidate (see _widen).
_WIDEN_LEVELS = 12
_WIDEN_GAIN = 1.3
_WIDEN_MAX_DENSITY = 0.25
_WIDEN_PARAGRAPH_SHARE = 0.35


@dataclass
class _Scores:
    score: dict[int, float]
    text_length: dict[int, int]  # paragraph text under each node, undecayed
    nodes: dict[int, LexborNode]
    chains: dict[int, list[int]]  # node -> keys of itself and its scored ancestors, innermost first
    links: LinkText = field(default_factory=LinkText)
    ranks: dict[int, int] = field(default_factory=dict)  # node -> its _body_rank


def strip_chrome(root: LexborNode, links: LinkText | None = None) -> None:
    """Remove class-marked chrome (share bars, related links, bylines, captions...) under `root`."""
    links = links or LinkText()
    total = 0  # the root's text length, measured when a strong candidate asks
    doomed: list[LexborNode] = []
    doomed_keys: set[int] = set()
    root_key = root.mem_id
    # Only elements with a class, id, style or a soft-chrome tag can be chrome; CSS finds them in C.
    for node in css_unique(root, _CHROME_CANDIDATES):
        tag = node.tag
        if tag in _KEEP_TAGS or node.mem_id == root_key:
            continue
        attrs = node.attributes
        style = attrs.get("style")
        if "hidden" in attrs or (
            style and ("display:none" in style.replace(" ", "") or "visibility:hidden" in style.replace(" ", ""))
        ):
            _doom(node, doomed, doomed_keys)
            continue
        # A heading's id is usually made from its own words (anchors for a table of contents:
        # "nav_what_we_found"), so only its class can mark it as chrome.
        marks = attrs.get("class") or ""
        if tag not in HEADING_TAGS:
            marks = f"{marks} {attrs.get('id') or ''}"
        strong, weak = _chrome_marks(marks)
        strong = strong or tag in _SOFT_CHROME_TAGS
        if (strong or weak) and doomed and _inside_any(node, doomed_keys, root_key):
            continue  # already going with a chrome ancestor: no need to measure it
        if weak and not strong:
            length = links.text_length(node)
            if length < _WEAK_KEEP_LENGTH or links.length(node) > 0.3 * length:
                _doom(node, doomed, doomed_keys)
            continue
        if strong:
            length = links.text_length(node)
            total = total or links.text_length(root) or 1
            # A whole article can sit in a container with an unlucky class ("post tag-social"):
            # keep a node that holds much of the page's text outside links.
            if length > 0.35 * total and links.length(node) < 0.3 * length:
                continue
            if tag in _SOFT_CHROME_TAGS and length > 0.35 * total:
                continue
            _doom(node, doomed, doomed_keys)
    decompose_all(doomed)
    links.forget_text()


def _doom(node: LexborNode, doomed: list[LexborNode], keys: set[int]) -> None:
    doomed.append(node)
    keys.add(node.mem_id)


def _inside_any(node: LexborNode, keys: set[int], stop: int) -> bool:
    """Whether an ancestor of `node` below the node keyed `stop` is in `keys`."""
    parent = node.parent
    while parent is not None:
        key = parent.mem_id
        if key == stop:
            return False
        if key in keys:
            return True
        parent = parent.parent
    return False


@lru_cache(maxsize=4096)
def _chrome_marks(marks: str) -> tuple[bool, bool]:
    """(strong, weak) chrome words in a "class id" string; cached: sites repeat their class names."""
    marks = marks.lower()
    if "--" in marks:
        # A BEM modifier describes the block ("section--ads": a section with ads in it).
        marks = _BEM_MODIFIER.sub("", marks)
    found = _CHROME_WORDS.match(marks)
    return bool(found & 1), bool(found & 2)


def _class_weight(attrs: dict[str, str | None]) -> int:
    """The chrome weight of an element's class and id (its `attributes`)."""
    return _marks_weight(f"{attrs.get('class') or ''} {attrs.get('id') or ''}") if attrs else 0


@lru_cache(maxsize=4096)
def _marks_weight(marks: str) -> int:
    marks = marks.lower()
    if not marks.strip():
        return 0
    weight = 0
    if _NEGATIVE.search(marks):
        weight -= 25
    if _POSITIVE.search(marks):
        weight += 25
    return weight


_TAG_SCORE = {
    **dict.fromkeys(("div", "article", "section", "main"), 5.0),
    **dict.fromkeys(("pre", "td", "blockquote"), 3.0),
    **dict.fromkeys(("address", "ol", "ul", "dl", "dd", "dt", "li", "form"), -3.0),
    **dict.fromkeys((*HEADING_TAGS, "th"), -5.0),
}
# What a paragraph adds to its holder and the holder's ancestors, by distance (readability's decay).
_LEVEL_DIVISOR = (1, 2, 6, 9, 12)
_NOT_SCORED = frozenset(("html", "#document", None))


def _score_tree(body: LexborNode) -> _Scores:
    scores: dict[int, float] = {}
    lengths: dict[int, int] = {}
    nodes: dict[int, LexborNode] = {}
    chains: dict[int, list[int]] = {}  # node -> its ancestors' keys (itself first); shared by siblings
    ranks: dict[int, int] = {}

    def chain_of(node: LexborNode) -> list[int]:
        pending: list[LexborNode] = []
        current: LexborNode | None = node
        tail: list[int] = []
        while current is not None:
            cached = chains.get(current.mem_id)
            if cached is not None:
                tail = cached
                break
            tag = current.tag
            if tag in _NOT_SCORED:
                break
            pending.append(current)
            current = current.parent
        for item in reversed(pending):
            # The node's attributes are read once, for its class weight and its body-container rank.
            item_key = item.mem_id
            tag = item.tag
            attrs = item.attributes
            nodes[item_key] = item
            scores[item_key] = _TAG_SCORE.get(tag, 0.0) + _class_weight(attrs)
            ranks[item_key] = _body_rank(tag, attrs)
            lengths[item_key] = 0
            tail = [item_key, *tail]
            chains[item_key] = tail
        return tail

    # Paragraphs are summed per holder first (a <p>'s parent, a <div>'s own text): siblings share one,
    # so each holder's ancestors are walked once.
    held: dict[int, list] = {}
    for node in body.css(_PARAGRAPH_NODES):
        tag = node.tag
        # Text written straight into a <div>, between <br>s, is a paragraph of that div.
        scored = tag in _SCORED_TAGS
        text = node.text(skip_empty=True) if scored else node.text(deep=False, skip_empty=True)
        if len(text) < _MIN_PARAGRAPH:
            continue  # cheap pre-check: most <div>s hold no text of their own
        length = text_len(text)
        if length < _MIN_PARAGRAPH:
            continue
        points = 1 + text.count(",") + text.count("，") + text.count("、") + min(length // 100, 3)
        holder = node.parent if scored else node
        if holder is None:
            continue
        entry = held.get(holder.mem_id)
        if entry is None:
            held[holder.mem_id] = [holder, points, length]
        else:
            entry[1] += points
            entry[2] += length
    for holder, points, length in held.values():
        chain = chain_of(holder)
        for key, divisor in zip(chain, _LEVEL_DIVISOR, strict=False):
            scores[key] += points / divisor
        for key in chain:
            lengths[key] += length
    return _Scores(scores, lengths, nodes, chains, ranks=ranks)


def _top_candidate(scores: _Scores) -> LexborNode | None:
    """Readability's choice: the best score after link density, lifted to a shared ancestor when
    several near-equal candidates sit side by side (an article split into many blocks)."""
    finals: list[tuple[float, int]] = []
    ranked = sorted(scores.score.items(), key=lambda item: item[1], reverse=True)[:_CANDIDATES]
    best_so_far = 0.0
    for key, score in ranked:
        if score < _ALTERNATIVE_SHARE * best_so_far:
            # Link density only lowers a score: this one and the rest can be neither the best nor
            # an alternative to it, so their (costly) density is not measured.
            break
        node = scores.nodes[key]
        if node.tag == "body":
            continue
        density, _ = scores.links.density(node)
        finals.append((score * (1 - density), key))
        best_so_far = max(best_so_far, finals[-1][0])
    if not finals:
        return None
    finals.sort(reverse=True)
    best_score, best = finals[0]
    alternatives = [key for score, key in finals[1:] if best_score and score / best_score >= _ALTERNATIVE_SHARE]
    if len(alternatives) >= _MIN_ALTERNATIVES:
        for ancestor in scores.chains[best][1:]:
            if scores.nodes[ancestor].tag == "body":
                break
            if sum(ancestor in scores.chains[alt] for alt in alternatives) >= _MIN_ALTERNATIVES:
                best = ancestor
                break
    # Climb while the parent scores higher: the text continues beyond this block.
    chain = scores.chains[best]
    last = scores.score[best]
    for ancestor in chain[1:]:
        node = scores.nodes[ancestor]
        if node.tag == "body" or scores.score[ancestor] < scores.score[chain[0]] / 3:
            break
        if scores.score[ancestor] > last:
            best = ancestor
            break
        last = scores.score[ancestor]
    node = scores.nodes[best]
    # An only child says nothing its parent does not.
    while node.parent is not None and node.parent.tag not in ("body", "html") and _only_child(node):
        node = node.parent
    return node


def _widen(top: LexborNode, scores: _Scores) -> LexborNode:
    """The ancestor that holds the whole article when page builders split it into blocks nested in
    blocks (each text widget wrapped five deep): climb while an ancestor adds much paragraph text and
    little else (links, short lines), and stop at the first that does not."""
    best = top
    best_length = scores.text_length.get(top.mem_id, 0)
    best_all = scores.links.text_length(top)
    for key in scores.chains[top.mem_id][1:_WIDEN_LEVELS]:
        node = scores.nodes[key]
        if node.tag in ("body", "html"):
            break
        length = scores.text_length[key]
        if length < _WIDEN_GAIN * best_length:
            continue  # a wrapper adding nothing (or little): look further up
        density, all_text = scores.links.density(node)
        added = all_text - best_all
        if density > _WIDEN_MAX_DENSITY or (added > 0 and (length - best_length) / added < _WIDEN_PARAGRAPH_SHARE):
            break
        best, best_length, best_all = node, length, all_text
    return best


def _only_child(node: LexborNode) -> bool:
    parent = node.parent
    return parent is not None and sum(1 for _ in parent.iter()) == 1


def _parse_simple_selector(selector: str) -> tuple[str, str, str]:
    """('attr', name, value) / ('class', name, '') / ('id', name, '') / ('tag', name, '')."""
    if selector.startswith("["):
        name, _, value = selector.strip("[]").partition("=")
        return "attr", name, value.strip('"')
    if selector.startswith("."):
        return "class", selector[1:], ""
    if selector.startswith("#"):
        return "id", selector[1:], ""
    return "tag", selector, ""


_BODY_MATCHERS = [_parse_simple_selector(s) for s in ARTICLE_BODY_SELECTORS]
# name -> best rank, per kind of match, so a node is ranked with a few dict lookups.
_RANK_BY: dict[str, dict[str, int]] = {"class": {}, "id": {}, "tag": {}, "attr": {}}
for _rank, (_kind, _name, _value) in enumerate(_BODY_MATCHERS):
    _RANK_BY[_kind].setdefault(f"{_name}={_value}" if _kind == "attr" else _name, _rank)
_NO_RANK = len(_BODY_MATCHERS)
_TAG_RANK, _ID_RANK, _CLASS_RANK, _ATTR_RANK = _RANK_BY["tag"], _RANK_BY["id"], _RANK_BY["class"], _RANK_BY["attr"]


def _body_rank(tag: str | None, attrs: dict[str, str | None]) -> int:
    """Index of the first ARTICLE_BODY_SELECTORS entry an element matches (_NO_RANK for none)."""
    rank = _TAG_RANK.get(tag or "", _NO_RANK)
    if not attrs:
        return rank
    node_id = attrs.get("id")
    if node_id:
        rank = min(rank, _ID_RANK.get(node_id, _NO_RANK))
    classes = attrs.get("class")
    if classes:
        for name in classes.split():
            found = _CLASS_RANK.get(name)
            if found is not None and found < rank:
                rank = found
    for name in ("itemprop", "property"):
        value = attrs.get(name)
        if value:
            rank = min(rank, _ATTR_RANK.get(f"{name}={value}", _NO_RANK))
    return rank


def _semantic_containers(scores: _Scores, top: LexborNode | None) -> list[LexborNode]:
    """Conventionally marked article-body containers holding most of the scored text, if any.

    An article split into several blocks of the same class (between ads, say) gives several."""
    top_length = scores.text_length.get(top.mem_id, 0) if top is not None else 0
    most = max(scores.text_length.values(), default=0)
    by_rank: dict[int, list[int]] = {}
    # Only ancestors of scored paragraphs can hold the text, so they are the only nodes checked.
    for key, rank in scores.ranks.items():
        if rank < _NO_RANK:
            by_rank.setdefault(rank, []).append(key)
    for rank in sorted(by_rank):
        keys = by_rank[rank]
        largest = max(scores.text_length[k] for k in keys)
        same = set(keys)
        parts = [
            k for k in keys
            if scores.text_length[k] >= 0.15 * largest and not same.intersection(scores.chains[k][1:])
        ]  # fmt: skip
        parts = _distinct(parts, scores)
        length = sum(scores.text_length[k] for k in parts)
        if rank >= _STRONG_SELECTOR_COUNT:
            # Generic wrappers (.post, article, main) only when they do not sprawl beyond the top text.
            if top is not None and len(parts) == 1 and 0.6 * top_length <= length <= 1.6 * top_length:
                return [scores.nodes[parts[0]]]
            continue
        if length >= 0.5 * top_length and length >= 0.25 * most:
            return [scores.nodes[k] for k in parts]
    return []


def _distinct(keys: list[int], scores: _Scores) -> list[int]:
    """Containers without copies: some pages carry the article body twice (a print or app copy)."""
    if len(keys) < 2:
        return keys
    seen: set[tuple[int, str]] = set()
    kept = []
    for key in keys:
        signature = (scores.text_length[key], squash(scores.nodes[key].text()[:400])[:100])
        if signature not in seen:
            seen.add(signature)
            kept.append(key)
    return kept


def _with_siblings(top: LexborNode, scores: _Scores) -> list[LexborNode]:
    """The top candidate plus siblings that look like more of the same article (readability's rule)."""
    parent = top.parent
    if parent is None:
        return [top]
    top_score = scores.score.get(top.mem_id, 0.0)
    threshold = max(10.0, top_score * 0.2)
    top_class = top.attributes.get("class") or ""
    kept = []
    for sibling in parent.iter():
        if sibling.mem_id == top.mem_id:
            kept.append(sibling)
            continue
        bonus = top_score * 0.2 if top_class and sibling.attributes.get("class") == top_class else 0.0
        score = scores.score.get(sibling.mem_id)
        if score is not None and score + bonus >= threshold:
            density, _ = scores.links.density(sibling)
            if density < 0.3:
                kept.append(sibling)
            continue
        if sibling.tag == "p":
            density, length = scores.links.density(sibling)
            text = squash(sibling.text())
            if (length > 80 and density < 0.25) or (0 < length <= 80 and density == 0 and text[-1:] in ".!?"):
                kept.append(sibling)
    return kept


def _is_link_block(node: LexborNode, tag: str, density: float, length: int) -> bool:
    """A chrome line, a list of links (related articles) or a link-heavy block marked as chrome."""
    if length < 80 and _is_junk_line(squash(node.text())):
        return True
    if tag in ("ul", "ol", "dl", "div", "section", "table") and density > 0.5 and length < 2000:
        return True
    if tag in ("p", "li") and density > 0.65 and length < 300:
        # A spelled-out address (a petition's URL, a contact e-mail) is text, not a teaser.
        return not _ADDRESS_TEXT.match(squash(node.text()))
    return tag in ("div", "section") and density > 0.25 and _class_weight(node.attributes) < 0


def _clean_container(root: LexborNode, title: str, links: LinkText) -> None:
    """Drop link lists, chrome lines and the repeated title from a chosen container."""
    doomed: list[LexborNode] = []
    title_key = squash(title).casefold()
    # Only blocks with a link inside can be link lists; knowing which saves measuring the others.
    linked = links.lengths_under(root)
    for node in root.traverse():
        tag = node.tag
        if tag in HEADING_TAGS:
            if title_key and squash(node.text()).casefold() == title_key:
                doomed.append(node)
            continue
        if tag in _LINK_BLOCK_TAGS:
            link_length = linked.get(node.mem_id)
            if link_length is None:
                continue
            length = _link_block_length(node, link_length)
            if length and _is_link_block(node, tag, min(1.0, link_length / length), length):
                doomed.append(node)
    decompose_all(doomed)
    links.forget_text()


_LINK_BLOCK_TAGS = frozenset(("ul", "ol", "dl", "table", "div", "section", "p", "li"))
_LINK_BLOCK_MAX = 2000  # _is_link_block's longest link list


def _link_block_length(node: LexborNode, link_length: int) -> int:
    """The block's text length for _is_link_block, or 0 where no rule of it can apply: a block at
    least _LINK_BLOCK_MAX long with less than a quarter of its text in links. (Containers nest, each
    holding the whole article: measuring only a prefix of theirs saves counting it again and again.)"""
    text = node.text(skip_empty=True)
    enough = max(_LINK_BLOCK_MAX, 4 * link_length)
    if is_longer_than(text, enough):
        return 0
    length = text_len(text)
    return 0 if length >= enough else length


def _cut_end_sections(paragraphs: list[str]) -> list[str]:
    """Everything from a late "Related articles" / "Leave a reply" heading on."""
    total = sum(len(p) for p in paragraphs)
    seen = 0
    for index, paragraph in enumerate(paragraphs):
        late = seen >= _END_SECTION_SHARE * total or seen >= _END_SECTION_AFTER
        if late and len(paragraph) < 60 and _END_SECTION.match(paragraph.lower()):
            return paragraphs[:index]
        seen += len(paragraph)
    return paragraphs


def _trim_trailing(paragraphs: list[str]) -> list[str]:
    """Headings or junk left dangling at the end once what they introduced was removed."""
    while paragraphs and len(paragraphs[-1]) < 40 and (_is_junk_line(paragraphs[-1]) or paragraphs[-1][-1] == ":"):
        paragraphs.pop()
    return paragraphs


def extract_body(
    tree: LexborHTMLParser, title: str, headline: HeadlineText | None, never_text: list[LexborNode]
) -> tuple[str, str]:
    """(body_html, body_text) of the page's main text; the tree is modified.

    With `headline`, a deck set by the headline outside the body's container opens the body.
    `never_text`: the page's NEVER_TEXT_TAGS elements in document order (find_tags)."""
    decompose_all(never_text)
    body = tree.body
    if body is None:
        return "", ""
    scores = _score_tree(body)
    top = _top_candidate(scores)
    roots = _semantic_containers(scores, top)
    if not roots and top is not None:
        top = _widen(top, scores)
    if not roots:
        roots = _with_siblings(top, scores) if top is not None else [body]
    deck = find_deck(tree, roots, headline) if headline is not None else None
    if deck is not None:
        roots = [deck, *roots]
    html_parts: list[str] = []
    paragraphs: list[str] = []
    for root in roots:
        strip_chrome(root, scores.links)
        _clean_container(root, title, scores.links)
        # (Comment texts were read by marking their paragraphs: marks left where a comment was.)
        html_parts.append(without_marks(root.html or ""))
    for root in roots:
        paragraphs.extend(block_paragraphs(root))
    paragraphs = [p for p in _cut_end_sections(paragraphs) if len(p) > _MAX_JUNK_LINE or not _is_junk_line(p)]
    if title and paragraphs and squash(paragraphs[0]).casefold() == squash(title).casefold():
        paragraphs.pop(0)
    paragraphs = _trim_trailing(paragraphs)
    return "\n".join(html_parts), "\n\n".join(paragraphs)
