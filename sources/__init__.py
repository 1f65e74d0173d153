"""Where postings come from: the sources file, the crawler processes that read the boards (the spiders run in
them), loading their feeds into the warehouse, and the files a user imports."""
