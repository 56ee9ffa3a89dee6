"""The shape of what the WordPress tests put on a site: people, posts made of blocks, comments, the seed article.

A scenario (content.py) is made of these; each object knows the WordPress API operations that create it
(run by php/ops.php) and the text a reader sees in it, which is what the warehouse must hold.
Texts use typographic punctuation, as WordPress's wptexturize would print straight quotes curly.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Person:
    key: str
    login: str
    name: str
    bio_html: str | None
    author_id: str  # the warehouse's key for the person: first and last name

    @property
    def bio_text(self) -> str | None:
        return text_of(self.bio_html) if self.bio_html else None

    def op(self) -> dict[str, object]:
        first, _, last = self.name.partition(" ")
        return {"op": "user", "key": self.key, "login": self.login, "name": self.name,
                "first_name": first, "last_name": last, "bio": self.bio_html or ""}


@dataclass(frozen=True)
class Block:
    """A piece of a post body: its markup, and the text paragraphs a reader sees in it."""

    classic: str  # as the classic editor stores it (wpautop adds the <p>s when WordPress prints it)
    blocks: str  # as the block editor stores it
    texts: tuple[str, ...]
    caption: bool = False  # an image's caption: body text to WordPress, not to every extractor


def para(text: str) -> Block:
    return Block(text, f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->", (text_of(text),))


def heading(text: str) -> Block:
    block = f'<!-- wp:heading -->\n<h2 class="wp-block-heading">{text}</h2>\n<!-- /wp:heading -->'
    return Block(f"<h2>{text}</h2>", block, (text_of(text),))


def bullets(*items: str) -> Block:
    lis = "".join(f"<li>{item}</li>" for item in items)
    return Block(f"<ul>{lis}</ul>", f"<!-- wp:list -->\n<ul>{lis}</ul>\n<!-- /wp:list -->",
                 tuple(text_of(i) for i in items))


def quote(text: str, cite: str) -> Block:
    inner = f"<p>{text}</p><cite>{cite}</cite>"
    return Block(f"<blockquote>{inner}</blockquote>",
                 f'<!-- wp:quote -->\n<blockquote class="wp-block-quote">'
                 f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph --><cite>{cite}</cite></blockquote>\n"
                 "<!-- /wp:quote -->", (text_of(text), text_of(cite)))


def figure(src: str, alt: str, caption: str) -> Block:
    markup = f'<figure class="wp-block-image size-large"><img src="{src}" alt="{alt}"/>' \
             f'<figcaption class="wp-element-caption">{caption}</figcaption></figure>'
    return Block(markup, f'<!-- wp:image {{"sizeSlug":"large"}} -->\n{markup}\n<!-- /wp:image -->', (text_of(caption),),
                 caption=True)


def body_markup(body: tuple[Block, ...], markup: str) -> str:
    """post_content as the classic or the block editor would store it."""
    return "\n\n".join(b.blocks if markup == "blocks" else b.classic for b in body)


def body_text(body: tuple[Block, ...]) -> str:
    """The body as text: one paragraph per block-level element, as a reader sees it."""
    return "\n\n".join(t for block in body for t in block.texts)


def text_of(markup: str) -> str:
    """What a reader reads in a line of our own markup: tags gone, entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


@dataclass(frozen=True)
class Post:
    key: str
    title: str
    slug: str
    author: str  # Person.key
    published: datetime
    body: tuple[Block, ...]
    markup: str = "classic"  # or "blocks"
    categories: tuple[str, ...] = ("News",)
    tags: tuple[str, ...] = ()
    status: str = "publish"
    post_type: str = "post"
    comment_status: str = "open"
    modified: datetime | None = None  # when an editor last changed it
    first_body: tuple[Block, ...] | None = None  # what it said before that edit

    @property
    def content(self) -> str:
        return body_markup(self.body, self.markup)

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.published

    @property
    def text(self) -> str:
        return body_text(self.body)

    @property
    def text_without_captions(self) -> str:
        return body_text(tuple(b for b in self.body if not b.caption))

    @property
    def public(self) -> bool:
        return self.status == "publish" and self.post_type == "post"

    def ops(self) -> list[dict[str, object]]:
        """Written as it first read; an edited post is then updated by its editor."""
        first = body_markup(self.first_body, self.markup) if self.first_body else self.content
        written = {"op": "post", "key": self.key, "title": self.title, "slug": self.slug, "author": self.author,
                   "date_gmt": wp_date(self.published), "content": first, "status": self.status,
                   "type": self.post_type, "categories": list(self.categories), "tags": list(self.tags),
                   "comment_status": self.comment_status}
        if self.modified is None:
            return [written]
        return [written, self.edit_op()]

    def edit_op(self) -> dict[str, object]:
        assert self.modified is not None
        return {"op": "edit_post", "key": self.key, "content": self.content, "modified_gmt": wp_date(self.modified)}


