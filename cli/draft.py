"""``plenty draft ID ask|thank|follow-up``: a mail written from the journal, printed, saved, sent on request."""

from __future__ import annotations

import click

from cli.common import reports_errors, settings
from display.safe_text import safe_text


@click.command()
@click.argument("rejection_id", type=int)
@click.argument("kind", type=click.Choice(["ask", "thank", "follow-up"]))
@click.option("--send", is_flag=True, help="Mail it to the contact with config.toml's [smtp] settings (password from "
                                           "PLENTY_SMTP_PASSWORD); 'ask' and 'follow-up' then record the request.")
@reports_errors
def draft(rejection_id: int, kind: str, send: bool) -> None:
    """Write a mail about a rejection from its journal: ask for feedback, thank them (keeping the door open), or
    follow up on a request for feedback made a week or more ago.

    The draft is printed and saved as $PLENTY_HOME/drafts/ID-KIND.txt and .eml (opens in a mail client). Its
    template is journal/templates/KIND.txt; put your own in $PLENTY_HOME/templates/KIND.txt to change it.
    """
    from journal.drafts import make_draft

    made = make_draft(settings(), rejection_id, kind, send=send)
    click.echo(safe_text(made.text))
    click.echo(f"Saved {made.txt_path} and {made.eml_path}")
    if made.sent:
        click.echo(f"Sent to {made.to.addr_spec}.")
