"""Tokenizing and topic-frequency helpers (to be merged into helpers.py).

Everything here works on an item table with at least the columns page, item, text
(one row per article/commentary/brief/photo, as made by load_corpus); kind and section
are carried along where useful.

Segmentation: jieba 0.42.1 with a private Tokenizer that knows the project's lexicon
(lexicon/userdict.txt + the `surface` column of lexicon/places.csv + the `slogan` column
of lexicon/slogans.csv). `segment` is the one place that calls the segmenter, so the
backend can be swapped (e.g. rjieba, which has the same add_word/suggest_freq calls).
"""

import logging
import math
import re
from pathlib import Path

import jieba
import numpy as np
import pandas as pd

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
USERDICT_PATH = LEXICON_DIR / "userdict.txt"
STOPWORDS_PATH = LEXICON_DIR / "stopwords.txt"
# (file, column) pairs whose entries are added to the segmenter's dictionary. The two CSVs
# are written by teammates; a missing file is skipped.
LEXICON_CSV_COLUMNS = [
    (LEXICON_DIR / "places.csv", "surface"),
    (LEXICON_DIR / "slogans.csv", "slogan"),
]
# jieba's HMM guesses words it does not know (personal names such as 齐晓景). It is
# jieba's default and rjieba's default too, so both backends agree.
SEGMENT_HMM = True
# Single-character tokens are dropped: in this press they are almost all function words
# or grammatical particles (的, 了, 在, 和, 是, 将) or fragments of a split word; the
# content-bearing ones (党, 村, 旗) occur mostly inside longer words the lexicon keeps whole.
MIN_TOKEN_CHARS = 2
# Dunning's G2 is compared with a chi-squared distribution with 1 degree of freedom.
KEYNESS_SMOOTHING = 0.5  # Hardie's zero-frequency adjustment for log_ratio

_TOKENIZER = None
_STOPWORDS = None
_NUMBER_CHARS = ".．,，%％+-/:："


def _read_list(path):
    """Return the non-comment, non-blank lines of a one-entry-per-line file (first field)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ln.split()[0] for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def lexicon_terms():
    """All user-dictionary entries with where they come from.

    Out: DataFrame with columns term, source (file name: userdict.txt, places.csv,
    slogans.csv), in_segmenter (False for phrases with punctuation or spaces, which the
    segmenter cannot keep whole). A term listed in two files appears twice. Rows of a CSV
    with a `use` column are taken only where use is yes. Missing CSVs are skipped;
    a CSV without the expected column raises an error naming the file.
    """
    frames = [pd.DataFrame({"term": _read_list(USERDICT_PATH), "source": USERDICT_PATH.name})]
    for path, column in LEXICON_CSV_COLUMNS:
        if not path.exists():
            continue
        table = pd.read_csv(path, dtype=str, comment="#")
        if column not in table.columns:
            raise ValueError(f"{path} has no column {column!r} (columns: {list(table.columns)})")
        if "use" in table.columns:
            # places.csv marks surface forms too ambiguous to match blindly (新城, 合作)
            # with use=no; boosting those in the segmenter would hurt ordinary words.
            table = table[table["use"].str.strip().str.lower().isin(["yes", "y", "true", "1"])]
        terms = table[column].dropna().str.strip()
        frames.append(pd.DataFrame({"term": terms[terms != ""], "source": path.name}))
    terms = pd.concat(frames, ignore_index=True).drop_duplicates().reset_index(drop=True)
    # jieba cuts text into blocks at punctuation and spaces before it looks words up, so
    # a phrase such as 不忘初心、牢记使命 can never be one token: it stays in the table
    # (for string matching) but is not given to the segmenter.
    return terms.assign(in_segmenter=terms["term"].str.fullmatch(r"\w+").fillna(False))


def _build_tokenizer():
    """A private jieba.Tokenizer with every lexicon term added at a frequency high enough
    to keep it whole (jieba's suggest_freq: more likely than its best split)."""
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    # Longest first, so that a long term's frequency is computed before shorter terms it
    # contains get boosted.
    table = lexicon_terms()
    terms = sorted(set(table.loc[table["in_segmenter"], "term"]), key=len, reverse=True)
    for term in terms:
        tok.add_word(term, freq=tok.suggest_freq(term, tune=False))
    # A second pass: boosting short terms (嘎查) can make a longer one (嘎查村) lose again.
    for term in terms:
        tok.add_word(term, freq=tok.suggest_freq(term, tune=False))
    return tok


def _tokenizer():
    """The module's private tokenizer, built on first use."""
    global _TOKENIZER
    if _TOKENIZER is None:
        _TOKENIZER = _build_tokenizer()
    return _TOKENIZER


def stopwords():
    """The set of stopwords from lexicon/stopwords.txt (read once)."""
    global _STOPWORDS
    if _STOPWORDS is None:
        _STOPWORDS = frozenset(_read_list(STOPWORDS_PATH))
    return _STOPWORDS


def segment(text):
    """Raw segmentation: text (str) in, list of jieba tokens out, whitespace and
    punctuation included, nothing filtered. ''.join(segment(t)) == t."""
    return _tokenizer().lcut(text, HMM=SEGMENT_HMM)


def _is_number(token):
    stripped = "".join(ch for ch in token if ch not in _NUMBER_CHARS)
    # str.isnumeric is also True for 一二三, 万 and circled ⑦: all pure numbers here.
    return stripped == "" or stripped.isnumeric()


def keep_token(token):
    """True if a raw token counts as a word: not whitespace/punctuation, not a pure
    number, at least MIN_TOKEN_CHARS characters, not a stopword."""
    token = token.strip()
    return (
        len(token) >= MIN_TOKEN_CHARS
        and re.search(r"\w", token) is not None
        and not _is_number(token)
        and token not in stopwords()
    )


def tokenize(text):
    """Text (str) in, list of content words out: segment() minus punctuation,
    whitespace, pure numbers, single characters and stopwords."""
    return [tok.strip() for tok in segment(text) if keep_token(tok)]


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


def _tokens_long(df):
    """One row per kept token: page, item, term."""
    return (
        df.assign(term=df["text"].fillna("").map(tokenize))[["page", "item", "term"]]
        .explode("term")
        .dropna(subset=["term"])
    )


def doc_term(df, min_count=1):
    """Document-term matrix.

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
    counts = doc_term(df)
    n_items = len(counts)
    idf = np.log((1 + n_items) / (1 + (counts > 0).sum())) + 1
    tf = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0)
    scores = (tf * idf).stack()
    raw = counts.stack()
    long = (
        pd.DataFrame({"tfidf": scores, "count": raw})
        .query("count > 0")
        .reset_index()
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
    target = _tokens_long(df[mask])["term"].value_counts()
    ref = _tokens_long(df[~mask])["term"].value_counts()
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
    counts = doc_term(df)
    return (
        pd.DataFrame({"count": counts.sum(), "n_items": (counts > 0).sum()})
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
    counts = doc_term(df)
    if terms is None:
        terms = top_terms(df, n=top)["term"].tolist()
    present = (counts.reindex(columns=list(terms), fill_value=0) > 0).astype(int)
    return present.T @ present


def wordcloud_frequencies(df, n=100):
    """Token counts for a word cloud: {term: count} of the n most frequent tokens.
    Pass to WordCloud.generate_from_frequencies (never WordCloud.generate on raw text,
    whose collocations would count bigrams on top of their words)."""
    top = top_terms(df, n=n)
    return dict(zip(top["term"], top["count"].astype(int)))
