"""Recurring slogans (提法) in party-press pages: mining, counting, locating.

Party-building pages are built from formulations that repeat: national ones (四个意识,
三会一课, 不忘初心、牢记使命) and local brands (“最强党支部”, “晓景计划”, “亮晒比”).
This module finds them in the item table (columns page, item, text; `text` is the
cleaned body with quotes normalised to “ ” and nested ‘ ’) and counts them.

Where candidates come from
--------------------------
1. quoted phrases “…” and ‘…’ that pass :func:`quote_verdict` (not direct speech,
   not the name of a shop, company or team, at least two characters);
2. numbered formulations found with or without quotes (:data:`REPEATED_NUMERAL_RE`
   三会一课 / 三亮三提三比三创 / 双报到双报告双考核, :data:`N_GE_YI_RE` 五个一批,
   :data:`DIGIT_METHOD_RE` “1447”党建工作法 / 12345工作法, :data:`PLUS_CODE_RE` 1+3+N);
3. entries of ``lexicon/slogans.csv`` present in the text.

Once a phrase is a candidate, ALL its occurrences are counted, quoted or not (page 003
prints 民情日记 without the quotes that page 000 gives it), except for scare quotes
(see :func:`is_scare_quote`), which are counted only where quoted: “技术”, “温度”,
“热心人” are ordinary words that happen to be quoted, and their unquoted uses are
just the word. Quote marks inside a surface are ignored when matching, so “五化”协同,
五化协同 and ‘五化’协同 are one slogan. Overlaps are resolved longest first, so a
candidate inside a longer one (一村一名 inside “一村一名大学生”) is not counted twice;
the one exception is an element of a quoted 、-list (亮晒比 in “活字典、亮晒比、零差错、
结对子”), which is counted both as itself and inside the list.

Formulation versus long tail
----------------------------
The output keeps one-off quoted phrases (the long tail) but says which rows recur:
``recurring`` is True when a slogan is used in at least :data:`MIN_ITEMS_RECURRING`
items. Ranking by ``n_items`` then ``count`` puts formulations first; a scare-quoted
word repeated inside one story (“热心人” ×9 in one article) stays behind them.
"""

import re
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg
import pandas as pd

SLOGAN_LEXICON_PATH = Path(__file__).resolve().parent / "lexicon" / "slogans.csv"

# A formulation used in at least this many items counts as recurring (two different
# articles picked it up); a phrase repeated within one story is still long tail.
MIN_ITEMS_RECURRING = 2

# Longest quoted phrase considered. Enumerated formulations run long
# (“讲政治比忠诚、讲学习比本领、讲规矩比自律、讲团结比协作、讲奉献比担当” is 34 chars);
# beyond 40 a quote is a passage, not a phrase.
MAX_QUOTE_LEN = 40
# A quote WITHOUT an internal list separator (、 · — space) longer than this reads as a
# sentence, not a formulation (“不讲空话套话只讲方法路径的培训班…”).
MAX_PLAIN_QUOTE_LEN = 16
MIN_SLOGAN_LEN = 2

OPEN_QUOTES = "“‘"
CLOSE_QUOTES = "”’"
QUOTE_CHARS = OPEN_QUOTES + CLOSE_QUOTES
# Outer quotes “…” may contain nested ‘…’; nested quotes contain no quotes.
DOUBLE_QUOTE_RE = re.compile(r"“([^“”]{1,%d})”" % MAX_QUOTE_LEN)
SINGLE_QUOTE_RE = re.compile(r"‘([^‘’“”]{1,%d})’" % MAX_QUOTE_LEN)

