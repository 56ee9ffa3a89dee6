"""Content scoring for the article body (the readability family): paragraph text and commas counted into
their ancestors, class words for and against, link density against; then the containers CMSs
conventionally give the article text, which win when they hold most of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from tasks.parse.generic.chrome import class_weight
from tasks.parse.generic.text import HEADING_TAGS, LinkText, squash, text_len

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
_MIN_PARAGRAPH = 25
_CANDIDATES = 5
_MIN_ALTERNATIVES = 3
_ALTERNATIVE_SHARE = 0.75  # of the best score, for a candidate to count as its alternative
# Widening the top candidate (see widen).
_WIDEN_LEVELS = 12
_WIDEN_GAIN = 1.3
_WIDEN_MAX_DENSITY = 0.25
_WIDEN_PARAGRAPH_SHARE = 0.35


@dataclass
class Scores:
    score: dict[int, float]
    text_length: dict[int, int]  # paragraph text under each node, undecayed
    nodes: dict[int, LexborNode]
    chains: dict[int, list[int]]  # node -> keys of itself and its scored ancestors, innermost first
    links: LinkText = field(default_factory=LinkText)
    ranks: dict[int, int] = field(default_factory=dict)  # node -> its _body_rank



_TAG_SCORE = {
    **dict.fromkeys(("div", "article", "section", "main"), 5.0),
    **dict.fromkeys(("pre", "td", "blockquote"), 3.0),
    **dict.fromkeys(("address", "ol", "ul", "dl", "dd", "dt", "li", "form"), -3.0),
    **dict.fromkeys((*HEADING_TAGS, "th"), -5.0),
}
# What a paragraph adds to its holder and the holder's ancestors, by distance (readability's decay).
_LEVEL_DIVISOR = (1, 2, 6, 9, 12)
_NOT_SCORED = frozenset(("html", "#document", None))


def score_tree(body: LexborNode) -> Scores:
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
            scores[item_key] = _TAG_SCORE.get(tag or "", 0.0) + class_weight(attrs)
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
    return Scores(scores, lengths, nodes, chains, ranks=ranks)


def top_candidate(scores: Scores) -> LexborNode | None:
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


def widen(top: LexborNode, scores: Scores) -> LexborNode:
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


def semantic_containers(scores: Scores, top: LexborNode | None) -> list[LexborNode]:
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


def _distinct(keys: list[int], scores: Scores) -> list[int]:
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


def with_siblings(top: LexborNode, scores: Scores) -> list[LexborNode]:
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


