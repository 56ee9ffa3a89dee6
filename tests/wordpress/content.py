"""What the WordPress tests create on each site, and how the site changes between runs.

Everything is declared here once, as data: php/ops.php creates it through WordPress's API, and the tests derive
their expected rows from the same declarations. Dates are UTC; the site's zone is Los Angeles, so WordPress
stores each date twice and a late-evening post lands on the next UTC day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tests.wordpress.model import (
    Comment,
    Person,
    Post,
    Scenario,
    SeedArticle,
    at,
    bullets,
    figure,
    heading,
    para,
    quote,
)

SITE_OPTIONS: dict[str, object] = {
    "timezone_string": "America/Los_Angeles",
    "blog_public": 1,
    "thread_comments": 1,
    "thread_comments_depth": 5,  # WordPress's default: deeper replies are drawn as siblings at level 5
    "page_comments": 1,
    "comments_per_page": 5,  # threads per comment page: the long thread spreads over many pages
    "default_comments_page": "newest",
    "comment_order": "asc",
    "posts_per_page": 4,  # archive pages hold four posts: a month of them spreads over pages
    "posts_per_rss": 5,  # the feed holds the five newest posts: older ones only the date archives list
}
PERMALINKS = "/%year%/%monthnum%/%day%/%postname%/"  # as on news.antiwar.com
SINCE = datetime(2017, 1, 1, tzinfo=UTC)
UNTIL = datetime(2017, 3, 1, tzinfo=UTC)


JASON = Person("user:jason", "jason", "Jason Ditz",
               'Jason Ditz is news editor of <a href="https://www.antiwar.com/">Antiwar.com</a>.', "jason-ditz")
KELLEY = Person("user:vlahos", "vlahos", "Kelley Beaucar Vlahos",
                "Kelley Beaucar Vlahos is a contributing editor at Antiwar.com and writes on the military.",
                "kelley-vlahos")
DAVE = Person("user:dave", "dave-decamp", "Dave DeCamp",
              'Dave DeCamp is the assistant editor of Antiwar.com, follow him on Twitter <a '
              'href="https://twitter.com/decampdave">@decampdave</a>.', "dave-decamp")
NOAH = Person("user:noah", "NoahCarl", "Noah Carl", None, "noah-carl")  # an author who never wrote a bio

# The edited post: what it said first, and what it says since the editor's update.
YEMEN_FIRST = (
    para("A US special forces raid on a village in Yemen’s Bayda Province over the weekend left a number of "
         "civilians dead, according to local officials, who put the toll at eight."),
    para("The Pentagon described the raid as a success, saying it gathered intelligence on AQAP."),
)
YEMEN_EDITED = (
    para("A US special forces raid on a village in Yemen’s Bayda Province over the weekend left a number of "
         "civilians dead, according to local officials, who now put the toll at 16, among them children."),
    para("The Pentagon described the raid as a success, saying it gathered intelligence on AQAP."),
    para("<strong>Update:</strong> US officials have since acknowledged that civilians were “likely killed” in "
         "the raid, and say an investigation is under way."),
)
YEMEN_EDITED_AT = at("2017-01-31T15:20:00")
PENTAGON_EDITED = (
    para("With President Trump sworn in today, Pentagon officials say they are preparing a set of options to "
         "escalate the war against ISIS, with a review due within 30 days."),
    heading("What is on the table"),
    bullets("More special forces in Syria", "Artillery units near Raqqa", "Looser rules for airstrikes"),
    para("Officials say the final decision rests with the new Defense Secretary, who was confirmed this "
         "evening and is expected to brief the president next week."),
)


def scenario(seed: SeedArticle) -> Scenario:
    """The site before any run: four authors, eleven published posts, and what must never be ingested."""
    posts = [
        Post("post:nato", "Russia Warns Over NATO Buildup Along Its Border", "russia-warns-over-nato-buildup",
             KELLEY.key, at("2017-01-02T12:00:00"),
             (para("Moscow warned on Monday that the arrival of new NATO battalions in the Baltic states would be "
                   "met with a response, without saying what that response would be."),
              para("The deployments were agreed at last summer’s summit and are due to be complete by spring.")),
             categories=("News", "Europe"), tags=("NATO", "Russia")),
        Post("post:airport", "Syrian Army Repels Fresh ISIS Attack on Deir Ezzor Airport",
             "syrian-army-repels-fresh-isis-attack-on-deir-ezzor-airport", JASON.key, at("2017-01-03T14:42:00"),
             (para("Syrian government forces say they have repelled another ISIS attack on the military airport "
                   "outside Deir Ezzor, the latest in a string of assaults on the base."),
              para("The airport is resupplied only by air, and its loss would leave the government-held districts "
                   "of the city cut off entirely."),
              para("Monitors reported heavy casualties on both sides, though no figures could be confirmed.")),
             categories=("News", "Syria"), tags=("ISIS", "Deir Ezzor")),
        Post("post:mosul", "Iraqi Forces Reach Tigris River in Eastern Mosul",
             "iraqi-forces-reach-tigris-river-in-eastern-mosul", NOAH.key, at("2017-01-09T19:05:00"),
             (para("Iraqi counter-terrorism forces say they have reached the eastern bank of the Tigris River "
                   "inside Mosul for the first time since the offensive began in October."),
              para("Commanders cautioned that the western half of the city, older and more densely built, is "
                   "expected to be far harder to take.")),
             categories=("News", "Iraq"), tags=("ISIS", "Mosul")),
        Post("post:seed", seed.title, "isis-shifts-focus-to-syria-as-they-lose-ground-in-iraq", JASON.key,
             at("2017-01-16T23:12:00"), tuple(para(p) for p in seed.paragraphs),
             categories=("News", "Syria", "Iraq"), tags=("ISIS", "Deir Ezzor")),
        Post("post:pentagon", "Pentagon Readies Options to Escalate ISIS War as Trump Takes Office",
             "pentagon-readies-options-to-escalate-isis-war-as-trump-takes-office", DAVE.key,
             at("2017-01-20T21:30:00"),
             (para("With President Trump sworn in today, Pentagon officials say they are preparing a set of "
                   "options to escalate the war against ISIS."),
              heading("What is on the table"),
              bullets("More special forces in Syria", "Artillery units near Raqqa", "Looser rules for airstrikes"),
              quote("We will be ready on day one.", "A senior defense official")),
             markup="blocks", categories=("News", "United States"), tags=("ISIS", "Pentagon")),
        Post("post:yemen", "Civilians Among Dead in US Commando Raid in Yemen",
             "civilians-among-dead-in-us-commando-raid-in-yemen", JASON.key, at("2017-01-30T13:55:00"), YEMEN_EDITED,
             categories=("News", "Yemen"), tags=("AQAP", "Special Forces"), modified=YEMEN_EDITED_AT,
             first_body=YEMEN_FIRST),
        # 23:30 in Los Angeles on January 31st is February 1st in UTC: which day is it in the warehouse?
        Post("post:somalia", "Drone Strike Reported in Somalia’s Lower Shabelle Region",
             "drone-strike-reported-in-somalias-lower-shabelle-region", DAVE.key, at("2017-02-01T07:30:00"),
             (para("US Africa Command said it carried out an airstrike against al-Shabaab fighters in the Lower "
                   "Shabelle region, the third such strike this month."),
              figure("/wp-content/uploads/2017/02/shabelle.jpg", "Farmland in Lower Shabelle",
                     "Farmland near the Shabelle River, where the strike was reported."),
              para("Local elders disputed the account, saying those killed were farmers.")),
             markup="blocks", categories=("News", "Africa"), tags=("Somalia", "Drones")),
        Post("post:war-powers", "Congress Debates New Limits on Presidential War Powers",
             "congress-debates-new-limits-on-presidential-war-powers", KELLEY.key, at("2017-02-06T18:15:00"),
             (para("A bipartisan group of lawmakers introduced legislation on Monday that would require the "
                   "president to seek authorization before sending troops into new conflicts."),
              para("Supporters say the 2001 authorization has been stretched to cover wars its authors never "
                   "imagined; opponents say the bill would tie the military’s hands.")),
             categories=("News", "United States"), tags=("Congress", "AUMF")),
        Post("post:ceasefire", "Monitors Report Ceasefire Violations Along Front Line",
             "monitors-report-ceasefire-violations-along-front-line", DAVE.key, at("2017-02-10T16:20:00"),
             (para("International monitors reported more than 200 ceasefire violations along the front line "
                   "over the weekend, the highest count since the truce was agreed."),
              quote("Both sides must pull heavy weapons back from the line.", "The monitoring mission")),
             markup="blocks", categories=("News", "Europe"), tags=("Ceasefire",)),
        Post("post:arms", "Arms Sales Package Advances Despite Senate Objections",
             "arms-sales-package-advances-despite-senate-objections", JASON.key, at("2017-02-14T02:05:00"),
             (para("A multibillion-dollar arms sales package cleared a key procedural hurdle on Monday after an "
                   "effort to block it fell short in the Senate."),
              para("The State Department formally notified Congress of the proposed sale last month.")),
             categories=("News", "Middle East"), tags=("Arms Sales", "Congress"), comment_status="closed"),
        Post("post:f35", "Senators Question Rising Costs of F-35 Program", "senators-question-rising-costs-of-f-35",
             KELLEY.key, at("2017-02-14T15:00:00"),
             (para("Members of the Senate Armed Services Committee pressed Pentagon officials on the rising "
                   "sustainment costs of the F-35, now projected at more than a trillion dollars."),
              bullets("Sustainment: over $1 trillion", "Unit cost: falling, officials say")),
             markup="blocks", categories=("News", "United States"), tags=("F-35", "Pentagon", "Congress")),
        # never public: none of these may reach the warehouse
        Post("post:draft", "Sanctions Review Expected Next Month", "sanctions-review-expected", KELLEY.key,
             at("2017-01-25T10:00:00"), (para("A draft that was never published."),), status="draft"),
        Post("post:private", "Editorial Notes for the Week", "editorial-notes", JASON.key, at("2017-01-26T10:00:00"),
             (para("Private notes for the editors."),), status="private"),
        Post("post:page", "About the Wire", "about", JASON.key, at("2017-01-02T10:00:00"),
             (para("A page, not a post: pages are not news."),), post_type="page"),
    ]
    comments = [*_seed_thread(seed), *_small_threads(), *_long_thread(), *_deep_chain()]
    return Scenario([JASON, KELLEY, DAVE, NOAH], posts, comments)


def _seed_thread(seed: SeedArticle) -> list[Comment]:
    """The seed article's thread exactly as the page shows it, an hour apart, plus what a moderator holds back."""
    comments: list[Comment] = []
    parents: list[str] = []  # key of the latest comment at each depth
    for number, (depth, author, paragraphs) in enumerate(seed.thread, start=1):
        key = f"comment:seed-{number}"
        del parents[depth:]
        posted = at("2017-01-17T00:00:00") + timedelta(hours=number)
        comments.append(Comment(key, "post:seed", author, paragraphs, posted, parent=parents[-1] if parents else None))
        parents.append(key)
    comments.append(Comment("comment:seed-pending", "post:seed", "Newcomer",
                            ("My first comment here, still waiting for a moderator.",), at("2017-01-17T09:00:00"),
                            parent="comment:seed-1", approved=0))
    comments.append(Comment("comment:seed-spam", "post:seed", "Cheap Pills",
                            ('Best prices online: <a href="http://spam.example.invalid/">click here</a>',),
                            at("2017-01-17T09:30:00"), approved="spam"))
    return comments


