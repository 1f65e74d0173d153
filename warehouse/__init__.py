"""DuckDB warehouse for plenty: SQL lives in .sql files beside this package."""
