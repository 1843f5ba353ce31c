"""Trends: how formulations and coverage rise, spread and fade over time.

Works on an item table with the columns page, item, date, title, text (and source when the
table holds several papers): one row per item, ``date`` a datetime (NaT when unknown). Items
without a date cannot be put in a period; the functions that need periods leave them out with
a warning that says how many, and a table where no item has a date gets an error that says how
to add dates (:data:`DATES_HOWTO`).

How a term is counted (:func:`term_items`): in the item's title and text, joined by a line
break (no match runs from one into the other), with the quote marks “”‘’ removed from both
the text and the forms looked for, so “五化”协同 counts for 五化协同. A form holding a list
separator (不忘初心、牢记使命) is also looked for with the other separators the press prints
(，, space, none). All terms and their variants are found in ONE Aho-Corasick pass per text;
a term's ``count`` is the number of its non-overlapping uses (as ``str.count`` would count
one form), its variants together.
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .quotes import without_quotes
from .topics import KEYNESS_SMOOTHING, chi2_sf_1df, keyness, log_likelihood

DEFAULT_FREQ = "M"
# pandas' offset aliases for period ends and the old annual alias, read as period codes.
_FREQ_ALIASES = {"ME": "M", "QE": "Q", "YE": "Y", "A": "Y", "AS": "Y", "YS": "Y", "MS": "M"}

# The temperature bands: share of a period's items that use the term (lower bound, band).
# CMP's discourse scale puts People's Daily terms in six tiers (沸 烫 热 暖 温 冷) by their
# per-article frequency; its cut-offs are not published with its reports, so these are ours,
# on the same idea. Word use is roughly log-distributed, so each band starts about two to
# three times above the one below it. Read for a daily of ~350 items a month (新闻联播):
#   cold      below 0.2%: less than one item in 500, a month goes by with one use or none;
#   tepid     0.2% to 0.5%: an item every week or two;
#   warm      0.5% to 1%: one to three items a week;
#   hot       1% to 3%: several items a week, a standing formulation (两个维护 runs ~3%);
#   scalding  3% to 10%: about daily, the campaign words of the moment;
#   boiling   10% and more: one item in ten or more (习近平, 高质量发展).
# "absent" is a share of 0. Pass other bands to temperature() to use other cut-offs.
TEMPERATURE_BANDS = (
    (0.0, "cold"), (0.002, "tepid"), (0.005, "warm"), (0.01, "hot"), (0.03, "scalding"),
    (0.10, "boiling"),
)
ABSENT = "absent"
# A period with fewer items than this gets no temperature: one use in ten items would read
# as "boiling" and says nothing. 30 items is about a week of a daily's party-building pages.
MIN_ITEMS_PERIOD = 30
# Words scored by period_keyness: at least this many uses in the two periods together.
KEYNESS_MIN_COUNT = 5

LIST_SEPARATORS = "、，, "
# The separators a list formulation is also looked for with ("" = printed without one).
SEPARATOR_VARIANTS = ("、", "，", " ", "")

DATES_HOWTO = """\
The items carry no dates, so nothing here can be put on a time line. Two ways to add them
(`helpers.load_corpus` reads both; the corpus folder itself is only read):

1. **Dated file names**: name each page file after its day, then the page number:
   `2024-06-01_04.txt` or `20240601-04.txt`.
2. **A sidecar `pages.csv`** in the corpus folder, one line per page file, with the columns
   `file,date,source,page_no,page_name` (date as `YYYY-MM-DD`; the other columns may be empty).

A records file (`.jsonl`, `.jsonl.gz`, `.json`, `.csv`, `.parquet`) gives each record's date
from its `date` (or `pubdate`, 日期) field.
"""


# ---- dates and periods ----------------------------------------------------------------------

def has_dates(df) -> bool:
    """True if the item table has a ``date`` column and at least one item has a date."""
    return "date" in df.columns and bool(pd.to_datetime(df["date"], errors="coerce").notna().any())


def _freq(freq):
    """A period code pandas' to_period accepts ('M', 'Q', 'Y', 'W', 'D')."""
    freq = str(freq)
    return _FREQ_ALIASES.get(freq.upper(), freq)