# Direct speech: a quote holding sentence punctuation is a sentence somebody said
# (“这是一场干货满满的知识盛宴,让我们…”). The pages mix ASCII and full-width commas.
SENTENCE_PUNCT_RE = re.compile(r"[,，。！!？?；;：:…]")
# Sentence-final particles close speech, not formulations (“咱们生豆芽吧”).
SPEECH_FINAL_PARTICLES = "了吗呢吧啊呀嘛啦哦哇"
# A quote opened right after a speech verb or a colon is speech: 说：“…”, 表示“…”.
SPEECH_BEFORE_RE = re.compile(r"(?:[：:]|说|道|问|喊|讲道|表示|感慨|称赞)\s*$")
# …or one closed and followed, within a short clause, by a speech verb: “…”王绪说。
SPEECH_AFTER_RE = re.compile(
    r"^[^“”‘’。,，！？!?；;]{0,15}?(?:说|表示|介绍|感慨道|说道|问道|坦言)(?:道)?[。,，:：]"
)
# A quote opening with a first/second-person pronoun and a modal is a promise somebody
# made (“我们将持续加大力度”), not a formulation; “我为群众办实事” has no modal and stays.
SPEECH_PRONOUN_MODAL_RE = re.compile(r"^(?:我们|咱们|我|咱|你们|你)(?:都|也|还|就|一定)?(?:将|要|会|想|得|能|必须|一定)")
LIST_SEPARATORS = "、·—- "

# Name of a thing, not a formulation: a quote followed (within a few characters) by an
# organisation or product head noun — “安牧态”奶制品加工厂, “瓜蔓蔓”志愿服务队,
# “陕坝大妈”帮帮团 — or a quote that itself ends in one (“红蜂驿站”, “…积分超市”).
NAME_HEADS = (
    r"加工厂|厂(?!长)|公司|合作社|协会|商会|集团|银行|医院|学校|超市|商店|店(?!长)|铺|馆(?!长)|"
    r"驿站|服务站|工作站|服务队|志愿队|先锋队|突击队|队(?![伍长员])|帮帮团|艺术团|"
    r"团(?![结长员队体])|服务中心|养殖场|农场|牧场|餐厅|酒店"
)
NAME_AFTER_RE = re.compile(r"^[\u4e00-\u9fff]{0,5}?(?:%s)" % NAME_HEADS)
NAME_INSIDE_RE = re.compile(r"(?:%s)$" % NAME_HEADS)

CN_NUMERALS = "一二三四五六七八九十两双"
# Repeated numeral pattern: a numeral + 1–2 characters, at least twice, all units the
# same length (三会一课, 两学一做, 三亮三提三比三创, 双报到双报告双考核). 个 is not a unit
# (一步一个 / 一个问题一个问题 are grammar, not formulations); idioms such as 一心一意 are
# dropped with jieba's idiom tag, see :func:`numbered_spans`.
_UNIT1 = r"[%s][^%s个\W\d]" % (CN_NUMERALS, CN_NUMERALS)
_UNIT2 = r"[%s][^%s个\W\d]{2}" % (CN_NUMERALS, CN_NUMERALS)
REPEATED_NUMERAL_RE = re.compile(r"(?:%s){2,}|(?:%s){2,}" % (_UNIT2, _UNIT1))
# N个一批 / N个一: 五个一批, “五个一”制度.
N_GE_YI_RE = re.compile(r"[二三四五六七八九十两]个一批?")
# Digit code + method word, quotes optional: “1447”党建工作法, 12345工作法, 3251工作机制,
# “131”工作方法. The canonical form drops the quotes. A bare number before 热线/号/路 is
# a phone line or address, not a formulation, and is not matched.
DIGIT_METHOD_RE = re.compile(
    r"[“‘]?(\d{3,6})[”’]?(党建工作法|工作法|工作方法|工作机制|党建工作机制|机制|模式|工作模式)"
)
# Plus codes: 1+3+N, 1+7+41+N (quoted or not), not 1+1>2 style arithmetic.
PLUS_CODE_RE = re.compile(r"(?<![\d+])[\dN](?:\+[\dN]+)+(?![\d+>=<])")
NUMERAL_START_RE = re.compile(r"^(?:[二三四五六七八九十两双百千\d]|%s)" % REPEATED_NUMERAL_RE.pattern)


