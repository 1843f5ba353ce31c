"""Segmentation and tokens: jieba's tokens, computed fast, with the project's lexicon.

jieba 0.42.1 with the project's user words (lexicon/userdict.txt, the `surface` column of
lexicon/places.csv where use=yes and the `slogan` column of lexicon/slogans.csv) at the
frequencies jieba's suggest_freq gives them, run on jieba-rs through the ``rjieba`` binding
(:class:`FastSegmenter`, identical tokens, ~30x faster). :func:`segment` is the one place that
calls the segmenter, so the backend is swapped in one place. The segmenter and the stopwords
follow their files (:func:`cnpress.lexicon.follows`): an edited lexicon file takes effect at
the next call.
"""
from __future__ import annotations

import logging
import re

import jieba
import rjieba

from . import lexicon

# jieba's HMM guesses words it does not know (personal names such as 齐晓景). It is
# jieba's default and rjieba's default too, so both backends agree.
SEGMENT_HMM = True
# Single-character tokens are dropped: in this press they are almost all function words
# or grammatical particles (的, 了, 在, 和, 是, 将) or fragments of a split word; the
# content-bearing ones (党, 村, 旗) occur mostly inside longer words the lexicon keeps whole.
MIN_TOKEN_CHARS = 2
_NUMBER_CHARS = ".．,，%％+-/:："