def _small_threads() -> list[Comment]:
    return [
        Comment("comment:airport-mike", "post:airport", "Mike R.",
                ("How long can an airport hold out when it is supplied only by air?",), at("2017-01-03T16:00:00")),
        Comment("comment:airport-author", "post:airport", "Jason Ditz",
                ("It has held since 2014, but every attack narrows the corridor the planes can use.",),
                at("2017-01-03T17:10:00"), parent="comment:airport-mike", user=JASON.key),
        Comment("comment:airport-pingback", "post:airport", "Another Blog » Weekly roundup",
                ("[…] the latest attack on the airport, as reported by the wire […]",), at("2017-01-03T18:00:00"),
                kind="pingback", url="http://blog.example.invalid/roundup/"),
        Comment("comment:airport-sam", "post:airport", "Sam",
                ("Worth reading <em>alongside</em> the <a href=\"https://example.invalid/map\">front-line map</a>.",
                 "The corridor is the whole story."), at("2017-01-03T19:30:00")),
        Comment("comment:airport-sam-pending", "post:airport", "Pat",
                ("Agreed, though the map is a week old.",), at("2017-01-03T20:00:00"),
                parent="comment:airport-sam", approved=0),
        Comment("comment:yemen-1", "post:yemen", "Rosa", ("Eight or sixteen, the raid should never have happened.",),
                at("2017-01-30T15:00:00")),
        Comment("comment:yemen-2", "post:yemen", "Ahmed", ("The village had no AQAP presence that anyone knew of.",),
                at("2017-01-30T16:00:00"), parent="comment:yemen-1"),
        Comment("comment:arms-1", "post:arms", "Lee", ("Another sale, another war we will be told is not ours.",),
                at("2017-02-14T03:00:00")),
        Comment("comment:arms-2", "post:arms", "Dana", ("Who voted to block it?",), at("2017-02-14T04:00:00"),
                parent="comment:arms-1"),
        Comment("comment:arms-spam", "post:arms", "SEO Services", ("Rank first on search engines today!",),
                at("2017-02-14T05:00:00"), approved="spam"),
    ]


