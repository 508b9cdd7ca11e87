"""Reading one RFC 822 message into plain data. Pure: no Django.

Chinese mail is often labelled with a narrower charset than it uses (GBK
text declared as ``gb2312``), so every GB charset is decoded as GB18030, its
superset. Undeclared or wrongly declared text is tried as UTF-8, then
GB18030, and only then decoded with replacement characters.

Every field comes back free of NUL and other control characters (PostgreSQL
refuses NUL in text; a CR or LF in a subject breaks the headers of every
reply). HTML larger or deeper than ``MAX_HTML_CHARS``/``MAX_HTML_DEPTH`` is
kept as text only: the sanitiser's time grows with the square of the depth.
"""

from __future__ import annotations

import email
import email.errors
import email.header
import email.policy
import email.utils
import hashlib
import html as html_entities
import re
from dataclasses import dataclass
from email.message import Message
from enum import Enum
from html.parser import HTMLParser
from pathlib import PurePosixPath, PureWindowsPath

import nh3

# Charsets whose text is decoded as GB18030 (a superset of each).
_GB_ALIASES = frozenset(
    {"gb2312", "gbk", "gb_2312-80", "gb_2312", "x-gbk", "cp936", "ms936", "euc-cn", "x-euc-cn"}
    | {"csgb2312", "chinese", "gb18030", "windows-936"}
)
_FALLBACK_CHARSETS = ("utf-8", "gb18030")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+$")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Longest id Message.external_id holds; longer ids are stored as a digest.
MAX_ID_LENGTH = 300
# HTML past either limit is not sanitised (nh3 takes 2.7 s at depth 40,000 and grows with
# the square of the depth); its text is kept. Real mail stays far below both.
MAX_HTML_CHARS = 1_000_000
MAX_HTML_DEPTH = 200
# C0 controls but tab and newline, DEL, C1 controls and lone surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_HEADER_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Anything that reads as a line break or other spacing, for one-line fields.
_LINE_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# A start, end or self-closing tag, or a <!...> declaration or comment piece. Each match
# stops at the next < or >, so a scan is linear in the length whatever the input.
_TAG = re.compile(r"<(?:(/?)([A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*?)?(/?)|![^<>]*)>")
# Elements that never hold others, and ones a parser closes by itself (a second <p>
# closes the first): neither adds to the depth.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th", "thead", "tbody"}
)


class ParseProblem(Enum):
    EMPTY = "empty"
    NO_SENDER = "no_sender"
    UNREADABLE = "unreadable"


