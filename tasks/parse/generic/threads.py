"""Forum and Q&A threads: the posts of a thread read as what they are, the opening post as the body and
every other post as a comment (its parent where posts nest: a Stack Exchange comment under its answer).

Posts are found by the markup forum engines share or document: schema.org microdata
(DiscussionForumPosting, Comment, and Question/Answer on a QAPage), and each engine's own post and
post-text classes (XenForo, phpBB, vBulletin, Invision, Simple Machines, MyBB, Flarum, Vanilla, NodeBB,
Discourse, bbPress). A markup counts only with the text of each post inside its post element, so the
same class words elsewhere (a blog's `div.post`) find nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from selectolax.lexbor import LexborNode

from tasks.parse.generic.comments import clean_author, read_time
from tasks.parse.generic.dates import to_utc
from tasks.parse.generic.extracted import ExtractedComment
from tasks.parse.generic.text import block_paragraphs, css_unique, decompose_all, text_len, without_marks

# Per convention: the post element, the post's text inside it (a text selector may name an ancestor
# below the post first), and which of the two is distinctive enough to look for on every page. Simple
# selectors only (tag, classes, one attribute test), matched exactly (see _Simple). The markup that
# reads the most text wins.
_POST_MARKUPS: tuple[tuple[str, str, str], ...] = (
    ("[itemtype$=DiscussionForumPosting], [itemtype$=/Comment], [itemtype$=/Answer], [itemtype$=/Question]",
     "[itemprop=text], [itemprop=articleBody]", "text"),  # schema.org: Discourse, XenForo, NodeBB, Stack Exchange
    ("article.message, li.message, div.message", ".bbWrapper, .messageText", "text"),  # XenForo
    ("div.post", ".postbody .content", "text"),  # phpBB
    ("li.postcontainer, li.postbitlegacy, div.postbit, table[id^=post]", "[id^=post_message_], .postcontent",
     "text"),  # vBulletin
    ("article.ipsComment, article.cPost, article.ipsEntry", "[data-role=commentContent]", "text"),  # Invision
    ("div.post_wrapper", ".post .inner", "post"),  # Simple Machines
    ("div.post", ".post_body", "text"),  # MyBB
    ("article", ".Post-body", "text"),  # Flarum
    (".ItemDiscussion, .ItemComment", ".Message", "post"),  # Vanilla
    ("[component=post]", "[component=post/content]", "text"),  # NodeBB
    (".crawler-post, .topic-post", ".post, .cooked", "post"),  # Discourse
    (".bbp-topic, .bbp-reply", ".bbp-topic-content, .bbp-reply-content", "text"),  # bbPress
)  # fmt: skip
_ANCESTOR_LEVELS = 14  # from a post's text up to the post element


class _Simple:
    """One simple selector, matched exactly (lexbor matches classes without case in quirks mode, and
    ".Post-body" is Flarum's while ".post-body" is every blog's)."""

    __slots__ = ("attr", "classes", "css", "op", "tag", "value")

    def __init__(self, selector: str) -> None:
        match = re.fullmatch(r"([\w-]*)((?:\.[\w-]+)*)(?:\[([\w-]+)([$^]?=)([^\]]+)\])?", selector.strip())
        if match is None:
            raise ValueError(f"not a simple selector: {selector!r}")
        self.tag = match[1] or None
        self.classes = frozenset(c for c in match[2].split(".") if c)
        self.attr, self.op, self.value = match[3], match[4], match[5]
        self.css = f"{match[1]}{match[2]}" + (f'[{self.attr}{self.op}"{self.value}"]' if self.attr else "")

    def matches(self, node: LexborNode) -> bool:
        if self.tag is not None and node.tag != self.tag:
            return False
        attrs = node.attributes
        if self.classes and not self.classes.issubset((attrs.get("class") or "").split()):
            return False
        if self.attr is None:
            return True
        value = attrs.get(self.attr)
        if value is None:
            return False
        if self.op == "=":
            return value == self.value
        return value.startswith(self.value) if self.op == "^=" else value.endswith(self.value)


class _Markup:
    def __init__(self, posts: str, texts: str, find_by: str) -> None:
        self.posts = [_Simple(s) for s in posts.split(",")]
        self.texts = [[_Simple(s) for s in part.split()] for part in texts.split(",")]  # ancestors..., text
        self.by_text = find_by == "text"
        # What the page is searched for: the first part of each text selector, or the post element.
        self.anchors = [parts[0] for parts in self.texts] if self.by_text else self.posts

    def read(self, anchor: LexborNode) -> tuple[LexborNode, LexborNode] | None:
        """(post element, its text element) from an element the CSS pass found, or None."""
        if self.by_text:
            for parts in self.texts:
                if parts[0].matches(anchor):
                    text = anchor if len(parts) == 1 else _descendant(anchor, parts[1:])
                    post = self._post_above(anchor) if text is not None else None
                    if post is not None and text is not None:
                        return post, text
            return None
        if not any(post.matches(anchor) for post in self.posts):
            return None
        for parts in self.texts:
            text = _descendant(anchor, parts)
            if text is not None:
                return anchor, text
        return None

    def _post_above(self, node: LexborNode) -> LexborNode | None:
        parent = node.parent
        for _ in range(_ANCESTOR_LEVELS):
            if parent is None:
                return None
            if any(post.matches(parent) for post in self.posts):
                return parent
            parent = parent.parent
        return None


def _descendant(root: LexborNode, parts: list[_Simple]) -> LexborNode | None:
    """The first element under `root` matching the last part, inside elements matching the others."""
    for node in root.css(parts[-1].css):
        if parts[-1].matches(node) and _inside_parts(node, parts[:-1], root):
            return node
    return None


def _inside_parts(node: LexborNode, parts: list[_Simple], root: LexborNode) -> bool:
    pending = list(parts)
    parent = node.parent
    while pending and parent is not None and parent.mem_id != root.mem_id:
        if pending[-1].matches(parent):
            pending.pop()
        parent = parent.parent
    return not pending


_MARKUPS = [_Markup(*markup) for markup in _POST_MARKUPS]
_SCHEMA = _MARKUPS[0]
_ANCHORS = [anchor for markup in _MARKUPS for anchor in markup.anchors]
# What one CSS pass over the page looks for (a superset: lexbor's classes may ignore case).
POST_CANDIDATES = ", ".join(dict.fromkeys(anchor.css for anchor in _ANCHORS))


_ANCHOR_CLASSES = frozenset(c for anchor in _ANCHORS for c in anchor.classes)
_BY_ATTRIBUTE = [anchor for anchor in _ANCHORS if anchor.attr and not anchor.classes]


def may_be_post(node: LexborNode, attrs: dict[str, str | None]) -> bool:
    """Whether an element the CSS pass found (with its `attributes`) is one a markup looks for,
    matched exactly. (Most elements the pass finds are there for other steps: set tests first.)"""
    classes = attrs.get("class")
    if classes and not _ANCHOR_CLASSES.isdisjoint(classes.split()):
        return any(anchor.matches(node) for anchor in _ANCHORS)
    return any(anchor.matches(node) for anchor in _BY_ATTRIBUTE)


_THREAD_TYPES = frozenset(("discussionforumposting", "qapage"))
# What tells a thread page before its posts are looked for (a CSS pass for every engine's post markup
# costs a tenth of a page's extraction, and nine pages in ten are no threads): its address, the
# software that made it, its root elements' names, its schema.org types.
_THREAD_ADDRESS = re.compile(
    r"/(?:threads?|topics?|t|d|forums?|boards?|questions|discussions?|community|viewtopic|showthread)(?:[/.?=-]|$)"
    r"|viewtopic|showthread|/thread-\d|[?&]topic=",
    re.IGNORECASE,
)
_FORUM_SOFTWARE = re.compile(
    r"discourse|xenforo|phpbb|vbulletin|invision|mybb|simple machines|smf|flarum|vanilla|nodebb|bbpress|"
    r"discuz|phorum|punbb|fluxbb|woltlab",
    re.IGNORECASE,
)
_FORUM_ROOTS = re.compile(r"\bXF\b|XenForo|phpbb|ipsApp|vanilla|bbpress|flarum|Discourse|mybb", re.IGNORECASE)


def looks_like_thread(addresses: str, generator: str, root_marks: str, page_types: set[str]) -> bool:
    """Whether a page may be a forum or Q&A thread (see _THREAD_ADDRESS): its canonical and og:url
    addresses, its generator, the ids and classes of <html> and <body>, its schema.org types."""
    return (
        not page_types.isdisjoint(_THREAD_TYPES)
        or bool(_THREAD_ADDRESS.search(addresses))
        or bool(_FORUM_SOFTWARE.search(generator))
        or bool(_FORUM_ROOTS.search(root_marks))
    )
# Inside a post's text, what the poster did not write.
_POST_CHROME = (
    ".signature, .message-signature, .signaturecontainer, .postsig, .post-signature, .ipsSignature, "
    ".bbCodeBlock-expandLink, .message-lastEdit, .editedby, .post_edit, .reactionsBar, .js-react, "
    "script, style, form, button"
)
_AUTHOR_MARKS = (
    '[itemprop="author"] [itemprop="name"], [itemprop="author"], .message-name, .username, .cAuthorPane_author, '
    ".post_author, .PostUser-name, .creator, .bigusername, .poster h4, .author, .user-name, .user-details a"
)
_TIME_MARKS = 'time[datetime], [itemprop="datePublished"], [itemprop="dateCreated"], .post_date, .postdate, .date'
_NUMBER = re.compile(r"(\d+)$")
_MIN_SHARE = 0.3  # of the page's text, in posts, for a markup with a single post


@dataclass
class Post:
    node: LexborNode
    text_node: LexborNode
    parent: int | None = None  # index in Thread.posts of the post it replies to


@dataclass
class Thread:
    posts: list[Post]  # document order; the first is the opening post


def find_thread(body: LexborNode | None, page_types: set[str], found: list[LexborNode] | None = None) -> Thread | None:
    """The thread the page shows, or None for a page that is not one.

    `page_types`: the schema.org types the page declares (lower case); `found`: the elements
    POST_CANDIDATES selects in the body that may_be_post keeps, when the caller has looked already."""
    if body is None:
        return None
    if found is None:
        found = [node for node in css_unique(body, POST_CANDIDATES) if may_be_post(node, node.attributes)]
    if not found:
        return None
    qa_page = "qapage" in page_types
    best: tuple[int, list[Post]] | None = None
    for markup in _MARKUPS:
        posts: list[Post] = []
        seen: set[int] = set()
        for anchor in found:
            read = markup.read(anchor)
            if read is None or read[0].mem_id in seen:
                continue  # a post's first text is its text (a quote inside it may match too)
            post, text = read
            itemtype = post.attributes.get("itemtype") or "" if markup is _SCHEMA else ""
            if itemtype.endswith(_QA_TYPES) if not qa_page else itemtype.endswith("/Comment"):
                # Question and Answer off a QAPage are an article's FAQ; on a QAPage, the comments are
                # remarks on a post, not posts.
                continue
            seen.add(post.mem_id)
            posts.append(Post(post, text))
        if not posts or (markup is _SCHEMA and not _opens_thread(posts[0].node)):
            continue  # comments without the post they discuss: an article's comments, not a thread
        length = sum(text_len(post.text_node.text()) for post in posts)
        if best is None or length > best[0]:
            best = (length, posts)
    if best is None:
        return None
    length, posts = best
    if len(posts) == 1 and not (page_types & _THREAD_TYPES) and length < _MIN_SHARE * text_len(body.text()):
        return None  # one "post" that is a small part of the page: a widget, not a thread
    _link_replies(posts)
    return Thread(posts)


_QA_TYPES = ("/Question", "/Answer")


def _opens_thread(node: LexborNode) -> bool:
    return (node.attributes.get("itemtype") or "").endswith(("DiscussionForumPosting", "/Question"))


def _link_replies(posts: list[Post]) -> None:
    """Each post's parent: the nearest post it sits in, except the opening post (replies to it are
    top-level comments)."""
    index = {post.node.mem_id: i for i, post in enumerate(posts)}
    for post in posts[1:]:
        parent = post.node.parent
        while parent is not None:
            found = index.get(parent.mem_id)
            if found is not None:
                post.parent = found if found > 0 else None
                break
            parent = parent.parent


def read_thread(thread: Thread) -> tuple[str, str, str, datetime | None, list[ExtractedComment]]:
    """(body html, body text, opening poster, opening post's time, the replies as comments).

    Replies are read innermost first, so a nested reply's text is read before its parent's is."""
    ids = [_site_id(post.node, position) for position, post in enumerate(thread.posts, 1)]
    meta = [(_post_author(post), _post_time(post)) for post in thread.posts]
    texts: dict[int, tuple[str, str]] = {}
    for position in reversed(range(len(thread.posts))):
        texts[position] = _post_text(thread.posts[position])
    comments = []
    for position, post in enumerate(thread.posts[1:], 1):
        text, html = texts[position]
        if not text:
            continue
        author, posted_at = meta[position]
        parent = ids[post.parent] if post.parent is not None else None
        comments.append(ExtractedComment(ids[position], parent, author, to_utc(posted_at), text, html))
    body_text, body_html = texts[0]
    return body_html, body_text, meta[0][0], meta[0][1], comments


def _site_id(node: LexborNode, position: int) -> str:
    attrs = node.attributes
    for value in (attrs.get("data-post-id"), attrs.get("data-pid"), attrs.get("data-content"), attrs.get("id")):
        match = _NUMBER.search(value or "")
        if match:
            return match[1]
    return f"pos-{position}"


def _post_author(post: Post) -> str:
    author = post.node.attributes.get("data-author")
    if author:
        return clean_author(author)
    for node in post.node.css(_AUTHOR_MARKS):
        if not _inside(node, post.text_node):
            name = clean_author(node.attributes.get("content") or node.text(separator=" "))
            if name:
                return name
    return ""


def _post_time(post: Post) -> datetime | None:
    for node in post.node.css(_TIME_MARKS):
        if not _inside(node, post.text_node):
            value = read_time(node)
            if value is not None:
                return value
    return None


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    key = ancestor.mem_id
    parent: LexborNode | None = node
    while parent is not None:
        if parent.mem_id == key:
            return True
        parent = parent.parent
    return False


def _post_text(post: Post) -> tuple[str, str]:
    """(text, html) of a post's own words: nested posts and the post's chrome cut out."""
    root = post.text_node
    decompose_all([n for n in root.css(_POST_CHROME) if n.mem_id != root.mem_id])
    html = without_marks(root.html or "")
    return "\n\n".join(block_paragraphs(root)), html