_READERS = ("Alex", "Brooke", "Chris", "Dee", "Evan", "Farah", "Gus", "Hana", "Ivo", "June")
LONG_THREAD_SIZE = 105  # more than the REST API's 100 a page; 70 threads, 14 comment pages at 5 a page


def _long_thread() -> list[Comment]:
    """A busy thread: every third comment answers the thread started before it."""
    comments: list[Comment] = []
    last_top = None
    for number in range(1, LONG_THREAD_SIZE + 1):
        key = f"comment:war-powers-{number}"
        reply = number % 3 == 0 and last_top is not None
        reader = _READERS[number % len(_READERS)]
        comments.append(Comment(key, "post:war-powers", reader,
                                (f"Comment {number}: {reader} on who gets to decide when the country goes to war.",),
                                at("2017-02-06T19:00:00") + timedelta(minutes=7 * number),
                                parent=last_top if reply else None))
        if not reply:
            last_top = key
    return comments


CHAIN_LENGTH = 8  # replies nested deeper than the thread limit of 5


def _deep_chain() -> list[Comment]:
    comments = []
    for number in range(CHAIN_LENGTH):
        comments.append(Comment(f"comment:chain-{number}", "post:ceasefire", _READERS[number % 2],
                                (f"Level {number} of an argument that will not end.",),
                                at("2017-02-10T18:00:00") + timedelta(minutes=10 * number),
                                parent=f"comment:chain-{number - 1}" if number else None))
    comments.append(Comment("comment:ceasefire-other", "post:ceasefire", "Olga",
                            ("Two hundred violations in two days is not a ceasefire.",), at("2017-02-11T08:00:00")))
    return comments


