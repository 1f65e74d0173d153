"""A query against the corpus: similar openings with their reasons, similar companies, filters, the doors kept
open after a rejection, and the nightly matches of every active rejection."""