@lru_cache(maxsize=1)
def load_slogan_lexicon(path=None):
    """Read the curated slogan dictionary (CSV: slogan, expansion, level, source).

    Returns a DataFrame indexed 0..n-1. The `slogan` column is also read by the
    tokenizer as a user dictionary, so entries are written exactly as printed.
    """
    path = Path(path) if path else SLOGAN_LEXICON_PATH
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: the slogan dictionary lives in lexicon/slogans.csv")
    lex = pd.read_csv(path, dtype=str).fillna("")
    missing = {"slogan", "expansion", "level", "source"} - set(lex.columns)
    if missing:
        raise ValueError(f"{path} lacks columns {sorted(missing)}")
    return lex


@lru_cache(maxsize=1)
def _jieba_tags():
    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba.posseg.dt.word_tag_tab


def is_idiom(phrase):
    """True if jieba's dictionary tags `phrase` as an idiom or fixed expression (i, l)."""
    return _jieba_tags().get(phrase) in {"i", "l"}


def is_scare_quote(phrase):
    """True for an ordinary word put in quotes (“热心人”, “粉丝”, “技术”, “硬核”).

    Rule: the phrase is one word of jieba's general dictionary (so a reader would
    meet it unquoted anyway) and not a numbered formulation; or it is two characters
    long (too short to match unquoted without hitting names: 晓景 in 齐晓景).
    Scare-quoted words are counted only where quoted.
    """
    if NUMERAL_START_RE.match(phrase) and len(phrase) > 2:
        return False
    if len(phrase) <= 2:
        return True
    return phrase in _jieba_tags() and jieba.dt.FREQ.get(phrase, 0) > 0


def quote_verdict(content, before="", after=""):
    """Decide what a quoted phrase is: 'slogan', 'speech', 'name' or 'too_short'.

    content: the text between the quote marks; before/after: the text just outside.
    Rules, in order (general habits of the genre, not of these pages):
    - fewer than MIN_SLOGAN_LEN characters (“云”上, “亮”政策) -> 'too_short';
    - sentence punctuation inside, a sentence-final particle at the end, a speech
      verb or colon just before, "…说。" just after, or an opening pronoun + modal
      (“我们将…”, “你要…”) -> 'speech';
    - longer than MAX_PLAIN_QUOTE_LEN with no list separator -> 'speech' (a clause);
    - followed by or ending in an organisation / product head noun -> 'name';
    - otherwise 'slogan' (including activity themes and programme names such as
      “晓景计划”, “亮晒比”创先争优行动: programmes are the local brands we want).
    First-person words are NOT a speech sign: “我为群众办实事”, “我帮你” are slogans.
    """
    bare = content.strip().strip(QUOTE_CHARS)
    if len(re.sub(r"[‘’\s]", "", bare)) < MIN_SLOGAN_LEN:
        return "too_short"
    if SENTENCE_PUNCT_RE.search(bare) or bare[-1] in SPEECH_FINAL_PARTICLES:
        return "speech"
    if SPEECH_PRONOUN_MODAL_RE.match(bare):
        return "speech"
    if SPEECH_BEFORE_RE.search(before) or SPEECH_AFTER_RE.match(after):
        return "speech"
    if len(bare) > MAX_PLAIN_QUOTE_LEN and not any(s in bare for s in LIST_SEPARATORS):
        return "speech"
    if NAME_INSIDE_RE.search(bare) or NAME_AFTER_RE.match(after):
        return "name"
    return "slogan"


def _canonical(surface):
    """Canonical form of a surface: quote marks removed, whitespace removed."""
    return re.sub(r"[“”‘’\s]", "", surface)


