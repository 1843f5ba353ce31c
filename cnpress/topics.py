"""Topics: term counts, TF-IDF keywords, keyness (G2, log ratio), KWIC, co-occurrence, and the
check that the segmenter keeps the lexicon's terms whole.

Everything here works on an item table with at least the columns page, item, text (one row
per article/commentary/brief/photo, as made by load_corpus) and reads its ``token_text``
column when it has one; kind and section are carried along where useful.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from itertools import chain

import numpy as np
import pandas as pd

from . import lexicon
from .lexicon import lexicon_terms
from .parallel import gc_paused, progress
from .segment import segment, tokenize

# Dunning's G2 is compared with a chi-squared distribution with 1 degree of freedom.
KEYNESS_SMOOTHING = 0.5  # Hardie's zero-frequency adjustment for log_ratio


def split_check(texts):
    """How often the segmenter splits lexicon terms in real text.

    In: an iterable of strings (e.g. df.text). Out: DataFrame, one row per lexicon term
    the segmenter knows (lexicon_terms().in_segmenter; columns term, source, occurrences, split, overlap, example). occurrences counts the
    term in the texts by plain string search. An occurrence with a token boundary inside
    it counts as `split` when token boundaries also fall on both its edges (the segmenter
    cut the word into pieces: a lexicon failure, expected 0) and as `overlap` when a
    token crosses one of its edges (a competing word won, often rightly: 包头市委 ->
    包头|市委 against the place 包头市). example shows the first split or overlapping
    occurrence as segmented, tokens joined by '|' ('' if none). Sorted by split, overlap,
    occurrences, descending.
    """
    lexicon.check_now()  # an edited lexicon file takes effect here
    terms = lexicon_terms().query("in_segmenter").drop(columns="in_segmenter")
    unique_terms = terms["term"].unique()
    occurrences = dict.fromkeys(unique_terms, 0)
    split = dict.fromkeys(unique_terms, 0)
    overlap = dict.fromkeys(unique_terms, 0)
    example = dict.fromkeys(unique_terms, "")
    for text in texts:
        if not isinstance(text, str) or not text:
            continue
        present = [t for t in unique_terms if t in text]
        if not present:
            continue
        tokens = segment(text)
        ends = np.cumsum([len(tok) for tok in tokens]).tolist()
        boundaries = set(ends) | {0}
        for term in present:
            for match in re.finditer(re.escape(term), text):
                occurrences[term] += 1
                if any(b in boundaries for b in range(match.start() + 1, match.end())):
                    clean_edges = match.start() in boundaries and match.end() in boundaries
                    (split if clean_edges else overlap)[term] += 1
                    if not example[term]:
                        first = np.searchsorted(ends, match.start(), side="right")
                        last = np.searchsorted(ends, match.end(), side="left")
                        example[term] = "|".join(tokens[max(0, first - 2):last + 3])
    return (
        terms.assign(
            occurrences=terms["term"].map(occurrences),
            split=terms["term"].map(split),
            overlap=terms["term"].map(overlap),
            example=terms["term"].map(example),
        )
        .sort_values(["split", "overlap", "occurrences"], ascending=False, kind="stable")
        .reset_index(drop=True)
    )


@gc_paused
def tokens(df):
    """Content words of each item of an item table: a Series of lists aligned with df.

    Split from the ``token_text`` column load_corpus made (:func:`tokenize` of ``text``,
    space-separated, cached with the page) when df has it, else :func:`tokenize` of each
    text. A table whose text was edited after loading should drop ``token_text`` first.
    """
    lexicon.check_now()  # an edited lexicon file takes effect here
    if "token_text" in df.columns:
        return pd.Series([t.split() for t in df["token_text"].fillna("")], index=df.index,
                         dtype=object)
    texts = df["text"].fillna("")
    return pd.Series([tokenize(t) for t in progress(texts, len(texts), "tokenizing", "item")],
                     index=df.index, dtype=object)


def _tokens_long(df):
    """One row per kept token: page, item, term."""
    return (
        df.assign(term=tokens(df))[["page", "item", "term"]]
        .explode("term")
        .dropna(subset=["term"])
    )


@gc_paused
def term_counts(df):
    """The document-term counts in long (sparse) form: one row per item and term it holds,
    columns page, item, term, count; items in df order, each item's terms in first-use
    order. The topic helpers work on this: a dense :func:`doc_term` of a year of pages
    (50,000 items x 50,000 terms) would need ~20 GB."""
    pages, items, terms, counts = [], [], [], []
    for page, item, words in zip(df["page"], df["item"], tokens(df)):
        c = Counter(words)
        pages += [page] * len(c)
        items += [item] * len(c)
        terms += c.keys()
        counts += c.values()
    return pd.DataFrame({"page": pd.Series(pages, dtype=df["page"].dtype),
                         "item": pd.Series(items, dtype=df["item"].dtype),
                         "term": pd.Series(terms, dtype="str"),
                         "count": np.array(counts, dtype="int64")})


def _term_totals(df):
    """Tokens per term over the items of df (a Series, term -> count)."""
    totals = Counter(chain.from_iterable(tokens(df)))  # one C-level count, not one per item
    return pd.Series(totals, dtype="int64")


def doc_term(df, min_count=1):
    """Document-term matrix, dense: for a few thousand items (see :func:`term_counts`).

    In: item table (page, item, text). Out: DataFrame of token counts, index (page, item)
    with one row per input item (items with no kept token are all zeros), one column per
    term whose corpus total is at least min_count, columns sorted by total count desc.
    """
    counts = (
        _tokens_long(df)
        .groupby(["page", "item", "term"])
        .size()
        .unstack("term", fill_value=0)
    )
    index = pd.MultiIndex.from_frame(df[["page", "item"]])
    counts = counts.reindex(index, fill_value=0)
    totals = counts.sum().sort_values(ascending=False, kind="stable")
    return counts[totals[totals >= min_count].index]


def tfidf_keywords(df, k=5):
    """Top-k keywords per item by TF-IDF against the items of df.

    tf = raw count of the term in the item / number of kept tokens in the item;
    idf = ln((1 + N) / (1 + df_t)) + 1 (smooth idf, as scikit-learn), N = number of items,
    df_t = number of items containing the term; score = tf * idf.
    In: item table. Out: DataFrame with columns page, item, rank (1..k), term, count,
    tfidf; ties broken by count then term. Items without tokens get no rows.
    """
    long = term_counts(df)
    n_items = len(df)
    n_docs = long.groupby("term", sort=False)["count"].transform("size")
    idf = np.log((1 + n_items) / (1 + n_docs)) + 1
    tf = long["count"] / long.groupby(["page", "item"], sort=False)["count"].transform("sum")
    long = (
        long.assign(tfidf=tf * idf)
        .sort_values(["page", "item", "tfidf", "count", "term"],
                     ascending=[True, True, False, False, True], kind="stable")
    )
    long["rank"] = long.groupby(["page", "item"]).cumcount() + 1
    return (
        long[long["rank"] <= k][["page", "item", "rank", "term", "count", "tfidf"]]
        .reset_index(drop=True)
    )


def log_likelihood(a, b, c, d):
    """Dunning's log-likelihood G2 for a term seen a times in a target corpus of c tokens
    and b times in a reference corpus of d tokens (Rayson & Garside 2000):
    E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d), G2 = 2(a ln(a/E1) + b ln(b/E2)), 0 ln 0 = 0.
    Scalars or numpy arrays in, same shape out."""
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2 * (t1 + t2)


def chi2_sf_1df(x):
    """Survival function of chi-squared with 1 df: P(X >= x) = erfc(sqrt(x / 2))."""
    return np.vectorize(lambda v: math.erfc(math.sqrt(max(v, 0.0) / 2)))(np.asarray(x, float))


def keyness(df, mask, min_count=3):
    """Keywords of a group of items against the rest.

    In: item table, boolean mask aligned with df (True = target group), min_count = the
    least total frequency (target + reference) for a term to be scored.
    Out: DataFrame with columns term, freq_target, freq_ref (raw token counts), G2
    (log_likelihood), log_ratio (Hardie: log2 of the ratio of relative frequencies with
    KEYNESS_SMOOTHING added to both counts), direction ('+' more frequent in the target,
    '-' less), p (chi-squared 1 df), sorted by G2 descending.
    """
    mask = pd.Series(mask, index=df.index).astype(bool)
    target, ref = _term_totals(df[mask]), _term_totals(df[~mask])
    table = pd.DataFrame({"freq_target": target, "freq_ref": ref}).fillna(0).astype(int)
    c, d = target.sum(), ref.sum()
    table = table[table.sum(axis=1) >= min_count]
    a, b = table["freq_target"], table["freq_ref"]
    s = KEYNESS_SMOOTHING
    out = table.assign(
        G2=log_likelihood(a, b, c, d),
        log_ratio=np.log2(((a + s) / c) / ((b + s) / d)),
        direction=np.where(a / c >= b / d, "+", "-"),
    )
    out["p"] = chi2_sf_1df(out["G2"])
    return (
        out.rename_axis("term")
        .reset_index()
        .sort_values(["G2", "term"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )


def kwic(df, term, window=20):
    """Keyword in context by plain string search in df.text (countable with grep).

    In: item table, a term (str), window = characters of context on each side.
    Out: DataFrame with columns page, item, start (offset in the item text), left, term,
    right; one row per non-overlapping occurrence, in corpus order.
    """
    rows = [
        {
            "page": row.page,
            "item": row.item,
            "start": m.start(),
            "left": row.text[max(0, m.start() - window):m.start()],
            "term": term,
            "right": row.text[m.end():m.end() + window],
        }
        for row in df.itertuples(index=False)
        if isinstance(row.text, str)
        for m in re.finditer(re.escape(term), row.text)
    ]
    return pd.DataFrame(rows, columns=["page", "item", "start", "left", "term", "right"])


def top_terms(df, n=30):
    """Most frequent tokens. In: item table. Out: DataFrame with columns term, count
    (tokens), n_items (items containing it), top n by count (ties by n_items, term)."""
    return _top_terms(term_counts(df), n)


def _top_terms(long, n):
    """top_terms from term_counts' table."""
    per_term = long.groupby("term", sort=False)["count"]
    return (
        pd.DataFrame({"count": per_term.sum(), "n_items": per_term.size()})
        .rename_axis("term")
        .reset_index()
        .sort_values(["count", "n_items", "term"], ascending=[False, False, True], kind="stable")
        .head(n)
        .reset_index(drop=True)
    )


def cooccurrence(df, terms=None, top=20):
    """Item-level co-occurrence. In: item table, a list of terms (default: the `top` most
    frequent tokens). Out: square DataFrame term x term; cell = number of items in which
    both terms occur as tokens; the diagonal = items containing the term."""
    long = term_counts(df)
    terms = list(_top_terms(long, top)["term"] if terms is None else terms)
    long = long[long["term"].isin(terms)]
    present = (pd.crosstab([long["page"], long["item"]], long["term"]) > 0).astype(int)
    present = present.reindex(columns=terms, fill_value=0)
    out = present.T @ present
    out.index.name = out.columns.name = "term"
    return out


def wordcloud_frequencies(df, n=100):
    """Token counts for a word cloud: {term: count} of the n most frequent tokens.
    Pass to WordCloud.generate_from_frequencies (never WordCloud.generate on raw text,
    whose collocations would count bigrams on top of their words)."""
    top = top_terms(df, n=n)
    return dict(zip(top["term"], top["count"].astype(int)))

