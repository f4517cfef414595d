"""newsgraph: a sourced model of what happened, from a pile of news articles."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Archive", "__version__"]


def __getattr__(name: str):
    # Lazy, so `import newsgraph` stays cheap for the CLI's --help and for Spark workers.
    if name == "Archive":
        from newsgraph.archive import Archive

        return Archive
    raise AttributeError(name)
