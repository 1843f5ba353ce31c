"""cnpress: reading and analysing Chinese newspaper text (party-press pages and records).

One concern per module; ``helpers.py`` beside this package is the front door the notebooks
import, and maps which module answers which question. Imports go one way:
config → lexicon → reading/patterns/cleaning/segment → paragraphs → structure → items (the
loader), and the analyses (topics, places, maps, quotes, slogans) read the columns the
loader made without importing it; style and report present the results.
"""
