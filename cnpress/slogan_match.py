"""How the forms of known slogans are found in a text (the second pass of
:func:`cnpress.slogans.slogan_occurrences`).

A *form* is a string to look for (a slogan's canonical form, or one of its variants from the
dictionary: 两山理论 for 绿水青山就是金山银山); each form belongs to one slogan. Quote marks
inside a surface are ignored (“五化”协同 = 五化协同) and list separators match any separator
or none (请党放心，强国有我 = 请党放心、强国有我). A form marked *quoted only* (an ordinary word
in scare quotes, “热心人”) is found only between quote marks, or as a whole element of a quoted
、-list (活字典 in “活字典、亮晒比、零差错、结对子”).
"""
from __future__ import annotations

import bisect
import itertools
import re

from .quotes import CLOSE_QUOTES, OPEN_QUOTES

LIST_SEP = "、"


def anchor(form):
    """The longest run of `form` without list separators: text that phrase_regex matches
    contains it once quote marks are removed (a cheap test before the regex)."""
    return max(re.split(r"[、，,·]", form), key=len)


def phrase_regex(form, quoted_only):
    """Regex matching `form` with optional quote marks between characters.

    List separators in the form (、，,·) match any of them or nothing, so
    “请党放心、强国有我” also matches 请党放心,强国有我. With quoted_only the match must
    sit right after an opening quote or a 、 and right before a closing quote or a 、 (an
    element of a quoted list; the caller checks that the list is inside quotes).
    """
    parts = []
    for ch in form:
        parts.append(r"[、，,·\s]?" if ch in "、，,·" else re.escape(ch))
    # Quote marks may sit between characters (“五化”协同) but not at either end:
    # spans end on the phrase, and surfaces add the enclosing quotes back.
    body = r"[“”‘’]?".join(parts)
    if quoted_only:
        return re.compile(r"(?<=[“‘、])" + body + r"(?=[”’、])")
    return re.compile(body)


def surface(text, start, end):
    """The printed form of an occurrence, with its quote marks if it has any.

    An enclosing pair is added (“最强党支部”), and so is a lone mark that closes or
    opens a quote inside the span (“1447”党建工作法, “五化”协同).
    """
    span = text[start:end]
    open_before = start > 0 and text[start - 1] in OPEN_QUOTES
    close_after = end < len(text) and text[end] in CLOSE_QUOTES
    if not (open_before or close_after):
        return span
    n_open = sum(map(span.count, OPEN_QUOTES))
    n_close = sum(map(span.count, CLOSE_QUOTES))
    s = start - 1 if open_before and (close_after or n_close > n_open) else start
    e = end + 1 if close_after and (open_before or n_open > n_close) else end
    return text[s:e]


QUOTE_MARK_RE = re.compile("[“”‘’]")
# A form holding one of these is matched by its phrase_regex; any other by plain_spans (the
# same spans, without compiling a regex per form).
_REGEX_ONLY_CHARS = frozenset("、，,·“”‘’")
_QUOTED_LEFT = OPEN_QUOTES + LIST_SEP
_QUOTED_RIGHT = CLOSE_QUOTES + LIST_SEP


def quote_marks(text):
    """Where `text`'s quote marks sit in without_quotes(text): the k-th mark (from 0), at
    text position q, sits before plain character q - k. Sorted."""
    parts = QUOTE_MARK_RE.split(text)  # the plain runs between the marks
    return list(itertools.accumulate(map(len, parts[:-1])))


def plain_spans(form, quoted_only, text, plain, marks):
    """The spans (start, end) of ``phrase_regex(form, quoted_only).finditer(text)`` for a
    form without separators or quote marks, found with str.find in ``plain =
    without_quotes(text)`` (``marks = quote_marks(text)``): at most one quote mark between
    two of its characters, none at either end, and with quoted_only an opening mark or 、
    right before it and a closing one or 、 right after."""
    n, p = len(form), plain.find(form)
    while p >= 0:
        before = bisect.bisect_right(marks, p)  # marks before its first character
        inside = bisect.bisect_right(marks, p + n - 1) - before  # marks between its characters
        ok = inside == 0 or len(set(marks[before:before + inside])) == inside
        start, end = p + before, p + n + before + inside
        if ok and quoted_only:
            ok = (start > 0 and text[start - 1] in _QUOTED_LEFT
                  and end < len(text) and text[end] in _QUOTED_RIGHT)
        if ok:
            yield start, end
        p = plain.find(form, p + n if ok else p + 1)


class OccurrenceMatcher:
    """The forms, longest first (so that overlap resolution keeps the longer phrase), and an
    Aho-Corasick automaton over their anchors: one scan of a text, without quote marks, gives
    the forms that can occur in it however many there are; only those are then looked for
    (str.find, or for lists their regex, compiled on first use).

    ``cands``: {form: (kind, quoted_only, slogan)}."""

    def __init__(self, cands):
        import ahocorasick_rs

        self.cands = cands
        self.order = sorted(cands, key=lambda c: (-len(c), c))
        self.regexes = {}
        by_anchor, self.always = {}, []  # always: an empty anchor (a form of separators)
        for i, form in enumerate(self.order):
            a = anchor(form)
            (by_anchor.setdefault(a, []) if a else self.always).append(i)
        self.anchor_cands = list(by_anchor.values())
        self.automaton = ahocorasick_rs.AhoCorasick(list(by_anchor)) if by_anchor else None

    def present(self, plain):
        """Indices (in self.order) of the forms whose anchor occurs in `plain` (a text
        without quote marks), sorted."""
        found = set(self.always)
        if self.automaton is not None:
            hits = self.automaton.find_matches_as_indexes(plain, overlapping=True)
            for k in {k for k, _, _ in hits}:
                found.update(self.anchor_cands[k])
        return sorted(found)

    def spans(self, i, text, plain, marks):
        """The spans of form i in text, as its phrase_regex finds them."""
        form = self.order[i]
        quoted_only = self.cands[form][1]
        if _REGEX_ONLY_CHARS.isdisjoint(form):
            return plain_spans(form, quoted_only, text, plain, marks)
        rx = self.regexes.get(i)
        if rx is None:
            rx = self.regexes[i] = phrase_regex(form, quoted_only)
        return (m.span() for m in rx.finditer(text))


def is_list_element(text, s, e, taken):
    """True if span s:e is a whole 、-element of the quoted list span `taken`."""
    ts, te, is_list = taken
    if not is_list or not (ts <= s and e <= te):
        return False
    left = text[s - 1] if s > 0 else ""
    right = text[e] if e < len(text) else ""
    return left in "、“‘" and right in "、”’"


def inside_quote(s, e, quotes):
    """True if s:e lies inside one of the quotes (start, end), quote marks included."""
    return any(qs < s and e < qe for qs, qe in quotes)
