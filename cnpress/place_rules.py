"""Place rules: what the words around a place name say about it.

:mod:`cnpress.places` finds candidate names with one automaton; the functions here decide,
from the text around each candidate, whether it names the administrative unit. Every rule
returns the reason in words, which ``find_places(text, explain=True)`` shows. The cue words
come from lexicon/place_context.csv (roles documented there and in lexicon/README.md); the
dictionary words that show "a name inside a longer word" come from jieba's own dictionary.

Each check looks at a bounded stretch of text around one candidate (a few characters, or the
sentence and the one before it, found by binary search over positions computed once per text),
so finding places stays linear in the length of the text.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import lexicon

PLACE_CONTEXT = "place_context.csv"
# A word of jieba's dictionary counts as "a longer word" around a name only at this frequency
# or above: the dictionary's rare entries are mostly fragments (学满 in 内蒙古大学满洲里学院
# has frequency 3); 趵突泉 has 31, 依托 629.
MIN_WORD_FREQ = 10
# A name ending in one of these is closed by its suffix (科左后旗, 托克托县): a word that
# starts with the suffix (旗人, 县委) does not swallow the name, except the area words.
ADMIN_SUFFIX = ("旗", "县", "市", "区", "盟")
# The longest dictionary word looked for across a name's edge (characters).
MAX_WORD_CHARS = 5
# An organisation name that a short place form heads: at most this many characters between
# the form and 有限公司/集团… (阿拉善 + 新井煤业 + 有限公司), none of them punctuation or a
# function word (在鄂尔多斯投资的公司 is a company in 鄂尔多斯, not one named after it).
MAX_NAME_CHARS = 10
NAME_RUN = re.compile(r"[^\s\W的在和与及是为对把被从向了等将到由于][^\s\W的在和与及是为对把被从向了等将到由于]*")
# A list of names closed by 等 and a landform word: 鄂尔多斯、渤海湾等重点含油气盆地.
LIST_THEN_LANDFORM = re.compile(r"(?:、[^、，。；！？\s]{1,8})+等[^，。；！？\s]{0,8}?(?:盆地|沙地|沙漠|高原|平原)")
# A name that ends like a town's (丰镇) and a Chinese character right before it that is not a
# preposition or conjunction: the name is the tail of another town's name (乐丰镇).
TOWN_SUFFIX = ("镇", "乡")
NAME_CHAR = re.compile(r"[\u4e00-\u9fff](?<![在到于至从由往赴和与及的是为对把被向临近离出入进经])")
# Sentence ends: the context of a shared name is its sentence and the one before it.
SENTENCE_END = re.compile(r"[。！？!?；;\n]")
CONTEXT_SENTENCES = 2


@lexicon.follows(PLACE_CONTEXT)
def cues() -> dict[str, tuple[str, ...]]:
    """lexicon/place_context.csv as {role: cue words, longest first}."""
    table = pd.read_csv(lexicon.path(PLACE_CONTEXT), comment="#", dtype=str).fillna("")
    missing = {"cue", "role"} - set(table.columns)
    if missing:
        raise ValueError(f"{lexicon.path(PLACE_CONTEXT)} lacks columns {sorted(missing)}")
    out: dict[str, list[str]] = {}
    for cue, role in zip(table["cue"].str.strip(), table["role"].str.strip()):
        if cue:
            out.setdefault(role, []).append(cue)
    return {role: tuple(sorted(words, key=len, reverse=True)) for role, words in out.items()}


@lru_cache(maxsize=1)
def dictionary_words(min_freq=MIN_WORD_FREQ) -> frozenset:
    """Words of jieba's default dictionary (jieba/dict.txt) with frequency >= min_freq."""
    import jieba

    words = set()
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as f:
        for parts in map(str.split, f):
            if len(parts) >= 2 and len(parts[0]) > 1 and int(parts[1]) >= min_freq:
                words.add(parts[0])
    return frozenset(words)


def starts_with(text, pos, words):
    """The first of ``words`` (longest first) that text has at pos, else None."""
    for w in words:
        if text.startswith(w, pos):
            return w
    return None


def crossing_word(text, start, end, lo, hi, right=True, words=None):
    """A dictionary word that straddles an edge of text[start:end], else None.

    Left edge: a word that starts in text[lo:start] and ends inside or after the name (依托县域
    for 托县, 趵突泉 for 突泉). Right edge (if ``right``): a word that starts inside the name and
    ends in text[end:hi] (依托县域: 县域). ``lo``/``hi`` stop the search at the neighbouring
    place names, so 内蒙古包头 is not read as 蒙古包 + 头.
    """
    words = dictionary_words() if words is None else words
    for a in range(max(lo, start - MAX_WORD_CHARS + 1), start):
        for b in range(min(hi, a + MAX_WORD_CHARS), start, -1):
            if text[a:b] in words:
                return text[a:b]
    if right:
        for a in range(start + 1, end):
            for b in range(min(hi, a + MAX_WORD_CHARS), end, -1):
                if text[a:b] in words:
                    return text[a:b]
    return None