class EmailParseError(Exception):
    """The bytes are not a message that can be taken in; ``problem`` says why."""

    def __init__(self, problem: ParseProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class ParsedEmail:
    """One message: ids in angle brackets, text decoded, HTML already sanitized."""

    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    subject: str
    sender_name: str
    sender_email: str
    text: str
    html: str
    attachments: tuple[ParsedAttachment, ...]


def has_chinese(text: str) -> bool:
    """Whether ``text`` holds any CJK ideograph."""
    return _CJK.search(text) is not None


def normalise_id(message_id: str) -> str:
    """The form a Message-ID is stored and looked up in: ``<...>``, at most 300 long."""
    if len(message_id) <= MAX_ID_LENGTH:
        return message_id
    digest = hashlib.sha256(message_id.encode("utf-8", "surrogateescape")).hexdigest()
    return f"<{digest}@long-id.invalid>"


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Text of ``data`` in the declared ``charset``, else the best guess (never raises)."""
    declared = (charset or "").strip().strip('"').lower()
    if declared in _GB_ALIASES:
        declared = "gb18030"
    candidates = [declared] if declared else []
    candidates += [c for c in _FALLBACK_CHARSETS if c != declared]
    for candidate in candidates:
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return data.decode(declared or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def decode_header_text(raw: str) -> str:
    """A header value as text: RFC 2047 words decoded, raw 8-bit bytes guessed."""
    raw = _FOLD.sub("", raw)
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        # 8-bit bytes sent without encoding come back from the parser as surrogates.
        raw = decode_bytes(raw.encode("ascii", "surrogateescape"), None)
    try:
        chunks = email.header.decode_header(raw)
    except (ValueError, email.errors.HeaderParseError):
        return raw.strip()
    text = "".join(
        chunk if isinstance(chunk, str) else decode_bytes(chunk, charset)
        for chunk, charset in chunks
    )
    return text.strip()


def clean_text(text: str) -> str:
    """``text`` with line ends as LF and no control characters but tab and newline."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_line(text: str) -> str:
    """``text`` on one line: every line break, tab or control run becomes one space.

    For subjects, names and addresses, which end up in mail headers.
    """
    return _LINE_SPACE.sub(" ", _CONTROL.sub(_space_if_break, text)).strip()


def _space_if_break(match: re.Match[str]) -> str:
    # CR, LF and the like separate words; NUL and the other controls are just dropped.
    return " " if match.group(0) in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x85" else ""


def html_depth(html: str) -> int:
    """The deepest nesting of elements in ``html``, read cheaply (linear, no parser).

    Void elements and ones closed implicitly (``p``, ``li``, table cells) do not count.
    """
    depth = deepest = 0
    for match in _TAG.finditer(html):
        name = (match.group(2) or "").lower()
        if not name or name in _VOID or match.group(3):
            continue
        if match.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def is_html_too_heavy(html: str) -> bool:
    """Whether ``html`` is past ``MAX_HTML_CHARS`` or ``MAX_HTML_DEPTH`` (kept as text only)."""
    return len(html) > MAX_HTML_CHARS or html_depth(html) > MAX_HTML_DEPTH


def strip_tags(html: str) -> str:
    """Plain text of ``html`` by one linear scan over its tags, for HTML too heavy to parse.

    Follows ``html_to_text``'s rules (scripts and styles dropped, blocks on lines).
    """
    parts: list[str] = []
    skipping = ""
    position = 0
    for match in _TAG.finditer(html):
        name = (match.group(2) or "").lower()
        if not skipping:
            parts.append(
                re.sub(r"\s+", " ", html_entities.unescape(html[position : match.start()]))
            )
        position = match.end()
        if skipping:
            if match.group(1) and name == skipping:
                skipping = ""
        elif name in _TextExtractor._SKIP and not match.group(1) and not match.group(3):
            skipping = name
        elif name in _TextExtractor._BLOCK and not (name == "li" and match.group(1)):
            parts.append("\n- " if name == "li" else "\n")
    if not skipping:
        parts.append(re.sub(r"\s+", " ", html_entities.unescape(html[position:])))
    return _layout("".join(parts))


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML body: scripts and styles dropped, blocks on lines."""
    if is_html_too_heavy(html):
        return strip_tags(html)
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return _layout("".join(extractor.parts))


def _layout(text: str) -> str:
    lines = [line.strip() for line in text.replace("\xa0", " ").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def sanitize_html(html: str) -> str:
    """HTML safe to show to agents: no scripts, styles, event handlers or javascript: links.

    HTML past the size or depth limit gives ``""`` (the caller keeps its text only).
    """
    if is_html_too_heavy(html):
        return ""
    return nh3.clean(html)


def parse_email(raw: bytes) -> ParsedEmail:
    """Read one message; raise ``EmailParseError`` when it cannot be taken in.

    A message without a Message-ID gets one derived from its bytes, so the
    same message delivered twice is still recognised as a repeat.
    """
    if not raw.strip():
        raise EmailParseError(ParseProblem.EMPTY)
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        headers = _raw_headers(message)
        sender_name, sender_email = _sender(headers.get("from", ""))
        text, html, attachments = _content(message)
    except EmailParseError:
        raise
    except Exception as exc:  # the stdlib parser raises many kinds on broken input
        raise EmailParseError(ParseProblem.UNREADABLE, f"{type(exc).__name__}: {exc}") from exc
    ids = _ids(headers.get("message-id", ""))
    message_id = ids[0] if ids else f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid>"
    html = clean_text(html)
    clean_html = sanitize_html(html).strip() if html.strip() else ""
    text = clean_text(text)
    if not text and html:
        text = html_to_text(html)
    return ParsedEmail(
        message_id=message_id,
        in_reply_to=_ids(headers.get("in-reply-to", "")),
        references=_ids(headers.get("references", "")),
        subject=clean_line(decode_header_text(headers.get("subject", ""))),
        sender_name=sender_name,
        sender_email=sender_email,
        text=text.strip(),
        html=clean_html,
        attachments=tuple(
            ParsedAttachment(item.filename, clean_line(item.content_type), item.content)
            for item in attachments
        ),
    )


def _ids(raw: str) -> tuple[str, ...]:
    # Raw 8-bit bytes arrive as lone surrogates, which no database stores: dropped too.
    return tuple(normalise_id(found) for found in _MESSAGE_ID.findall(_CONTROL.sub("", raw)))


def _raw_headers(message: Message) -> dict[str, str]:
    """The first value of each header as it arrived (undecoded), by lower-case name.

    NUL and the other C0 controls are dropped here; CR, LF and tab stay for unfolding,
    and 8-bit bytes (surrogates) for ``decode_header_text``.
    """
    headers: dict[str, str] = {}
    for name, value in message.raw_items():
        headers.setdefault(name.lower(), _HEADER_CONTROL.sub("", str(value)))
    return headers


def _sender(raw_from: str) -> tuple[str, str]:
    raw_name, address = email.utils.parseaddr(_FOLD.sub("", raw_from))
    address = address.strip()
    if not address and raw_from:
        # A From header with only 8-bit text: decode first, then read the address.
        raw_name, address = email.utils.parseaddr(decode_header_text(raw_from))
    address = _CONTROL.sub("", address)
    if not _ADDRESS.match(address) or len(address) > 254:
        raise EmailParseError(ParseProblem.NO_SENDER, raw_from[:200])
    local, _at, domain = address.rpartition("@")
    return clean_line(decode_header_text(raw_name))[:100], f"{local}@{domain.lower()}"


def _content(message: Message) -> tuple[str, str, list[ParsedAttachment]]:
    plain: list[str] = []
    html: list[str] = []
    attachments: list[ParsedAttachment] = []
    _walk(message, plain, html, attachments)
    return "\n\n".join(plain), "\n".join(html), attachments


def _walk(
    part: Message, plain: list[str], html: list[str], attachments: list[ParsedAttachment]
) -> None:
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        # A forwarded message stays whole as an .eml attachment, not mixed into the body.
        content = _forwarded_bytes(part)
        name = _filename(part) or f"message-{len(attachments) + 1}.eml"
        attachments.append(ParsedAttachment(name, content_type, content))
        return
    if part.is_multipart():
        children = part.get_payload()
        if content_type == "multipart/alternative" and isinstance(children, list):
            _walk_alternative(
                [child for child in children if isinstance(child, Message)],
                plain,
                html,
                attachments,
            )
            return
        for child in children if isinstance(children, list) else []:
            if isinstance(child, Message):
                _walk(child, plain, html, attachments)
        return
    filename = _filename(part)
    is_attachment = part.get_content_disposition() == "attachment" or filename
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    if not is_attachment and content_type in ("text/plain", "text/html"):
        text = decode_bytes(data, part.get_content_charset())
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        (plain if content_type == "text/plain" else html).append(text)
    else:
        name = filename or f"attachment-{len(attachments) + 1}"
        attachments.append(ParsedAttachment(name, content_type, data))


def _walk_alternative(
    children: list[Message],
    plain: list[str],
    html: list[str],
    attachments: list[ParsedAttachment],
) -> None:
    """Keep one plain and one HTML rendering of the same content, not both twice."""
    own_plain: list[str] = []
    own_html: list[str] = []
    for child in children:
        _walk(child, own_plain, own_html, attachments)
    plain.extend(own_plain[:1])
    html.extend(own_html[:1])
    if own_html and not own_plain:
        plain.append(html_to_text(own_html[0]))


def _forwarded_bytes(part: Message) -> bytes:
    try:
        inner = part.get_payload(0)
        return inner.as_bytes() if isinstance(inner, Message) else b""
    except Exception:  # a broken forwarded message must not lose the message around it
        return str(part.get_payload()).encode("utf-8", "surrogateescape")


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except (ValueError, LookupError, UnicodeError):
        name = ""
    name = decode_header_text(name) if "=?" in name else name
    # Only the last path element: a name like "..\\..\\x" must not climb directories.
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip(". ")
    return name[:200]


class _TextExtractor(HTMLParser):
    _SKIP = frozenset({"script", "style", "head", "title", "noscript", "template"})
    _BLOCK = frozenset(
        {"p", "div", "br", "tr", "table", "ul", "ol", "blockquote", "pre", "hr", "section"}
        | {"article", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "li"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("- ")
            elif tag == "pre":
                self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK and tag != "li":
            self.parts.append("\n")
            if tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        self.parts.append(data if self._pre else re.sub(r"\s+", " ", data))