# --- what changes on the site between runs -----------------------------------------------------------------

NEW_COMMENTS = (
    Comment("comment:airport-new", "post:airport", "Nadia", ("The corridor closed again this morning.",),
            at("2017-02-20T09:00:00"), parent="comment:airport-author"),
    Comment("comment:yemen-new", "post:yemen", "Omar", ("Sixteen now. The number only ever goes up.",),
            at("2017-02-20T10:00:00")),
)
# Each a different way a published comment leaves the site, and what WordPress keeps of it (None: nothing).
MODERATION: dict[str, tuple[str, int | str | None]] = {
    "comment:airport-sam": ("delete", None),
    "comment:war-powers-102": ("trash", "trash"),
    "comment:ceasefire-other": ("spam", "spam"),
    "comment:arms-2": ("hold", 0),
}
PENTAGON_EDITED_AT = at("2017-02-22T10:00:00")


def changed(before: Scenario) -> tuple[Scenario, list[dict[str, object]]]:
    """An editor updates the Pentagon post; readers add two comments; moderators remove four.

    Returns the site's content afterwards, and the operations that make those changes.
    """
    pentagon = replace(before.post("post:pentagon"), body=PENTAGON_EDITED, modified=PENTAGON_EDITED_AT)
    posts = [pentagon if p.key == pentagon.key else p for p in before.posts]
    comments = [c if c.key not in MODERATION else replace(c, approved=MODERATION[c.key][1])
                for c in before.comments if MODERATION.get(c.key, ("", 1))[1] is not None]
    ops = [pentagon.edit_op(), *(c.op() for c in NEW_COMMENTS),
           *({"op": "moderate", "key": key, "action": action} for key, (action, _) in MODERATION.items())]
    return Scenario(before.people, posts, [*comments, *NEW_COMMENTS]), ops
