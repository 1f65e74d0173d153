"""The open postings as the recommender sees them, kept current after each load: openings settled (deadlines,
cross-board duplicates), vectors cached per content, the FAISS index in sync, occupation tags, the ranking corpus."""
