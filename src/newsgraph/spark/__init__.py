"""The per-document stages on Apache Spark (``job``) and the rows they write (``rows``).

``newsgraph spark ingest`` writes Parquet tables in the store schema; ``newsgraph load`` inserts them
into a DuckDB store and runs the corpus-level steps there (docs/spark.md says why).
"""