@dataclass(frozen=True)
class Comment:
    key: str
    post: str  # Post.key
    author: str
    paragraphs: tuple[str, ...]
    posted: datetime
    parent: str | None = None  # Comment.key
    approved: int | str = 1  # 1, 0 (pending), "spam" or "trash", as WordPress stores it
    kind: str = "comment"  # or "pingback"
    user: str | None = None  # Person.key when a registered author wrote it
    url: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(text_of(p) for p in self.paragraphs)

    @property
    def public(self) -> bool:
        """What the warehouse must hold: approved reader comments (never pending, spam, or pingbacks)."""
        return self.approved == 1 and self.kind == "comment"

    def op(self) -> dict[str, object]:
        return {"op": "comment", "key": self.key, "post": self.post, "parent": self.parent, "author": self.author,
                "email": re.sub(r"\W+", ".", self.author.lower()).strip(".") + "@example.invalid",
                "url": self.url, "text": "\n\n".join(self.paragraphs), "date_gmt": wp_date(self.posted),
                "approved": self.approved, "type": self.kind, "user": self.user}


def wp_date(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- the seed article, read from ../shared ------------------------------------------------------------------


@dataclass(frozen=True)
class SeedArticle:
    title: str
    deck: str
    paragraphs: tuple[str, ...]
    byline: str
    thread: tuple[tuple[int, str, tuple[str, ...]], ...]  # (depth, author, paragraphs) in page order


def read_seed_article(path: Path) -> SeedArticle:
    """seed-article.txt: `title | deck`, body paragraphs, `Author: NAME`, a bio line, then the thread as
    `• NAME` items indented two spaces per level, each followed by its paragraphs."""
    lines = path.read_text(encoding="utf-8").splitlines()
    title, _, deck = lines[0].partition(" | ")
    author_at = next(i for i, line in enumerate(lines) if line.startswith("Author: "))
    paragraphs = tuple(line.strip() for line in lines[1:author_at] if line.strip())
    thread: list[tuple[int, str, list[str]]] = []
    base_indent: int | None = None
    for line in lines[author_at + 1 :]:
        stripped = line.strip()
        if stripped.startswith("• "):
            indent = len(line) - len(line.lstrip())
            base_indent = indent if base_indent is None else base_indent
            thread.append(((indent - base_indent) // 2, stripped[2:].strip(), []))
        elif stripped and thread:
            thread[-1][2].append(stripped)
    return SeedArticle(title.strip(), deck.strip(), paragraphs, lines[author_at].removeprefix("Author: ").strip(),
                       tuple((depth, name, tuple(texts)) for depth, name, texts in thread))


# --- the scenario ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """What the site holds now: every post in its current version, every comment that still exists."""

    people: list[Person]
    posts: list[Post]
    comments: list[Comment]

    def ops(self) -> list[dict[str, object]]:
        """Everything, created from nothing through WordPress's API."""
        return [p.op() for p in self.people] + [op for p in self.posts for op in p.ops()] \
            + [c.op() for c in self.comments]

    def post(self, key: str) -> Post:
        return next(p for p in self.posts if p.key == key)

    def person(self, key: str) -> Person:
        return next(p for p in self.people if p.key == key)

    def public_posts(self) -> list[Post]:
        return [p for p in self.posts if p.public]

    def public_comments(self, post_key: str | None = None) -> list[Comment]:
        return [c for c in self.comments if c.public and (post_key is None or c.post == post_key)]

    def comment(self, key: str) -> Comment:
        return next(c for c in self.comments if c.key == key)