def local_veto(text, hit, lo, hi, after_region=False):
    """Why the words right around a candidate show it does not name the unit, or None.

    ``hit``: a dict with start, end, surface and row (its lexicon/places.csv row); ``lo``,
    ``hi``: the end of the previous candidate and the start of the next one. The rules, in
    order: the row's own not_followed_by (鄂温克族, 多伦多); a vessel or brand (包头舰); for a
    suffix-less or short form: a lower-level place (科尔沁镇), a natural feature (鄂尔多斯盆地,
    额尔古纳河), an organisation's name it heads (鄂尔多斯集团), a longer dictionary word across
    its edges (依托县域, 趵突泉); for a name with its suffix (official, or 科左后旗): a word across
    its left edge, or an area word that takes its suffix (海南区域). Right after 内蒙古
    (``after_region``) a name is not looked for inside a longer word: 内蒙古乌海协调… is 乌海.
    """
    row, start, end = hit["row"], hit["start"], hit["end"]
    c = cues()
    after = text[end:hi]
    if row["not_followed_by"] and re.match(row["not_followed_by"], after):
        return f"followed by {after[:2]}: not the unit ({row['guard']})"
    vessel = starts_with(text, end, c.get("vessel", ()))
    if vessel and not starts_with(text, end, c.get("not_vessel", ())):
        return f"a proper name: {hit['surface']}{vessel} (ship, train or brand)"
    if row["form"] == "official" or hit["surface"].endswith(ADMIN_SUFFIX):
        word = None if after_region else crossing_word(text, start, end, lo, hi, right=False)
        if word:
            return f"inside the word {word}"
        area = starts_with(text, end - 1, c.get("area_word", ()))
        if area:
            return f"its last character belongs to the word {area}"
        return None
    lower = starts_with(text, end, c.get("lower_level", ()))
    if lower:
        return f"a lower-level place: {hit['surface']}{lower}"
    land = landform_after(text, end, hi)
    if land:
        return f"a natural feature: {hit['surface']}{land}"
    if row["use"] == "context":
        genre = starts_with(text, end, c.get("landform_genre", ()))
        if genre:  # 科尔沁草原 is the grassland, not 科尔沁区
            return f"a natural feature: {hit['surface']}{genre}"
    if hit["surface"].endswith(TOWN_SUFFIX) and start > lo and NAME_CHAR.match(text, start - 1):
        # 丰镇 reads like a town's name: in 乐丰镇 it is the end of another town's name
        return f"the end of another place's name: {text[start - 1]}{hit['surface']}"
    company = organisation_name(text, end, hi)
    if company:
        return f"heads the organisation name {hit['surface']}{company}"
    if not after_region:
        # A word across the right edge is looked for only after a two-character name: a
        # longer one is distinctive (呼和浩特 + 特等 is 呼和浩特等地), a short one is not
        # (乌海军 is 乌 + 海军, Ukraine's navy).
        word = crossing_word(text, start, end, lo, hi, right=end - start <= 2)
        if word:
            return f"inside the word {word}"
    return None


def landform_after(text, end, hi):
    """The landform that text names from ``end`` (盆地, 河畔), or one closing a list the name
    starts (鄂尔多斯、渤海湾等重点含油气盆地), else None. A one-character cue (河, 山) that
    starts a longer word (河段, 山桃, 山区) is not a landform."""
    c = cues()
    land = starts_with(text, end, c.get("landform", ()))
    if land and len(land) == 1:
        words = dictionary_words()
        if any(text[end:end + k] in words for k in range(2, MAX_WORD_CHARS)):
            land = None
    if land:
        return land
    if text.startswith("、", end):
        listed = LIST_THEN_LANDFORM.match(text, end, min(len(text), end + 40))
        if listed:
            return listed.group()
    return None


def organisation_name(text, end, hi):
    """The rest of an organisation name (新井煤业有限公司) that text has from ``end``, else None."""
    words = cues().get("company", ())
    run = NAME_RUN.match(text, end, min(hi, end + MAX_NAME_CHARS + 6))
    if not run:
        for w in words:  # the form directly followed by 集团/公司
            if text.startswith(w, end):
                return w
        return None
    span = run.group()
    for i in range(min(len(span), MAX_NAME_CHARS) + 1):
        w = starts_with(span, i, words)
        if w:
            return span[:i] + w
    return None


