"""The plenty command line: thin commands over the library; named errors become one-line messages, and any other
exception a one-line crash report (``cli.crash``), never a traceback.

Heavy libraries (Prefect, torch, sentence-transformers, Scrapy) are imported inside the commands that use them so
that ``plenty --help`` and the warehouse-only commands start at once.
"""

from __future__ import annotations

import click

from cli import (analyse, companies, data, digest, draft, journal, marks, nightly, profile, reject, serve, similar,
                 sources, ui)
from cli.crash import GuardedGroup


@click.group(name="plenty", cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="plenty")
def cli() -> None:
    """plenty: after a rejection, see the similar openings and companies already out there.

    Data lives under PLENTY_HOME (default ~/.plenty).
    """


for command in (reject.reject, similar.similar, nightly.nightly, data.import_postings, data.export_postings,
                data.index, digest.digest, marks.mark, marks.matches, serve.serve, sources.sources,
                companies.companies, draft.draft, profile.profile, analyse.analyse, ui.ui):
    cli.add_command(command)
for command in (journal.feedback, journal.review, journal.contact, journal.asked, journal.show):
    reject.reject.add_command(command)


def main() -> None:
    """Entry point of the ``plenty`` script."""
    cli(prog_name="plenty")


if __name__ == "__main__":
    main()