def quoted_spans(text):
    """All quoted phrases in `text` as dicts (start, end, content, verdict).

    start/end cover the quote marks. Nested ‘…’ inside “…” are returned too.
    Phrases inside 《》 titles are still quotes (《“最强党支部”建设方案》); the title
    itself is not a quote.
    """
    out = []
    for rx in (DOUBLE_QUOTE_RE, SINGLE_QUOTE_RE):
        for m in rx.finditer(text):
            before = text[max(0, m.start() - 4):m.start()]
            after = text[m.end():m.end() + 20]
            out.append(dict(start=m.start(), end=m.end(), content=m.group(1),
                            verdict=quote_verdict(m.group(1), before, after)))
    return out


def numbered_spans(text):
    """Numbered formulations in `text`, quoted or not, as dicts (start, end, canonical).

    Repeated numeral patterns that jieba tags as idioms (一心一意, 一言一行) are dropped.
    Digit codes are kept only with a method word, so “12345”热线 is not a slogan
    while 12345工作法 is.
    """
    out = []
    for m in REPEATED_NUMERAL_RE.finditer(text):
        if not is_idiom(m.group()):
            out.append(dict(start=m.start(), end=m.end(), canonical=m.group()))
    for rx in (N_GE_YI_RE, PLUS_CODE_RE):
        for m in rx.finditer(text):
            out.append(dict(start=m.start(), end=m.end(), canonical=m.group()))
    for m in DIGIT_METHOD_RE.finditer(text):
        out.append(dict(start=m.start(), end=m.end(), canonical=m.group(1) + m.group(2)))
    return out


def _phrase_regex(canonical, quoted_only):
    """Regex matching `canonical` with optional quote marks between characters.

    List separators in the canonical form (、，,·) match any of them or nothing, so
    “请党放心、强国有我” also matches 请党放心,强国有我. With quoted_only the match must
    sit between an opening and a closing quote.
    """
    parts = []
    for ch in canonical:
        parts.append(r"[、，,·\s]?" if ch in "、，,·" else re.escape(ch))
    # Quote marks may sit between characters (“五化”协同) but not at either end:
    # spans end on the phrase, and surfaces add the enclosing quotes back.
    body = r"[“”‘’]?".join(parts)
    if quoted_only:
        return re.compile(r"(?<=[“‘])" + body + r"(?=[”’])")
    return re.compile(body)


def _surface(text, start, end):
    """The printed form of an occurrence, with its quote marks if it has any.

    An enclosing pair is added (“最强党支部”), and so is a lone mark that closes or
    opens a quote inside the span (“1447”党建工作法, “五化”协同).
    """
    span = text[start:end]
    n_open = sum(span.count(c) for c in OPEN_QUOTES)
    n_close = sum(span.count(c) for c in CLOSE_QUOTES)
    open_before = start > 0 and text[start - 1] in OPEN_QUOTES
    close_after = end < len(text) and text[end] in CLOSE_QUOTES
    s = start - 1 if open_before and (close_after or n_close > n_open) else start
    e = end + 1 if close_after and (open_before or n_open > n_close) else end
    return text[s:e]


def _candidates(df):
    """Map canonical phrase -> (kind, quoted_only) from quotes, numbers, dictionary."""
    lex = load_slogan_lexicon()
    lex_set = set(lex["slogan"])
    cands = {}
    joined = "\n".join(df["text"].astype(str))
    quotes = [q for text in df["text"].astype(str) for q in quoted_spans(text)]
    # A phrase used even once as the name of a shop, team or company is a name.
    names = {_canonical(q["content"]) for q in quotes if q["verdict"] == "name"}
    for text in df["text"].astype(str):
        for q in quoted_spans(text):
            canon = _canonical(q["content"])
            if q["verdict"] != "slogan" or canon in names:
                continue
            if canon in lex_set:
                continue
            kind = "numbered" if NUMERAL_START_RE.match(canon) else "quoted"
            cands.setdefault(canon, (kind, is_scare_quote(canon) and kind == "quoted"))
        for n in numbered_spans(text):
            cands[n["canonical"]] = ("numbered", False)
    for s in lex_set:
        if _phrase_regex(s, False).search(joined):
            cands[s] = ("dictionary", False)
    return cands


