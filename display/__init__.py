"""Scraped text shown safely: one inert line or block for a terminal, JSON that prints harmlessly."""