def periods(df, freq=DEFAULT_FREQ, warn=True):
    """The period of each item (a Series of pandas Periods aligned with df, NaT for items
    without a date). Raises ValueError with :data:`DATES_HOWTO` when no item has a date;
    warns how many items have none (they are left out of every count by period)."""
    if not has_dates(df):
        raise ValueError("The item table has no dates. " + DATES_HOWTO)
    dates = pd.to_datetime(df["date"], errors="coerce")
    missing = int(dates.isna().sum())
    if missing and warn:
        warnings.warn(f"{missing} of {len(df)} items have no date and are left out of the "
                      "counts by period", stacklevel=3)
    return dates.dt.to_period(_freq(freq))


def _period_grid(per):
    """Every period from the first to the last one of `per` (empty ones included, so that a
    month without items shows as a gap, not as a jump)."""
    known = per.dropna()
    return pd.period_range(known.min(), known.max(), freq=known.iloc[0].freq)


def _periods_arg(value, freq):
    """A period given as a label ('2024', '2024-03') or a Period, as a Period of freq."""
    return value if isinstance(value, pd.Period) else pd.Period(str(value), freq=_freq(freq))


# ---- terms and their variants ----------------------------------------------------------------

def term_forms(terms) -> dict:
    """Terms as {term: [forms to look for]}, the term's own form first.

    ``terms``: a string; a list of strings; a dict term -> list of variants; or a DataFrame
    with a ``slogan`` (or ``term``) column and optionally ``variants`` (lists of printed
    surfaces, as :func:`cnpress.slogans.mine_slogans` makes them, or '|'-separated strings,
    as in lexicon/slogans.csv). Quote marks are removed
    from every form (uses are matched without them) and a form with a list separator gets
    the other separators too (see module docstring). Empty forms are dropped.
    """
    if isinstance(terms, str):
        pairs = [(terms, [])]
    elif isinstance(terms, pd.DataFrame):
        col = "slogan" if "slogan" in terms.columns else "term"
        if col not in terms.columns:
            raise ValueError(f"a table of terms needs a 'slogan' or 'term' column; it has "
                             f"{list(terms.columns)}")
        variants = terms["variants"] if "variants" in terms.columns else [[]] * len(terms)
        pairs = [(t, _variant_list(v)) for t, v in zip(terms[col], variants)]
    elif isinstance(terms, Mapping):
        pairs = [(t, [v] if isinstance(v, str) else list(v)) for t, v in terms.items()]
    else:
        pairs = [(t, []) for t in terms]
    out = {}
    for term, variants in pairs:
        forms = out.setdefault(str(term), [])
        for form in [term, *variants]:
            for f in _separator_variants(without_quotes(str(form)).strip()):
                if f and f not in forms:
                    forms.append(f)
    return {t: f for t, f in out.items() if f}


def _variant_list(cell):
    """A table's variants cell as a list: a list as it is (mine_slogans), a string split at
    '|' (lexicon/slogans.csv), nothing for an empty cell."""
    if isinstance(cell, (list, tuple, np.ndarray)):
        return list(cell)
    return [v for v in str(cell).split("|") if v.strip()] if isinstance(cell, str) else []


def _separator_variants(form):
    """form, and for a list formulation the same with each separator the press prints."""
    if not any(ch in LIST_SEPARATORS for ch in form):
        return [form]
    pieces = [p for p in re.split(f"[{re.escape(LIST_SEPARATORS)}]+", form) if p]
    return [form] + [sep.join(pieces) for sep in SEPARATOR_VARIANTS]


class _TermMatcher:
    """One Aho-Corasick automaton over every form of every term (ahocorasick_rs)."""

    def __init__(self, forms):
        import ahocorasick_rs

        self.terms = list(forms)
        patterns = sorted({f for fs in forms.values() for f in fs})
        index = {p: k for k, p in enumerate(patterns)}
        self.owners = [[] for _ in patterns]  # pattern -> the terms it is a form of
        for t, fs in enumerate(forms.values()):
            for f in fs:
                self.owners[index[f]].append(t)
        self.automaton = ahocorasick_rs.AhoCorasick(patterns) if patterns else None

    def counts(self, text):
        """{term index: non-overlapping uses} in text (quote marks already removed)."""
        if self.automaton is None:
            return {}
        spans = {}
        for k, start, end in self.automaton.find_matches_as_indexes(text, overlapping=True):
            for t in self.owners[k]:
                spans.setdefault(t, []).append((start, end))
        out = {}
        for t, found in spans.items():
            if len(found) == 1:
                out[t] = 1
                continue
            n, reach = 0, -1  # leftmost first, the longer form at a tie; skip overlaps
            for start, end in sorted(found, key=lambda se: (se[0], -se[1])):
                if start >= reach:
                    n, reach = n + 1, end
            out[t] = n
        return out


