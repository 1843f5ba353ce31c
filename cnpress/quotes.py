"""Quotes and numbered phrases in one text: what is quoted, and whether a quote is a
formulation, direct speech or a name (:func:`quote_verdict`); numbered formulations
(三会一课, 五个一批, 1+3+N, “1447”党建工作法). The slogan tables (:mod:`cnpress.slogans`) start
from these; the loader finds them once per item (:func:`item_quotes`)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jieba

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

# Name of a thing, not a formulation: a quote followed (within a few characters) by a head
# noun, or a quote that itself ends in one. Two kinds of things are named:
# - a BRAND, the local programme, station, team or scheme a party-building page promotes
#   (党建品牌): “红蜂驿站”, “道德银行”, “晓景计划”, “陕坝大妈”帮帮团, “瓜蔓蔓”志愿服务队;
# - a NAME, anything else with a name: a firm or its product, a school, a shop, an honour
#   (“安牧态”奶制品加工厂, “草原红”乳业公司, “幸福里”超市, “全国文明村”称号).
# Heads of a service post, a volunteer team or an activity group mark a brand wherever they
# stand; 银行/超市/计划-like scheme words only when the quote itself ends in them (the quote
# is the scheme's name: “道德银行”, “爱心超市”), since a quote followed by 银行 or 超市 names
# a bank or a shop (“幸福里”超市).
BRAND_HEADS = (
    r"驿站|服务站|工作站|服务点|服务中心|工作室|之家|书屋|讲堂|课堂|小院|"
    r"服务队|志愿队|先锋队|突击队|宣讲队|小分队|帮帮团|宣讲团|艺术团|服务团|"
    r"队(?![伍长员])|团(?![结长员队体])"
)
BRAND_INSIDE_ONLY = r"银行|超市|计划|基金|积分卡"
NAME_HEADS = (
    r"加工厂|厂(?!长)|公司|合作社|协会|商会|集团|银行|医院|学校|超市|商店|店(?!长)|铺|馆(?!长)|"
    r"养殖场|农场|牧场|餐厅|酒店|称号|荣誉称号|奖(?!励)"
)
BRAND_AFTER_RE = re.compile(r"^[\u4e00-\u9fff]{0,5}?(?:%s)" % BRAND_HEADS)
BRAND_INSIDE_RE = re.compile(r"(?:%s|%s)$" % (BRAND_HEADS, BRAND_INSIDE_ONLY))
NAME_AFTER_RE = re.compile(r"^[\u4e00-\u9fff]{0,5}?(?:%s)" % NAME_HEADS)
NAME_INSIDE_RE = re.compile(r"(?:%s)$" % NAME_HEADS)
# A numbered short form ending in a body's head is an organisation, not a formulation:
# 两委 (the village party branch and village committee), 两会, 三大队.
NUMBERED_BODY_RE = re.compile(r"^.{1,2}[委会组团队部局院所厅]$")

CN_NUMERALS = "一二三四五六七八九十两双"
# Repeated numeral pattern: a numeral + 1–2 characters, at least twice, all units the
# same length (三会一课, 两学一做, 三亮三提三比三创, 双报到双报告双考核). 个 is not a unit
# (一步一个 / 一个问题一个问题 are grammar, not formulations); idioms such as 一心一意 are
# dropped with jieba's idiom tag, see :func:`numbered_spans`.
_UNIT1 = r"[%s][^%s个\W\d]" % (CN_NUMERALS, CN_NUMERALS)
_UNIT2 = r"[%s][^%s个\W\d]{2}" % (CN_NUMERALS, CN_NUMERALS)
# (?:UNIT2){2,}|(?:UNIT1){2,} with the first numeral factored out: the same matches, but a
# pattern that starts with a character class lets re skip to the numerals (~8x faster).
_AFTER_NUMERAL = r"[^%s个\W\d]" % CN_NUMERALS
REPEATED_NUMERAL_RE = re.compile(r"[%s](?:%s{2}(?:%s)+|%s(?:%s)+)" % (
    CN_NUMERALS, _AFTER_NUMERAL, _UNIT2, _AFTER_NUMERAL, _UNIT1))
# N个一批 / N个一: 五个一批, “五个一”制度.
N_GE_YI_RE = re.compile(r"[二三四五六七八九十两]个一批?")
# Digit code + method word, quotes optional: “1447”党建工作法, 12345工作法, 3251工作机制,
# “131”工作方法. The canonical form drops the quotes. A bare number before 热线/号/路 is
# a phone line or address, not a formulation, and is not matched.
DIGIT_METHOD_RE = re.compile(
    r"[“‘]?(\d{3,6})[”’]?(党建工作法|工作法|工作方法|工作机制|党建工作机制|机制|模式|工作模式)"
)
# What a DIGIT_METHOD_RE match holds at least (a cheap test: re skips to the digits).
_DIGIT_METHOD_HINT_RE = re.compile(r"\d[”’]?(?:党建|工作|机制|模式)")
# Plus codes: 1+3+N, 1+7+41+N (quoted or not), not 1+1>2 style arithmetic. Written
# (?<![\d+])[\dN]… with the look-behind after the first character: the same matches, but
# starting with a character class lets re skip to the digits.
PLUS_CODE_RE = re.compile(r"[\dN](?<![\d+][\dN])(?:\+[\dN]+)+(?![\d+>=<])")
NUMERAL_START_RE = re.compile(r"^(?:[二三四五六七八九十两双百千\d]|%s)" % REPEATED_NUMERAL_RE.pattern)


@lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[frozenset, frozenset]:
    """``(words, idioms)`` of jieba's own dictionary (jieba/dict.txt: word, frequency, tag):
    every word with a frequency, and those tagged as idioms or fixed expressions (i, l), the
    tags jieba.posseg uses. Read from the file rather than through jieba.posseg and jieba's
    global tokenizer, which would hold two more copies of the dictionary (~190 MB)."""
    path = Path(jieba.__file__).parent / "dict.txt"
    words, idioms = set(), set()
    with path.open(encoding="utf-8") as f:
        for parts in map(str.split, f):
            if len(parts) == 3 and int(parts[1]) > 0:
                words.add(parts[0])
                if parts[2] in ("i", "l"):
                    idioms.add(parts[0])
    return frozenset(words), frozenset(idioms)


def is_idiom(phrase):
    """True if jieba's dictionary tags `phrase` as an idiom or fixed expression (i, l)."""
    return phrase in _jieba_dictionary()[1]


