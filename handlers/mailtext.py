"""Text helpers for parse: charset decoding, HTML to text, format=flowed, quote and signature splitting."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PageElement, Tag

# Block-level HTML elements that end a line when rendered.
_BLOCKS = (
    "p", "div", "li", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "pre", "hr", "address", "section", "article", "header", "footer", "dd", "dt",
)  # fmt: skip
_SKIP = ("script", "style", "head", "title", "noscript", "template")
# Private-use characters mark block edges until the text is laid out (see _tidy).
_LINE, _PARA = "\ue000", "\ue001"
_PARAGRAPHS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "hr")


def decode_bytes(data: bytes, declared: str | None, problems: list[str]) -> str:
    """Decode a text part: the declared charset if it works, else UTF-8, else windows-1252, else replace."""
    candidates: list[str] = []
    primary: str | None = None
    if declared:
        try:
            name = codecs.lookup(declared).name
        except (LookupError, ValueError):  # ValueError: a NUL inside the name
            problems.append(f"unknown charset {declared!r}")
        else:
            # Mail clients label windows-1252 as latin-1; the WHATWG encoding spec treats them as one.
            primary = "cp1252" if name == "iso8859-1" else name
            candidates.append(primary)
    for fallback in ("utf-8", "cp1252"):
        if fallback not in candidates:
            candidates.append(fallback)
    for charset in candidates:
        try:
            text = data.decode(charset)
        except (UnicodeError, LookupError, ValueError):
            continue
        if primary is not None and charset != primary:
            problems.append(f"charset {declared!r} misdeclared; decoded as {charset}")
        return text
    problems.append(f"undecodable text (declared {declared or 'none'}); invalid bytes replaced")
    return data.decode("utf-8", errors="replace")


def html_to_text(html: str) -> str:
    """Render HTML as plain text, keeping line breaks and paragraphs; blockquotes become "> " lines.

    One iterative pass over the parsed tree: deeply nested or hostile HTML costs linear time
    and no recursion (tree edits such as insert_after are quadratic on deep nesting).
    """
    soup = BeautifulSoup(html, "html.parser")
    chunks: list[tuple[int, list[str]]] = [(0, [])]  # (blockquote depth, pieces)
    depth = pre = 0
    stack: list[PageElement | _End] = [soup]
    while stack:
        item = stack.pop()
        if isinstance(item, _End):
            name = item.tag.name
            pre -= name == "pre"
            if name == "blockquote":
                depth -= 1
                chunks.append((depth, []))
            elif name in _BLOCKS:
                chunks[-1][1].append(_PARA if name in _PARAGRAPHS else _LINE)
            elif name in ("td", "th"):
                chunks[-1][1].append(" ")
        elif isinstance(item, Tag):
            if item.name in _SKIP:
                continue
            if item.name == "br":
                chunks[-1][1].append("" if _ends_block(item) else "\n")
                continue
            if item.name == "blockquote":
                depth += 1
                chunks.append((depth, []))
            elif item.name in _BLOCKS:
                chunks[-1][1].append(_PARA if item.name in _PARAGRAPHS else _LINE)
            pre += item.name == "pre"
            stack.append(_End(item))
            stack.extend(reversed(item.contents))
        elif type(item) is NavigableString:  # not a Comment, Doctype or other special string
            # HTML source line breaks are spaces when rendered, except inside <pre>.
            chunks[-1][1].append(str(item) if pre else re.sub(r"[ \t\r\n\f]+", " ", str(item)))
    out: list[str] = []
    for level, pieces in chunks:
        text = _tidy("".join(pieces))
        if text and level:
            text = "\n".join(("> " * level + line) if line else ">" * level for line in text.split("\n"))
        if text:
            out.append(text)
    return "\n\n".join(out)


@dataclass
class _End:
    tag: Tag


def _ends_block(br: Tag) -> bool:
    """Browsers ignore a <br> that ends a non-empty block ("<div>text<br></div>" is one line)."""
    parent = br.parent
    return br.next_sibling is None and br.previous_sibling is not None and parent is not None and (
        parent.name in _BLOCKS
    )


def _tidy(text: str) -> str:
    """Resolve block marks: a run of marks and <br> newlines gives one line break per <br>,
    plus one for the block edge, and at least a blank line at a paragraph edge."""

    def breaks(m: re.Match[str]) -> str:
        run = m.group(0)
        n = run.count("\n") + (1 if _LINE in run or _PARA in run else 0)
        return "\n" * max(n, 2 if _PARA in run else 0)

    text = re.sub(f"[ \t]*(?:[{_LINE}{_PARA}\n][ \t]*)+", breaks, text.replace("\xa0", " "))
    lines = [line.strip(" \t") for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def unflow(text: str, delsp: bool) -> str:
    """Join RFC 3676 format=flowed soft line breaks (a line ending in a space continues)."""
    out: list[str] = []
    buf: str | None = None
    buf_depth = 0
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):  # space-stuffing (RFC 3676 4.4)
            content = content[1:]
        if buf is not None and depth != buf_depth:
            out.append(">" * buf_depth + (" " if buf_depth else "") + buf)
            buf = None
        flowed = content.endswith(" ") and content.rstrip() != "--"
        if flowed and delsp:
            content = content[:-1]
        buf = content if buf is None else buf + content
        buf_depth = depth
        if not flowed:
            out.append(">" * depth + (" " if depth else "") + buf)
            buf = None
    if buf is not None:
        out.append(">" * buf_depth + (" " if buf_depth else "") + buf)
    return "\n".join(out)


def fix_surrogates(value: str, problems: list[str]) -> str:
    """Undo the email package's surrogateescape of raw 8-bit bytes: UTF-8, else windows-1252."""
    if not re.search("[\udc80-\udcff]", value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append("undeclared 8-bit bytes in a header; read as windows-1252")
        return data.decode("cp1252", errors="replace")


def looks_binary(raw: bytes) -> bool:
    """True when the first 4 KiB look like binary data, not text: over a tenth control bytes,
    or not UTF-8 and over a third 8-bit bytes (text in a legacy charset has few)."""
    head = raw[:4096]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if controls * 10 > len(head):
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the 4 KiB edge
            return sum(1 for b in head if b >= 0x80) * 3 > len(head)
    return False
