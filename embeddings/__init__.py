"""Sentence embeddings, FAISS indexes and ranking for plenty."""
