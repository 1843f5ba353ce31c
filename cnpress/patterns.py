"""Line-level patterns of the genre: names, credit labels, bylines, photo credits, section
names and their numbered instalments, sentence ends, news leads."""
from __future__ import annotations

import re

import pandas as pd

from . import lexicon

CJK = r"\u3400-\u9fff"
NAME = rf"[{CJK}·]{{2,8}}"  # a Chinese (or transcribed Mongolian) personal name
# A name as printed with spaces to fill the column: 施  钰, 王  可 (two single characters).
SPACED_NAME = rf"[{CJK}](?:[ \u3000]{{1,3}}[{CJK}]){{1,2}}(?![{CJK}])"
CREDIT_LABELS = "credit_labels.csv"
LABELS = "labels.csv"

# The patterns below are built from the word lists in lexicon/credit_labels.csv and
# lexicon/labels.csv; refresh() rebuilds them when a file changes. Code elsewhere reads them
# as attributes of this module (patterns.BYLINE_RE), never copies them at import.
CREDIT_ROLES: dict[str, str] = {}
AGENCIES: tuple[str, ...] = ()
LABEL_KINDS: dict[str, str] = {}
_LABEL = ""
_CREDIT_BODY = ""
BYLINE_RE = BARE_BYLINE_RE = CREDIT_TAIL_RE = BRIEF_CREDIT_RE = None
DATELINE_RE = CLOSING_CREDIT_RE = TITLE_LABEL_RE = LABEL_LINE_RE = None
# "◎李晗" under a commentary title: a ◎ followed by a bare name of 2-3 characters.
AUTHOR_RE = re.compile(rf"^◎\s*(?P<credit>[{CJK}·]{{2,3}})\s*$")


def _alternation(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@lexicon.follows(CREDIT_LABELS, LABELS)
def _compiled() -> dict:
    """The genre's patterns, compiled from the lexicon's credit labels and labels."""
    table = pd.read_csv(lexicon.path(CREDIT_LABELS), dtype=str, comment="#").fillna("")
    roles = {r.label.strip(): r.role.strip() for r in table.itertuples() if r.role != "agency"}
    agencies = tuple(r.label.strip() for r in table.itertuples() if r.role == "agency")
    kinds = pd.read_csv(lexicon.path(LABELS), dtype=str, comment="#").fillna("")
    label_kinds = {r.label.strip(): r.kind.strip() for r in kinds.itertuples()}
    label = _alternation(roles)
    # a label that is not a name (记者手记) must not read as 记者 + a name
    not_name = rf"(?!(?:{_alternation(label_kinds)}))" if label_kinds else ""
    person = rf"(?:{SPACED_NAME}|{NAME})"
    body = (rf"(?:(?:{label})\s*)?{not_name}{person}"
            rf"(?:[\s、，,]+(?:(?:{label})\s*)?{person})*")
    out = dict(CREDIT_ROLES=roles, AGENCIES=agencies, LABEL_KINDS=label_kinds, _LABEL=label,
               _CREDIT_BODY=body)
    out["BYLINE_RE"] = re.compile(rf"^[□]\s*(?P<credit>{body})\s*$")
    out["BARE_BYLINE_RE"] = re.compile(
        rf"^(?P<credit>(?:{label})\s*{not_name}{person}(?:[\s、，,]+(?:(?:{label})\s*)?{person})*)\s*$")
    # "本报记者 郝佳丽 摄", "梁兆峰 摄", "新华社记者 孙伟 摄", "贺敬华摄（影像中国）", alone on a
    # line or closing a caption ("……活动。蔡薇 摄"). Without a label, a space before 摄 is
    # required unless a picture-agency note follows, so that "……他拍摄" is not a credit.
    out["CREDIT_TAIL_RE"] = re.compile(
        rf"(?:^|(?<=[。！？!?”\s]))\s*(?P<credit>(?:(?:{label})\s*{person}(?:[\s、]+{person})*\s*)|"
        rf"(?:{person}(?:[\s、]+{person})*\s+)|(?:{NAME}(?=摄[（(])))摄\s*(?:[（(][^（）()]{{2,8}}[）)])?\s*$")
    # "(本报记者 郝佳丽)" or "(雷雷)" closing a brief.
    out["BRIEF_CREDIT_RE"] = re.compile(rf"[（(]\s*(?P<credit>{body})\s*[）)]\s*$")
    agency = _alternation(agencies) or "本报"
    # 本报北京1月13日电（记者 张晓东、魏贺）, 新华社北京3月9日电, 本报讯（记者何平）,
    # 本报杭州电 （记者孙晓）, 央视网消息（新闻联播）：
    out["DATELINE_RE"] = re.compile(
        rf"^(?P<dateline>(?P<agency>{agency})(?:记者)?(?P<place>[{CJK}]{{0,10}}?)"
        rf"(?P<day>\d{{1,2}}月\d{{1,2}}日)?(?:电|讯|消息)"
        rf"(?:\s*[（(](?P<credit>[^（）()]{{1,60}})[）)])?)[：:\s]*")
    # A closing credit ending an item: （本报记者孟祥夫、付文）, （记者 X）, （本报记者X整理）,
    # （新华社发）, （新华社北京3月4日电）.
    out["CLOSING_CREDIT_RE"] = re.compile(
        rf"[（(]\s*(?:(?P<credit>(?:{label})\s*{person}(?:[\s、，,]+(?:(?:{label})\s*)?{person})*"
        rf"(?:采访整理|采访|整理|采写|报道|综合报道)?)|(?P<wire>(?:{agency})(?:[{CJK}]{{0,10}}\d{{1,2}}月\d{{1,2}}日)?(?:电|发|供图|稿)))"
        rf"\s*[）)]\s*$")
    # A column label in or after a title: 让好政策落到实处（人民时评）, （现场·代表通道）
    out["TITLE_LABEL_RE"] = re.compile(r"\s*[（(](?P<label>[^（）()]{2,20})[）)]\s*$")
    out["LABEL_LINE_RE"] = re.compile(
        rf"^[【\[]?(?P<label>{_alternation(label_kinds)})[】\]]?(?:[：:]\s*(?P<rest>.*))?$"
        if label_kinds else r"(?!x)x")
    return out


def refresh() -> None:
    """Rebind this module's genre patterns to the lexicon files as they are now (cheap when
    nothing changed): the loader calls it once per page or file."""
    compiled = _compiled()
    if globals().get("_COMPILED_FROM") is not compiled:
        globals().update(compiled)
        globals()["_COMPILED_FROM"] = compiled


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
    paragraph): only a paragraph ending in 摄 (or 摄 + a picture agency: 摄（影像中国）) can
    close with a photo credit."""
    t = s.rstrip()
    return (t.endswith("摄") or (t.endswith(("）", ")")) and "摄" in t[-12:])) and bool(
        CREDIT_TAIL_RE.search(s))


def ends_sentence(s: str) -> bool:
    """True if ``s`` ends like a finished sentence (。！？… possibly followed by closing quotes)."""
    s = s.rstrip()
    if s.endswith(("）", ")")) and (k := max(s.rfind("（"), s.rfind("("))) > 0 and (
            s[k - 1] in TERMINAL or s[k - 1] in "”’") and (
            CLOSING_CREDIT_RE.search(s[k:]) or (BRIEF_CREDIT_RE.search(s[k:]) and len(s) - k <= 5)):
        # a sentence closed by a credit: ……合作。（新华社发）, ……。（雷雷）; not by a column
        # label: 欧盟为何急于加速“扩编”？（环球热点） (a bare name has at most three characters)
        s = s[:k]
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
    label; names before any label get ``default_role``. Names printed with spaces to fill
    the line (本报记者  施  钰) are closed up; 整理/采写 after a name and labels that are not
    names (记者手记) are dropped.
    """
    refresh()
    out, role = [], default_role
    credit = re.sub(SPACED_NAME, lambda m: re.sub(r"[ \u3000]", "", m.group()), credit.strip())
    for tok in re.split(r"[\s、，,]+", credit):
        if not tok or tok in LABEL_KINDS:
            continue
        m = re.match(rf"^({_LABEL})(.*)$", tok) if _LABEL else None
        if m:
            role = CREDIT_ROLES[m.group(1)]
            tok = m.group(2)
            if not tok or tok in LABEL_KINDS:
                continue
        tok = re.sub(r"(?:采访整理|采访|整理|采写|报道|综合报道|摄)$", "", tok)
        if len(tok) >= 2 and re.fullmatch(rf"[{CJK}·]+", tok):
            out.append((tok, role))
    return out


