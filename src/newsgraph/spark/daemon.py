"""The PySpark worker daemon with newsgraph's context loaded once per executor.

PySpark starts one daemon per executor, which forks a Python worker per task slot. Configured as
``spark.python.daemon.module`` (``newsgraph.spark.job.session``), this module loads spaCy and the
knowledge base in the daemon before it forks, so every worker shares one loaded model
(copy-on-write) instead of loading its own; ``spark.python.worker.reuse`` keeps the workers.
A job run with other settings (``--kb``) loads its own context in each worker, as before.
"""

from __future__ import annotations

from pyspark import daemon


def main() -> None:
    from newsgraph.settings import get_settings
    from newsgraph.spark.job import worker_context

    worker_context(get_settings())
    daemon.manager()


if __name__ == "__main__":
    main()
