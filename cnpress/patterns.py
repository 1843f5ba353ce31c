"""Line-level patterns of the genre: names, credit labels, bylines, photo credits, section
names and their numbered instalments, sentence ends, news leads."""
from __future__ import annotations

import re

CJK = r"\u3400-\u9fff"
NAME = rf"[{CJK}·]{{2,8}}"  # a Chinese (or transcribed Mongolian) personal name
# Credit labels and the column of the item table each one feeds (seeds/README conventions).
CREDIT_ROLES = {
    "本报记者": "reporters",
    "见习记者": "reporters",
    "本报见习记者": "reporters",
    "记者": "reporters",
    "通讯员": "correspondents",
    "本报通讯员": "correspondents",
    "实习生": "contributors",
    "本报实习生": "contributors",
}
_LABEL = "|".join(sorted(map(re.escape, CREDIT_ROLES), key=len, reverse=True))
_CREDIT_BODY = rf"(?:(?:{_LABEL})\s*)?{NAME}(?:[\s、，,]+(?:(?:{_LABEL})\s*)?{NAME})*"
BYLINE_RE = re.compile(rf"^[□]\s*(?P<credit>{_CREDIT_BODY})\s*$")
BARE_BYLINE_RE = re.compile(rf"^(?P<credit>(?:{_LABEL})\s*{NAME}(?:[\s、，,]+(?:(?:{_LABEL})\s*)?{NAME})*)\s*$")
# "◎李晗" under a commentary title: a ◎ followed by a bare name of 2-3 characters.
AUTHOR_RE = re.compile(rf"^◎\s*(?P<credit>[{CJK}·]{{2,3}})\s*$")
# "本报记者 郝佳丽 摄", "梁兆峰 摄", alone on a line or closing a caption ("……活动。蔡薇 摄").
# Without a label, a space before 摄 is required so that "……他拍摄" is not read as a credit.
CREDIT_TAIL_RE = re.compile(
    rf"(?:^|(?<=[。！？!?”\s]))\s*(?P<credit>(?:(?:{_LABEL})\s*{NAME}(?:[\s、]+{NAME})*\s*)|"
    rf"(?:{NAME}(?:[\s、]+{NAME})*\s+))摄\s*$"
)
# "(本报记者 郝佳丽)" or "(雷雷)" closing a brief.
BRIEF_CREDIT_RE = re.compile(rf"[（(]\s*(?P<credit>{_CREDIT_BODY})\s*[）)]\s*$")
HEADER_MARK_RE = re.compile(r"^[◎■▲●□]")
SECTION_PREFIX_RE = re.compile(r"^[◎■]\s*(?P<name>.+?)\s*$")
TERMINAL = "。！？!?…"
CLOSERS = "”’」』）)》"
CLAUSE_PUNCT = "，,、；;：:"
# A paragraph longer than this cannot be a title, a subhead or a header: if it has no final
# punctuation it was cut by a column break. Titles on these pages run to 26 characters.
MAX_TITLE_LEN = 36
# An unmarked header (section name without ◎/■) is short and unpunctuated.
MAX_HEADER_LEN = 12


def has_credit_tail(s: str) -> bool:
    """Cheap test before CREDIT_TAIL_RE (a search anchored at the end scans the whole
    paragraph): only a paragraph ending in 摄 can close with a photo credit."""
    return s.rstrip().endswith("摄") and bool(CREDIT_TAIL_RE.search(s))


def ends_sentence(s: str) -> bool:
    """True if ``s`` ends like a finished sentence (。！？… possibly followed by closing quotes)."""
    s = s.rstrip()
    s = s.rstrip(CLOSERS)
    return bool(s) and s[-1] in TERMINAL




# A numbered instalment of a running column: 五化协同 大抓基层③ / ⑦ / ⑭, 走基层(3), 系列报道之二.
INSTALMENT_RE = re.compile(r"\s*(?:[①-⑳㉑-㉟㊱-㊿]+|[(（]\s*[\d一二三四五六七八九十]+\s*[)）]|\d+|之[一二三四五六七八九十]+)$")


def section_series(name: str) -> str:
    """The running column a section name belongs to, without its instalment number:
    五化协同 大抓基层⑦ -> 五化协同 大抓基层, 走基层（3） -> 走基层. The one rule for
    instalments: the parser looks section names up with it, the notebooks group by it."""
    if not isinstance(name, str):
        return name
    return INSTALMENT_RE.sub("", name).strip()


def parse_credit(credit: str, default_role: str) -> list[tuple[str, str]]:
    """Split a credit string into ``(name, column)`` pairs.

    A label (本报记者, 见习记者, 通讯员, 实习生…) applies to the names after it until the next
    label; names before any label get ``default_role``.
    """
    out, role = [], default_role
    for tok in re.split(r"[\s、，,]+", credit.strip()):
        if not tok:
            continue
        m = re.match(rf"^({_LABEL})(.*)$", tok)
        if m:
            role = CREDIT_ROLES[m.group(1)]
            tok = m.group(2)
            if not tok:
                continue
        out.append((tok, role))
    return out


# A paragraph that opens a news story: a dateline or time phrase, or "记者从…获悉".
LEAD_RE = re.compile(r"^(日前|近日|近期|近年来|今年以来|\d{1,2}月\d{1,2}日|(\d{4}年)?\d{1,2}月(份)?以来|.{0,12}记者从.{1,30}获悉)")
# How many more title words the tail must share than the text after the byline does.
STEAL_MARGIN = 2
