"""The notebooks' one import: the front door of the ``cnpress`` package beside this file.

Which module answers which question (all under ``cnpress/``):

| question                                         | module        | main names                       |
|--------------------------------------------------|---------------|----------------------------------|
| where are the corpus, the lexicon, the cache?    | config        | CORPUS_DIR, LEXICON_DIR          |
| which word lists are in force (reloaded on edit)?| lexicon       | stopwords, lexicon_terms, load_* |
| which files are pages, how is a page decoded?    | reading       | list_pages, read_page            |
| what do bylines, credits, section names look like?| patterns     | parse_credit, section_series     |
| how do lines become paragraphs (column breaks)?  | paragraphs    | should_join                      |
| how does a page become items?                    | structure     | parse_page                       |
| how is a text cleaned?                           | cleaning      | clean_text                       |
| how is the item table made (and cached)?         | items, cache  | load_corpus, load_pages          |
| how is work spread over processes?               | parallel      | load_workers, progress           |
| how is text cut into words?                      | segment       | segment, tokenize                |
| what do the pages talk about?                    | topics        | top_terms, keyness, kwic, …      |
| which places are named?                          | places        | find_places, place_mentions      |
| how are places mapped?                           | maps          | plot_choropleth                  |
| what is quoted, and is it a formulation?         | quotes        | quoted_spans, quote_verdict      |
| which slogans recur?                             | slogans       | slogan_occurrences, mine_slogans |
| how do terms and coverage change over time?      | trends        | term_trend, first_use, temperature|
| how do charts draw Chinese?                      | style         | set_style                        |
| how do notebooks show prose, charts and tables?  | report        | md, export_chart, filterable_table|
| how is corpus text kept out of the markup?       | htmlsafe      | esc, esc_html, render_markdown   |

Everything below is a re-export: to change behaviour, edit (or in a test, patch) the owning
module, not this file.
"""
from cnpress.cache import cache_version, clear_cache
from cnpress.cleaning import clean_text, to_simplified
from cnpress.config import CORPUS_DIR, LEXICON_DIR, ROOT, CorpusError
from cnpress.htmlsafe import esc, esc_html
from cnpress.items import (
    DERIVED_COLUMNS, ITEM_COLUMNS, LOAD_STATS, load_corpus, load_pages, parse_file,
)
from cnpress.lexicon import (
    known_sections, lexicon_terms, load_places, load_population, load_slogan_lexicon, stopwords,
)
from cnpress.maps import (
    BOUNDARY_SOURCE, INSET_PREFECTURES, load_boundaries, plot_choropleth, short_name,
)
from cnpress.paragraphs import Para, should_join, word_spans_boundary
from cnpress.parallel import load_workers, progress
from cnpress.patterns import ends_sentence, parse_credit, section_series
from cnpress.places import find_places, place_hits, place_mentions
from cnpress.townships import load_townships
from cnpress.quotes import is_idiom, is_scare_quote, numbered_spans, quote_verdict, quoted_spans
from cnpress.reading import ENCODINGS, list_pages, page_names, read_page, skipped_files
from cnpress.report import (
    corpus_label, export_chart, figure_dir, filterable_table, md, n_label, page_labels,
)
from cnpress.segment import FastSegmenter, keep_token, segment, tokenize
from cnpress.slogans import (
    MIN_ITEMS_RECURRING, is_marked_use, mine_slogans, missing_from_segmenter, slogan_occurrences,
)
from cnpress.structure import Item, parse_page
from cnpress.style import cjk_font_path, set_style
from cnpress.topics import (
    chi2_sf_1df, cooccurrence, doc_term, keyness, kwic, log_likelihood, split_check, term_counts,
    tfidf_keywords, tokens, top_terms, wordcloud_frequencies,
)
from cnpress.trends import (
    DATES_HOWTO, TEMPERATURE_BANDS, combine_corpora, first_use, has_dates, period_keyness,
    periods, place_trend, temperature, term_forms, term_items, term_trend,
)

__all__ = [
    "BOUNDARY_SOURCE", "CORPUS_DIR", "INSET_PREFECTURES", "CorpusError", "DERIVED_COLUMNS", "ENCODINGS",
    "FastSegmenter", "ITEM_COLUMNS", "Item", "LEXICON_DIR", "LOAD_STATS", "MIN_ITEMS_RECURRING",
    "Para", "ROOT", "cache_version", "chi2_sf_1df", "cjk_font_path", "clean_text", "clear_cache",
    "cooccurrence", "corpus_label", "doc_term", "ends_sentence", "esc", "esc_html", "export_chart",
    "figure_dir", "filterable_table", "find_places", "is_idiom", "is_marked_use", "is_scare_quote",
    "keep_token", "keyness", "known_sections", "kwic", "lexicon_terms", "list_pages",
    "load_boundaries", "load_corpus", "load_pages", "load_places", "load_population",
    "load_slogan_lexicon", "load_townships", "load_workers", "log_likelihood", "md", "mine_slogans",
    "missing_from_segmenter", "n_label",
    "numbered_spans", "page_labels", "parse_credit", "parse_file", "parse_page", "place_hits",
    "place_mentions", "plot_choropleth", "progress", "quote_verdict", "quoted_spans",
    "read_page", "section_series", "segment", "set_style", "short_name", "should_join",
    "slogan_occurrences", "split_check", "stopwords", "term_counts", "tfidf_keywords",
    "tokenize", "tokens", "top_terms", "word_spans_boundary", "wordcloud_frequencies",
    # reading and cleaning untrusted input
    "page_names", "skipped_files", "to_simplified",
    # trends
    "DATES_HOWTO", "TEMPERATURE_BANDS", "combine_corpora", "first_use", "has_dates",
    "period_keyness", "periods", "place_trend", "temperature", "term_forms", "term_items",
    "term_trend",
]