def _item_texts(df):
    """Title and text of each item, joined by a line break, without quote marks."""
    title = df["title"].fillna("").astype(str) if "title" in df.columns else pd.Series(
        "", index=df.index)
    text = df["text"].fillna("").astype(str)
    return [without_quotes(f"{a}\n{b}") for a, b in zip(title, text)]


def term_items(df, terms):
    """One row per (item, term) the item uses: page, item, date, source (when df has them),
    term, count (non-overlapping uses of the term's forms in title and text), row (the
    item's position in df). Terms in the order given, items in df order. See
    :func:`term_forms` for what ``terms`` may be, the module docstring for how uses count."""
    forms = term_forms(terms)
    matcher = _TermMatcher(forms)
    rows, term_idx, counts = [], [], []
    for i, text in enumerate(_item_texts(df)):
        for t, n in matcher.counts(text).items():
            rows.append(i)
            term_idx.append(t)
            counts.append(n)
    order = np.lexsort((np.array(term_idx, dtype=int), np.array(rows, dtype=int)))
    rows, term_idx = np.array(rows, dtype=int)[order], np.array(term_idx, dtype=int)[order]
    keep = [c for c in ("page", "item", "date", "source") if c in df.columns]
    out = df.iloc[rows][keep].reset_index(drop=True)
    out["term"] = pd.Series(np.array(matcher.terms, dtype=object)[term_idx], dtype="str")
    out["count"] = np.array(counts, dtype="int64")[order]
    out["row"] = rows
    return out


# ---- trends --------------------------------------------------------------------------------

def term_trend(df, terms, freq=DEFAULT_FREQ, by=None):
    """How often each term is used in each period.

    In: item table (page, item, date, title, text), terms (see :func:`term_forms`), freq =
    'D', 'W', 'M', 'Q' or 'Y', by = a column to split each period by (e.g. 'source').
    Out: one row per (period, [by,] term), every period from the first dated item to the last
    (empty periods included): period (pandas Period), term, count (uses in title and text),
    n_items (items using it), share (n_items / items_in_period; NaN for an empty period),
    items_in_period (all items of that period, so thin periods are visible). Items without a
    date are left out (with a warning).
    """
    per = periods(df, freq)
    keys = ["period"] + ([by] if by else [])
    base = pd.DataFrame({"period": per.to_numpy()})
    if by:
        base[by] = df[by].astype(str).to_numpy()
    hits = term_items(df, terms)
    hits = base.iloc[hits["row"].to_numpy()].reset_index(drop=True).assign(
        term=hits["term"], count=hits["count"]).dropna(subset=["period"])
    sizes = base.dropna(subset=["period"]).groupby(keys).size().rename("items_in_period")
    levels = [_period_grid(per)] + ([sorted(base[by].unique())] if by else [])
    grid = pd.MultiIndex.from_product(levels + [list(term_forms(terms))],
                                      names=keys + ["term"])
    out = (hits.groupby(keys + ["term"]).agg(count=("count", "sum"), n_items=("count", "size"))
           .reindex(grid, fill_value=0).reset_index())
    out = out.merge(sizes.reset_index(), on=keys, how="left").fillna({"items_in_period": 0})
    out = out.astype({"count": "int64", "n_items": "int64", "items_in_period": "int64"})
    out["share"] = out["n_items"] / out["items_in_period"].where(out["items_in_period"] > 0)
    return out[keys + ["term", "count", "n_items", "share", "items_in_period"]]