def dateline(text: str):
    """The dateline opening a story (本报北京1月13日电（记者 张晓东、魏贺）, 新华社北京3月9日电,
    本报讯, 央视网消息（新闻联播）：) as a match with groups dateline, agency, place, day,
    credit; or None. Uses the patterns in force: a caller looping over many texts calls
    :func:`refresh` once first (parse_page and record_item do)."""
    return DATELINE_RE.match(text)


def closing_credit(text: str):
    """The credit closing an item (（本报记者孟祥夫、付文）, （记者 X）, （新华社发）) as a match
    with groups credit or wire; or None (patterns in force, see :func:`dateline`)."""
    t = text.rstrip()
    if not t.endswith(("）", ")")):
        return None
    return CLOSING_CREDIT_RE.search(t[-80:]) and CLOSING_CREDIT_RE.search(t)


def dateline_credits(m) -> list[tuple[str, str]]:
    """Names credited inside a dateline's brackets (only labelled ones: （新闻联播） is a
    programme, not a person)."""
    inner = (m.group("credit") or "") if m else ""
    if not inner or not (_LABEL and re.search(_LABEL, inner)):
        return []
    return parse_credit(inner, "contributors")


def text_credits(first: str, last: str):
    """The credits a text prints in itself, for papers without a byline line: the dateline
    opening its first paragraph (本报北京1月13日电（记者 张晓东）, 新华社…电) and the closing
    credit ending its last (（本报记者孟祥夫、付文）, （新华社发）). Returns ``(credits,
    agency, closing)``: (name, column) pairs, the agency (本报, 新华社…) or None, and the
    closing credit's match (the caller cuts ``last[:closing.start()]``) or None. Patterns in
    force (see :func:`dateline`)."""
    credits, agency = [], None
    if m := dateline(first):
        agency = m.group("agency")
        credits += dateline_credits(m)
    c = closing_credit(last)
    if c and c.group("credit"):
        credits += parse_credit(c.group("credit"), "reporters")
    elif c and c.group("wire"):
        agency = agency or next((a for a in AGENCIES if c.group("wire").startswith(a)), None)
    return credits, agency, c


# A paragraph that opens a news story: a dateline or time phrase, or "记者从…获悉".
LEAD_RE = re.compile(r"^(日前|近日|近期|近年来|今年以来|\d{1,2}月\d{1,2}日|(\d{4}年)?\d{1,2}月(份)?以来|.{0,12}记者从.{1,30}获悉)")
# How many more title words the tail must share than the text after the byline does.
STEAL_MARGIN = 2


refresh()
