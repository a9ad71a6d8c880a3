"""HTML -> the article's text, title, date and URL: the one reading path for markup,
whether it comes from an .html file or from a feed's ``text``/``content`` field.

trafilatura finds the main text and leaves out what the page's structure marks as
reader comments, navigation and footers (settings measured on trafilatura's own
evaluation pages, see the README's "Reading pages" section: tables kept, comments out).
It reads the page balanced and favouring precision, recording links; the precise reading
is taken when it keeps at least ``PRECISE_SHARE`` of the balanced one's text (it then
only left out furniture), else the balanced one (it cut into the article).
Then paragraphs made mostly of links (at most 200 characters, at least half of it link
text: "Read more: <a>...</a>"), lists three quarters of whose items are such (related
stories), table rows of links only, the heading right above any of these, and headings
left at the end with nothing under them are dropped. Should what is left be under
``PLAIN_SHARE`` of trafilatura's own plain reading of the page (recording links can lead
it to another block, say a recipe's list of linked ingredients), the plain reading is
taken instead: kg never reads much less of a page than trafilatura does.

The lead: a page's summary (its meta description) that the page also shows as a block
of its own (a standfirst, a teaser paragraph, often in the article's header, which
trafilatura leaves out) is put back at the top when the text lacks it.

Each page has a budget: markup over ``page_bytes`` is refused before it is parsed, and
reading that takes over ``page_seconds`` is stopped; both end in one clear message.
Nothing the page points at (images, stylesheets, scripts, DTDs) is fetched.
"""
from __future__ import annotations

import re
import signal
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Optional

DEFAULT_PAGE_BYTES = 8 * 1024 * 1024
DEFAULT_PAGE_SECONDS = 20.0
LINK_SHARE = 0.5          # a block is a link list when at least this share of its text is link text
LINK_BLOCK_CHARS = 200    # ... and it is this short (a long paragraph with many links is body text)
BLOCKS = ("p", "head", "quote")
LIST_SHARE = 0.75         # a list is a link list when this share of its items are
PRECISE_SHARE = 0.9       # the precise reading is taken when it keeps this share of the balanced one's text
PLAIN_SHARE = 0.75        # a text under this share of trafilatura's plain reading is replaced by that reading
LEAD_WORDS = 8            # a summary this long at least is looked for as the page's lead ...
LEAD_PROBE = 60           # ... by its first characters, in a block at most twice as long (+ LEAD_SLACK)
LEAD_SLACK = 300
NOT_SHOWN = ("script", "style", "noscript", "template")
NOT_LEAD = NOT_SHOWN + ("nav", "footer", "form", "button", "select", "option")
MARKUP = re.compile(r"<(?:p|div|br|span|b|i|a|em|strong|article|section|script|style|html|body|h[1-6]|ul|ol|li"
                    r"|table|tr|td|img|figure|figcaption|blockquote)\b[^>]*>|</(?:p|div|span|b|i|a|em|strong)>",
                    re.IGNORECASE)


@dataclass(frozen=True)
class PageBudget:
    page_bytes: int = DEFAULT_PAGE_BYTES
    page_seconds: float = DEFAULT_PAGE_SECONDS


@dataclass(frozen=True)
class Page:
    text: str
    title: str = ""
    date: Optional[str] = None
    url: str = ""


class PageRefused(Exception):
    """The page could not be read within its budget, or has no article text (the reason)."""