# Characters jieba-rs counts as Chinese but jieba 0.42.1 does not (its Han class stops at
# U+9FD5): text holding any of them goes to the pure-Python jieba so tokens stay identical.
_RUST_HAN_ONLY_RE = re.compile("[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
# A private-use character jieba never looks up: it carries the frequency that makes the
# Rust dictionary's total equal to jieba's (jieba adds every add_word frequency to its
# total, jieba-rs replaces a word's old frequency), so both score routes the same.
_TOTAL_SENTINEL = "\ue000"


class FastSegmenter:
    """jieba's segmentation computed by jieba-rs (the ``rjieba`` binding), ~15-30x faster.

    ``FastSegmenter()`` is jieba's default dictionary; ``FastSegmenter(tok)`` copies the
    user words of a pure-Python ``jieba.Tokenizer`` ``tok`` (with the frequencies jieba
    gave them) and its dictionary total. ``lcut(text, HMM)`` returns the same tokens as
    ``tok.lcut(text, HMM=HMM)``: tests/test_performance.py checks it on every item of the
    corpus. Text with characters the two disagree on (rare CJK extensions) is cut by jieba.
    """

    def __init__(self, reference=None, words=()):
        self._reference = reference
        self._rust = rjieba.Jieba()
        if reference is None:
            return
        # words: {word: its frequency in the default dictionary (0 if absent)}, and
        # reference.base_total the default total, both recorded before the words were added.
        added = 0
        for word, default_freq in dict(words).items():
            self._rust.add_word(word, reference.FREQ[word], None)
            added += reference.FREQ[word] - default_freq
        gap = reference.total - (reference.base_total + added)
        if gap > 0:
            self._rust.add_word(_TOTAL_SENTINEL, gap, None)

    def reference(self):
        """The pure-Python jieba.Tokenizer these tokens are identical to."""
        if self._reference is None:
            jieba.setLogLevel(logging.WARNING)
            self._reference = jieba.Tokenizer()
        return self._reference

    def lcut(self, text, HMM=True):  # noqa: N803 (jieba's spelling)
        if _RUST_HAN_ONLY_RE.search(text):
            return self.reference().lcut(text, HMM=HMM)
        return self._rust.cut(text, HMM)



def build_jieba_tokenizer():
    """``(tok, words)``: a pure-Python jieba.Tokenizer with the lexicon terms added (the
    reference the fast backend must match), and {term: its default-dictionary frequency}."""
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    # Longest first, so that a long term's frequency is computed before shorter terms it
    # contains get boosted.
    table = lexicon.lexicon_terms()
    terms = sorted(set(table.loc[table["in_segmenter"], "term"]), key=len, reverse=True)
    tok.base_total = tok.total
    words = {term: tok.FREQ.get(term, 0) for term in terms}
    for term in terms:
        tok.add_word(term, freq=tok.suggest_freq(term, tune=False))
    # A second pass: boosting short terms (嘎查) can make a longer one (嘎查村) lose again.
    for term in terms:
        tok.add_word(term, freq=tok.suggest_freq(term, tune=False))
    return tok, words


@lexicon.follows(*lexicon.segmenter_files())
def segmenter() -> FastSegmenter:
    """The segmenter behind segment(): jieba with every lexicon term added at a frequency
    high enough to keep it whole (jieba's suggest_freq: more likely than its best split),
    run by FastSegmenter (jieba-rs, identical tokens). Rebuilt when a lexicon file it reads
    changes."""
    return FastSegmenter(*build_jieba_tokenizer())


_PLAIN_SEGMENTER = None


def plain_segmenter() -> FastSegmenter:
    """jieba's default dictionary without the project's words (the loader's column-break
    check asks whether a *dictionary* word straddles a break)."""
    global _PLAIN_SEGMENTER
    if _PLAIN_SEGMENTER is None:
        _PLAIN_SEGMENTER = FastSegmenter()
    return _PLAIN_SEGMENTER


def segment(text):
    """Raw segmentation: text (str) in, list of jieba tokens out, whitespace and
    punctuation included, nothing filtered. ''.join(segment(t)) == t."""
    return segmenter().lcut(text, HMM=SEGMENT_HMM)


def _is_number(token):
    stripped = "".join(ch for ch in token if ch not in _NUMBER_CHARS)
    # str.isnumeric is also True for 一二三, 万 and circled ⑦: all pure numbers here.
    return stripped == "" or stripped.isnumeric()


_WORD_CHAR_RE = re.compile(r"\w")


def keep_token(token, stop=None, min_chars=MIN_TOKEN_CHARS):
    """True if a raw token counts as a word: not whitespace/punctuation, not a pure
    number, at least ``min_chars`` characters, not a stopword (``stop``: the stopword set,
    lexicon/stopwords.txt by default)."""
    token = token.strip()
    stop = lexicon.stopwords() if stop is None else stop
    return (
        len(token) >= min_chars
        and _WORD_CHAR_RE.search(token) is not None
        and not _is_number(token)
        and token not in stop
    )


class Tokenizer:
    """Content words of texts under the lexicon in force when it was made: the segmenter,
    the stopwords and a memo raw token -> kept word (one shared str object per word, which
    saves memory on a large corpus) or None. Get it with :func:`tokenizer`."""

    def __init__(self, seg, stop, min_chars=MIN_TOKEN_CHARS):
        self.seg, self.stop, self.min_chars, self.kept = seg, stop, min_chars, {}

    def __call__(self, text):
        kept, raw = self.kept, self.seg.lcut(text, HMM=SEGMENT_HMM)
        try:  # the memo knows almost every token: look them all up at C speed
            return list(filter(None, map(kept.__getitem__, raw)))
        except KeyError:
            for tok in set(raw).difference(kept):
                kept[tok] = tok.strip() if keep_token(tok, self.stop, self.min_chars) else None
            return list(filter(None, map(kept.__getitem__, raw)))


@lexicon.follows(lexicon.STOPWORDS, *lexicon.segmenter_files())
def tokenizer() -> Tokenizer:
    """The :class:`Tokenizer` of the lexicon files as they are now (rebuilt when one
    changes). A loop over many texts fetches it once."""
    return Tokenizer(segmenter(), lexicon.stopwords())


def tokenize(text):
    """Text (str) in, list of content words out: segment() minus punctuation,
    whitespace, pure numbers, single characters and stopwords."""
    return tokenizer()(text)