def licensed(text, hit, prev):
    """Why a use=context form (阿尔山, 乌达, 二连) counts where its prefecture is not right
    before it, or None: Inner Mongolia named right before it (内蒙古阿尔山, 内蒙古的乌达,
    自治区乌达), or a right context in its row's licensed_by_next (二连口岸)."""
    row = hit["row"]
    nxt = row.get("licensed_by_next", "")
    if nxt and re.match(nxt, text[hit["end"]:hit["end"] + 4]):
        return f"licensed by what follows: {text[hit['end']:hit['end'] + 2]}"
    if prev is not None and prev["kind"] == "region":
        gap = text[prev["end"]:hit["start"]]
        if gap in ("", "的"):
            return f"licensed by {prev['surface']}{gap} right before it"
    return None


class TextContext:
    """Positions computed once per text for the context checks: candidate starts (sorted),
    sentence ends, and whether the text names any place elsewhere / any Inner Mongolia place."""

    def __init__(self, text, hits):
        self.text = text
        self.hits = hits
        self.starts = [h["start"] for h in hits]
        self._ends = None
        self.any_elsewhere = any(h["kind"] in ("other", "foreign") for h in hits)
        self.any_nmg = any(h["kind"] == "region" or (h["kind"] == "nmg" and not h.get("needs_context"))
                           for h in hits)

    def sentence_ends(self):
        if self._ends is None:
            self._ends = [m.start() for m in SENTENCE_END.finditer(self.text)]
        return self._ends

    def window(self, start, end, sentences=CONTEXT_SENTENCES):
        """(lo, hi) of the sentence holding text[start:end] and the ones before it, in all
        ``sentences`` sentences."""
        ends = self.sentence_ends()
        i = bisect.bisect_left(ends, start)
        lo = ends[i - sentences] + 1 if i >= sentences else 0
        j = bisect.bisect_left(ends, end)
        hi = ends[j] if j < len(ends) else len(self.text)
        return lo, hi

    def around(self, start, end):
        """The candidates within the window of text[start:end], without the one there."""
        lo, hi = self.window(start, end)
        i, j = bisect.bisect_left(self.starts, lo), bisect.bisect_left(self.starts, hi)
        return [h for h in self.hits[i:j] if h["start"] != start]


def supports(hit, other, prefecture):
    """True when candidate ``other`` is Inner Mongolia context for a unit of ``prefecture``:
    the region, or a distinctive name (not itself in need of context) of the same prefecture."""
    if other["kind"] == "region":
        return True
    return (other["kind"] == "nmg" and not other.get("needs_context")
            and other["row"]["prefecture"] == prefecture)


def context_decision(ctx, hit):
    """``(keep, reason)`` for a name that needs context: a name shared with places elsewhere
    (新城区, 青山区, 红山区), or a landform the genre uses for the unit (呼伦贝尔草原).

    Right after a place elsewhere it is that place's unit (西安市新城区). In the same sentence
    as the other half of a common-noun pair it is a common noun (新城区建设…老城区改造). Else the
    sentence and the one before decide: a place elsewhere or abroad named there and no support
    for the Inner Mongolia unit (its prefecture, another of its units, or 内蒙古) -> dropped;
    support and nothing elsewhere -> kept; both -> the nearer one decides. With no place around
    it: kept, unless the whole text names places elsewhere and none in Inner Mongolia.
    """
    text, row = ctx.text, hit["row"]
    k = bisect.bisect_left(ctx.starts, hit["start"])
    prev = ctx.hits[k - 1] if k > 0 else None
    if prev is not None and prev["end"] == hit["start"] and prev["kind"] in ("other", "foreign"):
        return False, f"right after {prev['surface']}: the unit of that name there"
    lo, hi = ctx.window(hit["start"], hit["end"], sentences=1)
    for w in cues().get("common_noun_pair", ()):
        at = text.find(w, lo, hi)
        if at >= 0 and not (at <= hit["start"] < at + len(w)):
            return False, f"a common noun here: set against {w} in the same sentence"
    near = ctx.around(hit["start"], hit["end"])
    away = [h for h in near if h["kind"] in ("other", "foreign")]
    home = [h for h in near if supports(hit, h, row["prefecture"])]

    def dist(h):
        return min(abs(h["start"] - hit["end"]), abs(hit["start"] - h["end"]))

    if away and home:
        a, b = min(away, key=dist), min(home, key=dist)
        if dist(a) < dist(b):
            return False, f"{a['surface']} (elsewhere) is named nearer than {b['surface']}"
        return True, f"{b['surface']} is named nearer than {a['surface']} (elsewhere)"
    if away:
        return False, f"named among places elsewhere ({away[0]['surface']}) without its prefecture"
    if home:
        return True, f"supported by {home[0]['surface']} nearby"
    if ctx.any_elsewhere and not ctx.any_nmg:
        return False, "the text names places elsewhere and none in Inner Mongolia"
    return True, "no place elsewhere named around it"