def is_dictionary_word(phrase):
    """True if `phrase` is one word of jieba's general dictionary."""
    return phrase in _jieba_dictionary()[0]


# A number, a date or a holiday written as one (“18”, “2025”, “5·4”, “十一”, “十五”): quoted,
# it is not a formulation.
NUMBER_PHRASE_RE = re.compile(r"^[\d〇零一二三四五六七八九十百千万两·.．/:：%％\-—]+$")


def is_number_phrase(phrase):
    """True for a phrase made of numerals, digits and date punctuation only."""
    return NUMBER_PHRASE_RE.match(phrase) is not None


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
    return phrase in _jieba_dictionary()[0]


_INNER_QUOTES_SPACE_RE = re.compile(r"[‘’\s]")


def quote_verdict(content, before="", after=""):
    """Decide what a quoted phrase is: 'slogan', 'speech', 'brand', 'name' or 'too_short'.

    content: the text between the quote marks; before/after: the text just outside.
    Rules, in order (general habits of the genre, not of these pages):
    - fewer than MIN_SLOGAN_LEN characters (“云”上, “亮”政策) -> 'too_short';
    - sentence punctuation inside, a sentence-final particle at the end, a speech
      verb or colon just before, "…说。" just after, or an opening pronoun + modal
      (“我们将…”, “你要…”) -> 'speech';
    - longer than MAX_PLAIN_QUOTE_LEN with no list separator -> 'speech' (a clause);
    - ending in a brand head (“红蜂驿站”, “道德银行”, “晓景计划”) or followed by a station
      or team head (“陕坝大妈”帮帮团) -> 'brand' (see :data:`BRAND_HEADS`);
    - followed by or ending in a firm, product, shop or honour head noun -> 'name';
    - otherwise 'slogan' (activity themes and formulations: “亮晒比”创先争优行动,
      “最强党支部”创建).
    First-person words are NOT a speech sign: “我为群众办实事”, “我帮你” are slogans.
    """
    bare = content.strip().strip(QUOTE_CHARS)
    if len(_INNER_QUOTES_SPACE_RE.sub("", bare)) < MIN_SLOGAN_LEN:
        return "too_short"
    if SENTENCE_PUNCT_RE.search(bare) or bare[-1] in SPEECH_FINAL_PARTICLES:
        return "speech"
    if SPEECH_PRONOUN_MODAL_RE.match(bare):
        return "speech"
    if SPEECH_BEFORE_RE.search(before) or SPEECH_AFTER_RE.match(after):
        return "speech"
    if len(bare) > MAX_PLAIN_QUOTE_LEN and not any(s in bare for s in LIST_SEPARATORS):
        return "speech"
    if BRAND_INSIDE_RE.search(bare) or BRAND_AFTER_RE.match(after):
        return "brand"
    if NAME_INSIDE_RE.search(bare) or NAME_AFTER_RE.match(after):
        return "name"
    return "slogan"


