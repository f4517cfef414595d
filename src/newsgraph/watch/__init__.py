"""Live monitoring: follow feeds, news sitemaps and folders; fetch politely; keep the store current; alert.

``newsgraph watch CONFIG.yaml --db FILE`` (docs/watch.md) is a thin face over ``Watch``:

    >>> from newsgraph.watch import Watch, load_config
    >>> watch = Watch(load_config("watch.yaml"), "news.duckdb")
    >>> watch.run(once=True)

Modules, in data-flow order: ``config`` (YAML + JSON Schema), ``hosts`` / ``robots`` / ``fetch``
(the polite HTTP client), ``warc`` (every response kept), ``sitemap`` / ``sources`` (polling),
``articles`` (pages to articles), ``state`` (what was seen, fetched, alerted), ``queries`` /
``alerts`` (rules over the store), ``deliveries`` (store, log, webhooks), ``atom`` / ``records``
(what ``newsgraph serve`` shows), ``loop`` (the rounds).
"""

from newsgraph.watch.config import ConfigError, WatchConfig, load_config
from newsgraph.watch.loop import RoundReport, Watch

__all__ = ["ConfigError", "RoundReport", "Watch", "WatchConfig", "load_config"]