class _OutOfTime(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` inside a parser swallows it."""


def looks_like_html(text: str) -> bool:
    """Markup, not prose: at least two HTML tags (a feed's ``text`` holding a page or a fragment)."""
    return len(MARKUP.findall(text, 0, 20000)) >= 2


def read_html(html: str, budget: PageBudget = PageBudget()) -> Page:
    """The page's article text, title, date and URL; PageRefused says why not."""
    size = len(html.encode("utf-8", "surrogatepass"))
    if size > budget.page_bytes:
        raise PageRefused(f"HTML page too large to read ({size:,} bytes > page budget {budget.page_bytes:,}); "
                          "raise it with --page-bytes")
    try:
        with _time_limit(budget.page_seconds):
            page = _extract(html)
    except _OutOfTime:
        raise PageRefused(f"reading the HTML took over {budget.page_seconds:g} s (page budget); "
                          "raise it with --page-seconds") from None
    except RecursionError:
        raise PageRefused("cannot parse the HTML (nested too deep)") from None
    except Exception as error:  # a parser crash on hostile markup is a bad page, not a bad batch
        raise PageRefused(f"cannot parse the HTML ({type(error).__name__})") from error
    if not page.text.strip():
        raise PageRefused("no article text found in the HTML")
    return page


def _extract(html: str) -> Page:
    import trafilatura
    from lxml import etree
    from trafilatura.xml import xmltotxt

    settings = dict(with_metadata=True, include_comments=False, include_tables=True, include_links=True,
                    output_format="xml")
    plain = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
    document = trafilatura.bare_extraction(html, **settings)
    if document is None or document.body is None or not len(document.body):
        return Page(text=plain)
    precise = trafilatura.bare_extraction(html, favor_precision=True, **settings)
    if precise is not None and precise.body is not None and \
            _chars(precise.body.itertext()) >= PRECISE_SHARE * _chars(document.body.itertext()):
        document = precise
    body = document.body
    for block in _link_blocks(body):
        if block.getparent() is not None:
            _remove_keeping_tail(block)
    while len(body) and body[-1].tag == "head":       # a heading with nothing under it any more
        body.remove(body[-1])
    etree.strip_tags(body, "ref")
    text = xmltotxt(body, False).strip()
    if _chars([text]) < PLAIN_SHARE * _chars([plain]):
        text = plain                                  # recording links led trafilatura to another block
    try:
        lead = _lead(html, document.description or "")
    except (ValueError, etree.LxmlError):             # the text stands without its lead
        lead = ""
    if lead and _folded(lead)[:LEAD_PROBE] not in _folded(text):
        text = f"{lead}\n{text}"
    return Page(text=text, title=document.title or "", date=document.date or None, url=document.url or "")


def _chars(pieces) -> int:
    """Characters of text, whitespace runs counted as one."""
    return len(" ".join(" ".join(pieces).split()))


def _link_blocks(body) -> list:
    """Paragraphs, headings and quotes made mostly of links; lists most of whose items are
    (related stories, menus: a list of ingredients with a shop link or two stays); table
    rows whose cells all are."""
    found = [block for block in body.iter(*BLOCKS) if _is_link_list(block)]
    for listing in body.iter("list"):
        items = list(listing.iter("item"))
        if items and sum(map(_is_link_list, items)) >= LIST_SHARE * len(items):
            found.append(listing)
    for row in body.iter("row"):
        cells = list(row.iter("cell"))
        if cells and all(map(_is_link_list, cells)):
            found.append(row)
    headings = []
    for block in found:
        above = block.getprevious()
        while above is not None and above in found:
            above = above.getprevious()
        if above is not None and above.tag == "head":     # "Related stories", "More on this"
            headings.append(above)
    return found + headings


def _is_link_list(block) -> bool:
    """A short block made mostly of links ("Read more: <a>...</a>", a related story)."""
    text = "".join(block.itertext()).strip()
    if not text or len(text) > LINK_BLOCK_CHARS:
        return False
    linked = sum(len("".join(ref.itertext()).strip()) for ref in block.iter("ref"))
    return linked >= LINK_SHARE * len(text)


def _lead(html: str, description: str) -> str:
    """The block of the page that shows its summary (meta description), as text; "" when
    the summary is short, not shown on the page, or spread over a longer stretch."""
    from lxml import etree
    from trafilatura.utils import load_html

    summary = " ".join(description.split()).rstrip(".… ").strip()
    if len(summary.split()) < LEAD_WORDS:
        return ""
    probe = _folded(summary)[:LEAD_PROBE]
    tree = load_html(html)
    node = tree.find(".//body") if tree is not None else None
    if node is None:
        return ""
    etree.strip_elements(node, *NOT_SHOWN, with_tail=False)
    if probe not in _folded(node.text_content()):
        return ""
    while True:                                         # down to the smallest block holding it
        inner = next((child for child in node if isinstance(child.tag, str) and child.tag not in NOT_LEAD
                      and probe in _folded(child.text_content())), None)
        if inner is None:
            break
        node = inner
    text = " ".join(node.text_content().split())
    return text if len(text) <= 2 * len(summary) + LEAD_SLACK else ""


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _remove_keeping_tail(element) -> None:
    parent, tail = element.getparent(), element.tail
    previous = element.getprevious()
    if tail and tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


@contextmanager
def _time_limit(seconds: float):
    """Stop the block after ``seconds`` (an interval timer; only in the main thread of a
    Unix process: elsewhere the size budget alone bounds a page)."""
    usable = seconds and seconds > 0 and hasattr(signal, "setitimer") \
        and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def out_of_time(signum, frame):
        raise _OutOfTime()

    previous = signal.signal(signal.SIGALRM, out_of_time)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