def first_use(df, terms, by="source"):
    """When each term was first and last used.

    Out: one row per term (in the order given): term, first_date, first_page, first_item,
    last_date, n_items. "First" is by date, then by position in df (items without a date
    come after the dated ones, in table order); a term never used has n_items 0 and empty
    dates. When df's ``by`` column ('source') holds more than one value: one row per
    (term, source) with the columns term, source, ..., plus lag_days (days after the source
    that used it first; 0 for that one, empty where the source never uses it) and
    first_source. ``by=None``: one row per term over all sources.
    """
    terms_list = list(term_forms(terms))
    hits = term_items(df, terms)
    dates = pd.to_datetime(df["date"], errors="coerce") if "date" in df.columns else \
        pd.Series(pd.NaT, index=df.index)
    hits["date"] = dates.to_numpy()[hits["row"].to_numpy()]
    hits = hits.sort_values(["date", "row"], na_position="last", kind="stable")
    several = by is not None and by in df.columns and df[by].nunique(dropna=True) > 1
    keys = ["term", by] if several else ["term"]
    if several:
        hits[by] = df[by].astype(str).to_numpy()[hits["row"].to_numpy()]
        sources = list(dict.fromkeys(df[by].dropna().astype(str)))
        grid = pd.MultiIndex.from_product([terms_list, sources], names=keys)
    else:
        grid = pd.Index(terms_list, name="term")
    agg = hits.groupby(keys, sort=False).agg(
        first_date=("date", "first"), first_page=("page", "first"),
        first_item=("item", "first"), last_date=("date", "max"), n_items=("row", "size"))
    out = agg.reindex(grid).reset_index()
    out["n_items"] = out["n_items"].fillna(0).astype("int64")
    if pd.api.types.is_integer_dtype(df["item"]):  # NaN of unused terms made it float
        out["first_item"] = out["first_item"].astype("Int64")
    out["first_date"] = pd.to_datetime(out["first_date"])
    out["last_date"] = pd.to_datetime(out["last_date"])
    if several:
        earliest = out.groupby("term")["first_date"].transform("min")
        out["lag_days"] = (out["first_date"] - earliest).dt.days.astype("Int64")
        first_src = (out.dropna(subset=["first_date"]).sort_values("first_date", kind="stable")
                     .groupby("term")[by].first())
        out["first_source"] = out["term"].map(first_src)
    return out


def temperature(trend, bands=TEMPERATURE_BANDS, min_items=MIN_ITEMS_PERIOD):
    """A term_trend table with a ``temperature`` column: the band its share falls in.

    ``bands``: (lower bound of the share, name) pairs, lowest first (default
    :data:`TEMPERATURE_BANDS`, six bands after CMP's tiers, justified there); a share of 0
    is :data:`ABSENT`. A period with fewer than ``min_items`` items gets no temperature
    (NaN): the share of a thin period is noise. The column is an ordered categorical
    (absent < the bands in order), so tables sort and charts colour by it.
    """
    bounds = [b for b, _ in bands]
    if bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
        raise ValueError(f"temperature bands must rise strictly: {bands}")
    names = [ABSENT] + [name for _, name in bands]
    share = trend["share"].to_numpy(dtype=float)
    idx = np.searchsorted(np.array(bounds, dtype=float), share, side="right")  # 1 = band 0
    labels = np.where(share > 0, np.array(names, dtype=object)[np.clip(idx, 0, len(bounds))],
                      ABSENT)
    labels = np.where((trend["items_in_period"].to_numpy() < min_items) | np.isnan(share),
                      None, labels)
    return trend.assign(temperature=pd.Categorical(labels, categories=names, ordered=True))


def period_keyness(df, before, after, freq="Y", terms=None, min_count=KEYNESS_MIN_COUNT):
    """What rose and what fell from one period to another: G2 with its effect size.

    ``before``, ``after``: period labels ('2023', '2024-03') or Periods of ``freq``.
    Without ``terms``: the words (tokens, the ``token_text`` column when df has it) of the
    items of ``after`` against those of ``before``, by :func:`cnpress.topics.keyness`
    (counts are token uses). With ``terms``: those terms, counted as ITEMS using them (a
    term repeated in one long speech counts once) against the items of each period.
    Out: term, freq_before, freq_after, G2 (Dunning's log-likelihood), log_ratio (log2 of
    the ratio of relative frequencies, after over before, with KEYNESS_SMOOTHING),
    direction ('rose' or 'fell'), p (chi-squared, 1 df); terms used fewer than
    ``min_count`` times in the two periods together are left out. Sorted by G2.
    """
    per = periods(df, freq, warn=False)
    b, a = _periods_arg(before, freq), _periods_arg(after, freq)
    in_b, in_a = (per == b).to_numpy(), (per == a).to_numpy()
    for label, mask in ((before, in_b), (after, in_a)):
        if not mask.any():
            raise ValueError(f"no dated item falls in the period {label!r} (freq={freq!r})")
    if terms is None:
        sub = df[in_a | in_b]
        out = keyness(sub, in_a[in_a | in_b], min_count=min_count).rename(
            columns={"freq_target": "freq_after", "freq_ref": "freq_before"})
        out["direction"] = out["direction"].map({"+": "rose", "-": "fell"})
        return out[["term", "freq_before", "freq_after", "G2", "log_ratio", "direction", "p"]]
    hits = term_items(df, terms)
    row_b, row_a = in_b[hits["row"].to_numpy()], in_a[hits["row"].to_numpy()]
    terms_list = list(term_forms(terms))
    fb = hits[row_b].groupby("term").size().reindex(terms_list, fill_value=0)
    fa = hits[row_a].groupby("term").size().reindex(terms_list, fill_value=0)
    c, d = int(in_a.sum()), int(in_b.sum())
    s = KEYNESS_SMOOTHING
    out = pd.DataFrame({"term": terms_list, "freq_before": fb.to_numpy(),
                        "freq_after": fa.to_numpy()})
    out = out[out["freq_before"] + out["freq_after"] >= min_count].copy()
    out["G2"] = log_likelihood(out["freq_after"], out["freq_before"], c, d)
    out["log_ratio"] = np.log2(((out["freq_after"] + s) / c) / ((out["freq_before"] + s) / d))
    out["direction"] = np.where(out["freq_after"] / c >= out["freq_before"] / d, "rose", "fell")
    out["p"] = chi2_sf_1df(out["G2"]) if len(out) else []
    return out.sort_values(["G2", "term"], ascending=[False, True], kind="stable").reset_index(
        drop=True)


