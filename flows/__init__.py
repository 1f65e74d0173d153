"""Prefect flows and the plenty command line: the glue between spiders, warehouse and embeddings."""