_QUOTES_SPACE_RE = re.compile(r"[“”‘’\s]")


def canonical_form(surface):
    """Canonical form of a surface: quote marks removed, whitespace removed."""
    return _QUOTES_SPACE_RE.sub("", surface)


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


_NUMBER_BEFORE = frozenset(CN_NUMERALS + "第百千万零〇0123456789")


def numbered_spans(text):
    """Numbered formulations in `text`, quoted or not, as dicts (start, end, canonical).

    Repeated numeral patterns that jieba tags as idioms (一心一意, 一言一行) or that continue
    a number (十届三中 in 二十届三中全会) are dropped.
    Digit codes are kept only with a method word, so “12345”热线 is not a slogan
    while 12345工作法 is.
    """
    out = []
    for m in REPEATED_NUMERAL_RE.finditer(text):
        # after a numeral or 第 the match is part of a number (二十届三中全会), not a pattern
        if m.start() and text[m.start() - 1] in _NUMBER_BEFORE:
            continue
        if not is_idiom(m.group()):
            out.append(dict(start=m.start(), end=m.end(), canonical=m.group()))
    # Cheap tests first: what a match of each pattern must contain.
    for rx, needs in ((N_GE_YI_RE, "个一"), (PLUS_CODE_RE, "+")):
        for m in rx.finditer(text) if needs in text else ():
            out.append(dict(start=m.start(), end=m.end(), canonical=m.group()))
    if _DIGIT_METHOD_HINT_RE.search(text):
        for m in DIGIT_METHOD_RE.finditer(text):
            out.append(dict(start=m.start(), end=m.end(), canonical=m.group(1) + m.group(2)))
    return out


def without_quotes(text):
    """`text` without the quote marks “”‘’ (where candidates' anchors are looked up)."""
    return text.replace("“", "").replace("”", "").replace("‘", "").replace("’", "")


def item_quotes(text):
    """slogan_occurrences' first pass over one text: ``(spans, slogans, names, numbers,
    brands)``, the (start, end) and canonical forms of its quotes judged 'slogan', the
    canonical forms of those judged 'name', those of its numbered_spans and those of its
    quotes judged 'brand'. Plain tuples and strings: they travel back from worker processes,
    and dicts of every quote were slow to pickle."""
    spans, slogans, names, brands = [], [], [], []
    for q in quoted_spans(text):
        if q["verdict"] == "slogan":
            spans.append((q["start"], q["end"]))
            slogans.append(canonical_form(q["content"]))
        elif q["verdict"] == "name":
            names.append(canonical_form(q["content"]))
        elif q["verdict"] == "brand":
            brands.append(canonical_form(q["content"]))
    return spans, slogans, names, [n["canonical"] for n in numbered_spans(text)], brands