def place_trend(df, mentions, freq=DEFAULT_FREQ, level="prefecture"):
    """Coverage of each place over time: items naming it per period.

    In: item table (page, item, date), ``mentions`` = :func:`cnpress.places.place_mentions`
    of it (page, item and the ``level`` column: 'prefecture' or 'county'). Out: one row per
    (period, place), every period and every place named at least once: period, place
    (``level`` column name), n_items (items naming it), share (of the period's items),
    items_in_period.
    """
    per = periods(df, freq)
    keyed = pd.DataFrame({"page": df["page"].to_numpy(), "item": df["item"].to_numpy(),
                          "period": per.to_numpy()}).dropna(subset=["period"])
    sizes = keyed.groupby("period").size()
    named = (mentions.dropna(subset=[level])[["page", "item", level]].drop_duplicates()
             .merge(keyed, on=["page", "item"]))
    places = sorted(named[level].unique())
    grid = pd.MultiIndex.from_product([_period_grid(per), places], names=["period", level])
    out = named.groupby(["period", level]).size().rename("n_items").reindex(
        grid, fill_value=0).reset_index()
    out["items_in_period"] = sizes.reindex(out["period"], fill_value=0).to_numpy()
    out["share"] = out["n_items"] / out["items_in_period"].where(out["items_in_period"] > 0)
    return out[["period", level, "n_items", "share", "items_in_period"]]


# ---- several corpora -------------------------------------------------------------------------

def combine_corpora(tables):
    """Several item tables as one, with ``source`` telling them apart.

    ``tables``: a dict {source name: item table} (the name becomes every item's ``source``,
    replacing what the table had), or a list of item tables that each carry a non-empty
    ``source`` column (as load_corpus gives records and dated pages). Columns are the union
    (a table without ``date`` gets NaT); the derived columns (token_text, place_hits,
    quote_facts) are kept only when every table has them, else dropped so that the analyses
    compute them again for all. Page ids that two sources share are prefixed with
    'source/' (with a warning), so (page, item) names one item. Rows: the tables in order.
    """
    if isinstance(tables, Mapping):
        named = [(str(name), t.assign(source=str(name))) for name, t in tables.items()]
    else:
        named = []
        for k, t in enumerate(tables):
            if "source" not in t.columns or t["source"].fillna("").astype(str).eq("").any():
                raise ValueError(f"table {k} has items without a source: pass a dict "
                                 "{source name: table} instead")
            named.append((None, t))
    if not named:
        raise ValueError("combine_corpora needs at least one item table")
    derived = ["token_text", "place_hits", "quote_facts"]
    drop = [c for c in derived if not all(c in t.columns for _, t in named)]
    frames = []
    for _, t in named:
        t = t.drop(columns=[c for c in drop if c in t.columns])
        if "date" not in t.columns:
            t = t.assign(date=pd.NaT)
        frames.append(t.assign(date=pd.to_datetime(t["date"], errors="coerce"),
                               page=t["page"].astype(str)))
    out = pd.concat(frames, ignore_index=True)
    owners = out.groupby("page")["source"].nunique()
    shared = set(owners[owners > 1].index)
    if shared:
        warnings.warn(f"{len(shared)} page ids are used by more than one source; they are "
                      "prefixed with 'source/'", stacklevel=2)
        hit = out["page"].isin(shared)
        out.loc[hit, "page"] = out.loc[hit, "source"].astype(str) + "/" + out.loc[hit, "page"]
    return out