def slogan_occurrences(df):
    """Long table of slogan occurrences: one row per use in the cleaned text.

    df: item table with columns page, item, text. Returns columns page, item,
    slogan (canonical form), surface (as printed, with its quotes), start, end
    (offsets in `text`, end exclusive, quotes excluded), kind. Overlapping matches
    are resolved longest first (see module docstring). Sorted by page, item, start.
    """
    cands = _candidates(df)
    # Longest candidates first so that overlap resolution keeps the longer phrase.
    order = sorted(cands, key=lambda c: (-len(c), c))
    regexes = [(c, _phrase_regex(c, cands[c][1])) for c in order]
    rows = []
    for page, item, text in df[["page", "item", "text"]].itertuples(index=False):
        text = str(text)
        taken = []  # (start, end, is_list) of accepted spans
        for canon, rx in regexes:
            for m in rx.finditer(text):
                s, e = m.start(), m.end()
                clash = [t for t in taken if s < t[1] and t[0] < e]
                if clash and not all(_is_list_element(text, s, e, t) for t in clash):
                    continue
                taken.append((s, e, "、" in canon))
                rows.append(dict(page=page, item=item, slogan=canon,
                                 surface=_surface(text, s, e), start=s, end=e,
                                 kind=cands[canon][0]))
    cols = ["page", "item", "slogan", "surface", "start", "end", "kind"]
    return (pd.DataFrame(rows, columns=cols)
            .sort_values(["page", "item", "start"], kind="stable")
            .reset_index(drop=True))


def _is_list_element(text, s, e, taken):
    """True if span s:e is a whole 、-element of the quoted list span `taken`."""
    ts, te, is_list = taken
    if not is_list or not (ts <= s and e <= te):
        return False
    left = text[s - 1] if s > 0 else ""
    right = text[e] if e < len(text) else ""
    return left in "、“‘" and right in "、”’"


def mine_slogans(df):
    """One row per canonical slogan found in the item table `df` (page, item, text).

    Columns: slogan, count (occurrences in the cleaned text, quoted or not, no
    double counting), n_items, n_pages, kind (dictionary / numbered / quoted),
    variants (sorted list of printed surfaces merged into the slogan), first_page,
    first_item (first occurrence in page, item, offset order), n_quoted (how many
    occurrences carried quote marks), scare_quote (an ordinary word in quotes),
    recurring (used in at least MIN_ITEMS_RECURRING items), level, expansion
    (from the dictionary). Sorted by n_items, count (descending), then slogan.
    """
    occ = slogan_occurrences(df)
    cols = ["slogan", "count", "n_items", "n_pages", "kind", "variants", "first_page",
            "first_item", "n_quoted", "scare_quote", "recurring", "level", "expansion"]
    if occ.empty:
        return pd.DataFrame(columns=cols)
    occ = occ.assign(item_key=occ["page"].astype(str) + "#" + occ["item"].astype(str),
                     quoted=occ["surface"].str[0].isin(list(OPEN_QUOTES)))
    lex = load_slogan_lexicon().set_index("slogan")
    out = (occ.groupby("slogan", sort=False)
              .agg(count=("start", "size"), n_items=("item_key", "nunique"),
                   n_pages=("page", "nunique"), kind=("kind", "first"),
                   variants=("surface", lambda s: sorted(set(s))),
                   first_page=("page", "first"), first_item=("item", "first"),
                   n_quoted=("quoted", "sum"))
              .reset_index())
    out["scare_quote"] = (out["kind"] == "quoted") & out["slogan"].map(is_scare_quote)
    out["recurring"] = out["n_items"] >= MIN_ITEMS_RECURRING
    out["level"] = out["slogan"].map(lex["level"]).fillna("local")
    out["expansion"] = out["slogan"].map(lex["expansion"]).fillna("")
    return (out[cols].sort_values(["n_items", "count", "slogan"], ascending=[False, False, True])
            .reset_index(drop=True))
