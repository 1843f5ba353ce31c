"""Paragraphs: the page's lines grouped into logical paragraphs, and column breaks rejoined
(通\n\n辽市, 推\n\n动)."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import patterns as P
from .openings import BARE_NAME_RE, SUBTITLE_MARK, is_title_line, looks_like_title
from .patterns import (
    AUTHOR_RE, CLAUSE_PUNCT, HEADER_MARK_RE, MAX_TITLE_LEN, ends_sentence, has_credit_tail,
)
from .segment import plain_segmenter

@dataclass
class Para:
    """A logical paragraph: text plus the raw spans (start, end) it was made from."""

    text: str
    spans: list[tuple[int, int]]
    kind: str = "body"  # header | byline | author | credit | brief | title | body | banner
    meta: dict = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


def raw_blocks(text: str) -> list[list[tuple[int, int, str]]]:
    """Blocks of consecutive non-blank lines (separated by blank lines), each line as
    ``(start, end, stripped_text)`` with offsets of the stripped text in ``text``."""
    blocks, cur, pos = [], [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            s = pos + len(line) - len(line.lstrip())
            cur.append((s, s + len(stripped), stripped))
        elif cur:
            blocks.append(cur)
            cur = []
        pos += len(line)
    if cur:
        blocks.append(cur)
    return blocks


def _is_structural(s: str) -> bool:
    return bool(
        HEADER_MARK_RE.match(s)
        or P.BARE_BYLINE_RE.match(s)
        or P.CREDIT_TAIL_RE.match(s)
    )


def _signed_at(lines: list[str]) -> int | None:
    """Index of the line that signs the title lines above it in one block: a byline
    (□本报记者 X, 本报记者  白剑峰), a ◎author, or a bare name (尹双红, 商  旸) right under
    title lines; None when the block has none."""
    for k, line in enumerate(lines):
        if k and (P.BYLINE_RE.match(line) or P.BARE_BYLINE_RE.match(line)
                  or AUTHOR_RE.match(line)):
            return k
        if k and k == len(lines) - 1 and BARE_NAME_RE.match(line) and all(
                is_title_line(x) for x in lines[:k]):
            return k
    return None


def block_paragraphs(block) -> list[Para]:
    """Turn one block of single-newline-separated lines into paragraphs.

    Within a block a short unpunctuated line followed by a line that is a full sentence (or a
    caption with its credit) is a headline or subhead over its paragraph
    (明确任务抓调度…\\n大伙坐好,…); otherwise the lines are one paragraph wrapped by the
    extraction (专业社工与\\n志愿服务同频共振) and are joined. A word cut at the line end
    is rejoined later like any column break.

    Lines over a byline or signature form a title block: when together they are too long
    for one title, or one opens with —— (a subtitle), each line stays its own paragraph
    (kicker 引题, title, subtitle 副题; see cnpress.openings.split_title_block). A bare name
    closing such a block is a signature (meta ``signature``).
    """
    lines = [line for _, _, line in block]
    signed = _signed_at(lines)
    title_block = (
        signed is not None and signed >= 2 and all(is_title_line(x) for x in lines[:signed])
        and (sum(map(len, lines[:signed])) > MAX_TITLE_LEN
             or any(x.startswith(SUBTITLE_MARK) for x in lines[1:signed])))
    paras: list[Para] = []
    for k, (s, e, line) in enumerate(block):
        if paras:
            prev = paras[-1]
            starts_new = (
                _is_structural(line)
                or _is_structural(prev.text)
                or ends_sentence(prev.text)
                or (title_block and k <= signed)
                or k == signed
                or (len(prev.text) <= MAX_TITLE_LEN
                    and (len(line) > MAX_TITLE_LEN or ends_sentence(line)
                         or has_credit_tail(line)))
            )
            if not starts_new:
                prev.text += line
                prev.spans.append((s, e))
                continue
        para = Para(line, [(s, e)])
        if title_block and k < signed:
            para.meta["title_block"] = True
        if k == signed and BARE_NAME_RE.match(line) and not (
                P.BYLINE_RE.match(line) or P.BARE_BYLINE_RE.match(line)):
            para.meta["signature"] = True
        paras.append(para)
    return paras


def _segment(text: str) -> list[str]:
    """Word segmentation used to judge column-break joins: jieba's default dictionary,
    computed by the fast backend (same tokens as jieba.Tokenizer())."""
    # Dictionary words only: the HMM glues unknown characters across the break (蝶变|条).
    return plain_segmenter().lcut(text, HMM=False)


def word_spans_boundary(left: str, right: str, context: int = 6) -> bool:
    """True if segmenting ``left + right`` yields a word that straddles the boundary.

    通|辽市 → 通辽市, 推|动 → 推动, 熟|手 → 熟手: a word cut by a column break.
    """
    a, b = left[-context:], right[:context]
    pos = 0
    for tok in _segment(a + b):
        if pos < len(a) < pos + len(tok):
            return True
        pos += len(tok)
    return False


def should_join(left: str, right: str) -> bool:
    """Decide whether body paragraph ``right`` continues ``left`` across a column break.

    ``left`` must end without final punctuation. It is joined when it is too long to be a
    title or subhead, when it ends on a comma/colon/opening quote or inside an open
    quotation, or when a word straddles the break (a headline ends on a whole word).
    """
    if ends_sentence(left) or _is_structural(right) or _is_structural(left):
        return False
    if P.DATELINE_RE.match(right):
        return False  # 本报北京…电, 新华社…电 open a story: what is above it is its title
    if has_credit_tail(left) or (left.endswith(("）", ")")) and P.BRIEF_CREDIT_RE.search(left)):
        return False  # a caption or brief closed by its credit
    if len(left) > MAX_TITLE_LEN and not looks_like_title(left):
        return True
    if left[-1] in CLAUSE_PUNCT + "“‘「『（(——":
        return True
    if left.count("“") > left.count("”"):
        return True  # cut inside a quotation: headlines close their quotes
    return word_spans_boundary(left, right)
