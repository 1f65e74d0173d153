"""One spider module per source kind; Scrapy's spider loader finds them here by ``name`` (the kind)."""
