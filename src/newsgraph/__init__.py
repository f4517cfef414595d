"""newsgraph: a sourced model of what happened, from a pile of news articles."""

__version__ = "0.1.0"
