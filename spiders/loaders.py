"""The item loader every spider fills: raw board values in, a clean ``PostingItem`` out.

Spiders only select values (``loader.add_value("title", job["title"])``); the processors here clean them.
Descriptions are added in parts, each plain text or wrapped in ``Html``/``EscapedHtml``, and joined with
paragraph breaks. Values added first win for single-valued fields, so a spider adds its preferred source
first and fallbacks after it.
"""

from __future__ import annotations

from itemloaders.processors import Compose, Join, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from spiders.cleaning import (
    clean_line,
    company_from_board,
    to_amount,
    to_employment_type,
    to_iso_utc,
    to_period,
    to_remote,
    to_text,
)
from spiders.items import PostingItem

_REQUIRED_STR = ("source", "board", "source_id", "url", "title")


def _unique(values: list[str]) -> list[str]:
    """The values in first-seen order without repeats."""
    return list(dict.fromkeys(values))


def _upper(value: str) -> str:
    return value.upper()


class PostingLoader(ItemLoader):
    """Loads one ``PostingItem`` for ``source``/``board`` from raw values selected by a spider."""

    default_item_class = dict
    default_input_processor = MapCompose(clean_line)
    default_output_processor = TakeFirst()

    source_id_in = MapCompose(str, clean_line)
    locations_out = Compose(_unique)
    is_remote_in = MapCompose(to_remote)
    employment_type_in = MapCompose(to_employment_type)
    salary_min_in = MapCompose(to_amount)
    salary_max_in = MapCompose(to_amount)
    salary_currency_in = MapCompose(clean_line, _upper)
    salary_period_in = MapCompose(to_period)
    description_in = MapCompose(to_text)
    description_out = Join("\n\n")
    posted_at_in = MapCompose(to_iso_utc)
    updated_at_in = MapCompose(to_iso_utc)
    valid_through_in = MapCompose(to_iso_utc)

    def __init__(self, source: str, board: str, *, company_from_board: bool = True, **context) -> None:
        super().__init__(**context)
        self.add_value("source", source)
        self.add_value("board", board)
        # An aggregator's board is a category or a thread id, never a company name.
        self.company_from_board = company_from_board

    def load_item(self) -> PostingItem:
        """The clean item; missing required text fields are left empty for the validation pipeline to drop."""
        values = super().load_item()
        for name in _REQUIRED_STR:
            values.setdefault(name, "")
        if not values.get("company") and values["board"] and self.company_from_board:
            values["company"] = company_from_board(values["board"])
        return PostingItem(**values)
