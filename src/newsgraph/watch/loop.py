"""The watch: rounds of poll → fetch new pages → ingest → corpus steps → alerts, until stopped.

A round, in data-flow order (each step durable before the next, so a kill anywhere loses nothing):

1. record webhook outcomes; finish the corpus steps a killed round left pending;
2. poll the due sources (feeds and sitemaps in fetch threads; folders here) and commit each poll:
   new item keys with the feed's validators, in one transaction;
3. fetch the pages of pending items (a page a document already holds is marked, not fetched),
   clean them here (the per-document time limit needs the main thread), ingest them through the
   public ``Ingestor``, mark each item stored or rejected;
4. run the incremental corpus steps (``pipeline.finish``) when anything was stored;
5. evaluate the alert rules on the documents not yet checked; store alerts, deliveries and the
   checked marks in one transaction; then deliver.
"""

from __future__ import annotations

import logging
import queue
import signal
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.errors import RejectedInput
from newsgraph.ingest.readers import RawArticle
from newsgraph.store import db
from newsgraph.watch import alerts as alert_rules
from newsgraph.watch import deliveries, sources, state
from newsgraph.watch.articles import feed_article, page_article
from newsgraph.watch.config import Source, WatchConfig
from newsgraph.watch.fetch import Fetcher, FetchError, user_agent
from newsgraph.watch.hosts import HostGate, Stopped
from newsgraph.watch.warc import WarcRecorder, warc_folder

log = logging.getLogger("newsgraph.watch")
RETRY_REASONS = ("timeout", "network", "http_500", "http_502", "http_503", "http_504", "http_429", "http_408")


@dataclass
class RoundReport:
    number: int
    polled: int = 0
    new_items: int = 0
    fetched: int = 0
    ingested: int = 0
    duplicates: int = 0
    rejected: int = 0
    alerts: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Watch:
    """Follows the sources of one ``WatchConfig`` into the store at ``db_path``."""

    def __init__(self, config: WatchConfig, db_path: str | Path, ctx: Any = None,
                 transport: Any = None, webhook_backoff: float = 2.0) -> None:
        self.config = config
        self.db_path = Path(db_path)
        self.stop_event = threading.Event()
        self.con = db.connect(self.db_path)
        self._ctx = ctx
        self.agent = user_agent(config.contact)
        self.warc = WarcRecorder(warc_folder(self.db_path), self.db_path.stem)
        self.gate = HostGate(config.fetch.host_delay, config.fetch.host_concurrency, self.stop_event)
        self.fetcher = Fetcher(config.fetch, self.agent, self.gate, on_exchange=self.warc.record, transport=transport)
        self.pool = ThreadPoolExecutor(max_workers=config.fetch.concurrency, thread_name_prefix="newsgraph-fetch")
        self.webhooks = deliveries.WebhookSender(self.agent, backoff=webhook_backoff, con=self.con)
        self.rules = {r.name: r for r in config.alerts}
        self._targets = {d.target: d for r in config.alerts for d in r.deliver}
        self._queued: set[tuple[str, str]] = set()  # webhook deliveries handed to the sender
        with db.transaction(self.con):
            baseline = state.take_baseline(self.con)
        if baseline:
            log.info("first watch of %s: %d stored documents taken as the baseline (no alerts on them)",
                     self.db_path, baseline)
        self._resume_deliveries()

    @property
    def ctx(self):
        if self._ctx is None:
            from newsgraph.nlp.pipeline import make_context

            self._ctx = make_context()
        return self._ctx

    # ------------------------------------------------------------------ running

    def run(self, once: bool = False, max_rounds: int | None = None) -> list[RoundReport]:
        """Rounds until stopped (``once``: one round polling every source)."""
        reports: list[RoundReport] = []
        while not self.stop_event.is_set():
            reports.append(self.round(force=once))
            if once or (max_rounds is not None and len(reports) >= max_rounds):
                break
            self._idle_until_due()
        return reports

    def stop(self) -> None:
        self.stop_event.set()

    def install_signal_handlers(self) -> None:
        """SIGINT/SIGTERM: finish the current step and stop; a second one interrupts at once."""
        def handler(signum: int, frame: object) -> None:
            if self.stop_event.is_set():
                raise KeyboardInterrupt
            log.warning("%s received: stopping after the current step", signal.Signals(signum).name)
            self.stop()

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)

    def close(self) -> None:
        self.stop_event.set()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.webhooks.close(timeout=5.0)
        self._record_outcomes()
        self.fetcher.close()
        self.warc.close()
        self.con.close()

    def _idle_until_due(self) -> None:
        names = [s.name for s in self.config.sources]
        while not self.stop_event.is_set():
            self._record_outcomes()
            due = state.next_due(self.con, names)
            wait = 1.0 if due is None else (due - state.utcnow()).total_seconds()
            if wait <= 0:
                return
            self.stop_event.wait(min(wait, 1.0))

    # ------------------------------------------------------------------ one round

    def round(self, force: bool = False) -> RoundReport:
        began = time.monotonic()
        with db.transaction(self.con):
            report = RoundReport(state.next_round(self.con))
        self._record_outcomes()
        if state.get_state(self.con, "finish_pending"):
            self._finish()
        stored = self._poll(force, report)
        if not self.stop_event.is_set():
            stored += self._fetch_items(report)
        if (stored or state.get_state(self.con, "finish_pending")) and not self.stop_event.is_set():
            self._finish()
        if not self.stop_event.is_set() and not state.get_state(self.con, "finish_pending"):
            self._alerts(report)
        report.seconds = round(time.monotonic() - began, 2)
        self.gate.forget_idle()
        log.info("round %d: %d sources polled, %d new items, %d pages fetched, %d stored, %d duplicates, "
                 "%d rejected, %d alerts, %d errors (%.1fs)", report.number, report.polled, report.new_items,
                 report.fetched, report.ingested, report.duplicates, report.rejected, report.alerts,
                 len(report.errors), report.seconds)
        return report

    def _error(self, report: RoundReport, source: Source | str, message: str) -> None:
        name = source.name if isinstance(source, Source) else source
        text = f"{name}: {message}"
        report.errors.append(text)
        log.error("source %s", text)

    # ------------------------------------------------------------------ 2. polling

    def _poll(self, force: bool, report: RoundReport) -> int:
        names = [s.name for s in self.config.sources]
        due = set(names) if force else state.due_sources(self.con, names, state.utcnow())
        chosen = [s for s in self.config.sources if s.name in due]
        futures: dict[Future, Source] = {}
        for source in chosen:
            if source.kind in ("feed", "sitemap"):
                known = self._validators(source.name)
                poll = sources.poll_feed if source.kind == "feed" else sources.poll_sitemap
                futures[self.pool.submit(poll, self.fetcher, source, known)] = source
        stored = 0
        for source in chosen:  # folders are read here, while the feeds download
            if source.kind == "folder" and not self.stop_event.is_set():
                stored += self._poll_folder(source, report)
        for future in as_completed(futures):
            source = futures[future]
            try:
                poll = future.result()
            except Stopped:
                continue
            except Exception as exc:  # a bug in one source's poll must not stop the round
                poll = sources.Poll(source, errors=[f"{type(exc).__name__}: {exc}"])
            self._commit_poll(poll, report)
        return stored

    def _validators(self, source: str) -> sources.Validators:
        rows = self.con.execute("SELECT url, etag, last_modified FROM watch_resources WHERE source = ?",
                                [source]).fetchall()
        return {u: (e, m) for u, e, m in rows}

    def _commit_poll(self, poll: sources.Poll, report: RoundReport) -> None:
        source = poll.source
        with db.transaction(self.con):
            new = state.add_items(self.con, [(i.key, i.url, source.name, i.meta) for i in poll.items])
            for res in poll.resources:
                state.save_resource(self.con, res["url"], source.name, res.get("status"), res.get("etag"),
                                    res.get("last_modified"), res.get("error"))
            for row in poll.fetches:
                state.log_fetch(self.con, source=source.name, **row)
            state.mark_polled(self.con, source.name, source.kind, source.target, source.every,
                              "; ".join(poll.errors) or None, poll.retry_after)
        report.polled += 1
        report.new_items += new
        for warning in poll.warnings:
            log.warning("source %s: %s", source.name, warning)
        for error in poll.errors + poll.problems:
            self._error(report, source, error)
        if poll.not_modified:
            log.debug("source %s: not modified", source.name)

    def _poll_folder(self, source: Source, report: RoundReport) -> int:
        files = sources.folder_files(Path(source.target))
        changed = state.changed_files(self.con, files)
        stored = 0
        if changed:
            from newsgraph.ingest.meta import SIDECAR_NAMES, load_meta
            from newsgraph.pipeline import Ingestor

            sidecar = next((Path(source.target) / n for n in SIDECAR_NAMES if (Path(source.target) / n).is_file()),
                           None)
            paths = [Path(p) for p in changed if sidecar is None or Path(p) != sidecar]
            meta = load_meta(sidecar) if sidecar else None
            self._set_pending()
            ingestor = Ingestor(self.con, self.ctx)
            result = ingestor.run(paths, meta=meta)
            stored = result.ingested + result.duplicates
            self._count(report, result)
            for err in result.rejected:
                self._error(report, source, f"{err.path}: {err.reason}: {err.detail}")
        with db.transaction(self.con):
            state.mark_files(self.con, source.name, {p: files[p] for p in changed})
            state.mark_polled(self.con, source.name, source.kind, source.target, source.every, None)
        report.polled += 1
        report.new_items += len(changed)
        return stored

    # ------------------------------------------------------------------ 3. pages

    def _fetch_items(self, report: RoundReport) -> int:
        items = state.pending_items(self.con, self.config.fetch.max_items)
        items = self._already_done(items)
        if not items:
            return 0
        futures = {self.pool.submit(self.fetcher.get, i.url, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"): i
                   for i in items if i.feed.get("fetch_page") and i.url}
        articles: list[tuple[state.ItemRow, RawArticle | RejectedInput]] = [
            (i, self._from_feed(i)) for i in items if not (i.feed.get("fetch_page") and i.url)]
        for future in as_completed(futures):
            item = futures[future]
            if self.stop_event.is_set():
                break
            outcome = self._page(item, future, report)
            if outcome is not None:
                articles.append((item, outcome))
        return self._ingest(articles, report)

    def _already_done(self, items: list[state.ItemRow]) -> list[state.ItemRow]:
        """Mark items a document already holds (a kill came between store and mark); return the rest."""
        keys = [i.key for i in items]
        stored = state.stored_documents(self.con, keys)
        if stored:
            with db.transaction(self.con):
                for key, doc in stored.items():
                    state.mark_item(self.con, key, "stored", doc, attempt=False)
        return [i for i in items if i.key not in stored]

    def _from_feed(self, item: state.ItemRow) -> RawArticle | RejectedInput:
        try:
            return feed_article(item.key, item.feed, self.ctx.settings)
        except RejectedInput as err:
            return err

    def _page(self, item: state.ItemRow, future: Future, report: RoundReport) -> RawArticle | RejectedInput | None:
        """The article of one fetched page; None when the item waits for a later round."""
        try:
            response = future.result()
        except Stopped:
            return None
        except FetchError as err:
            self._fetch_failed(item, err, report)  # marks the item unless the feed's text can stand in
            return self._fallback(item, err) if self._final(item, err) and item.feed.get("content") else None
        except Exception as exc:
            err = FetchError(item.url or item.key, "network", f"{type(exc).__name__}: {exc}")
            self._fetch_failed(item, err, report)
            return None
        report.fetched += 1
        with db.transaction(self.con):
            state.log_fetch(self.con, item.url or item.key, item.source, "ok", response.status, response.final_url,
                            len(response.body), response.warc)
        try:
            return page_article(item.key, response, item.feed, self.ctx.settings)
        except RejectedInput as err:
            return self._fallback(item, err) if item.feed.get("content") else err

    def _final(self, item: state.ItemRow, err: FetchError) -> bool:
        return err.reason not in RETRY_REASONS or item.attempts + 1 >= self.config.fetch.max_attempts

    def _fetch_failed(self, item: state.ItemRow, err: FetchError, report: RoundReport) -> None:
        final = self._final(item, err)
        with db.transaction(self.con):
            state.log_fetch(self.con, item.url or item.key, item.source, "error", err.status, reason=err.reason)
            if not final:
                state.mark_item(self.con, item.key, "new", reason=err.reason, detail=err.detail)
            elif not item.feed.get("content"):
                state.mark_item(self.con, item.key, "failed" if err.reason in RETRY_REASONS else "rejected",
                                reason=err.reason, detail=err.detail)
        retry = "" if final else f" (attempt {item.attempts + 1} of {self.config.fetch.max_attempts}; retried next round)"
        self._error(report, item.source, f"page {item.url}: {err.reason}: {err.detail}{retry}")

    def _fallback(self, item: state.ItemRow, why: Exception) -> RawArticle | RejectedInput:
        """The feed's own text when the page cannot be had (or holds no article)."""
        if not item.feed.get("content"):
            return why if isinstance(why, RejectedInput) else RejectedInput(item.key, "unreadable", str(why))
        log.warning("source %s: %s: using the feed's own content instead of the page (%s)", item.source, item.key, why)
        return self._from_feed(item)

    def _ingest(self, articles: list[tuple[state.ItemRow, RawArticle | RejectedInput]], report: RoundReport) -> int:
        from newsgraph.pipeline import Ingestor, to_document

        if not articles:
            return 0
        self._set_pending()
        stored = 0
        size = self.ctx.settings.batch_size
        for start in range(0, len(articles), size):
            if self.stop_event.is_set():
                break
            batch = articles[start:start + size]
            ingestor = Ingestor(self.con, self.ctx)
            result = ingestor.run_items([a for _, a in batch])
            self._count(report, result)
            rejected = {r.path: r for r in result.rejected}
            with db.transaction(self.con):
                for item, article in batch:
                    if isinstance(article, RawArticle):
                        doc = to_document(article).id
                        if self.con.execute("SELECT 1 FROM documents WHERE id = ?", [doc]).fetchone():
                            state.mark_item(self.con, item.key, "stored", doc)
                            stored += 1
                            continue
                        article = rejected.get(item.key) or RejectedInput(item.key, "extraction_failed", "not stored")
                    state.mark_item(self.con, item.key, "rejected", reason=article.reason, detail=article.detail)
                    self._error(report, item.source, f"{item.key}: {article.reason}: {article.detail}")
        return stored

    def _count(self, report: RoundReport, result: Any) -> None:
        report.ingested += result.ingested
        report.duplicates += result.duplicates
        report.rejected += len(result.rejected)

    # ------------------------------------------------------------------ 4. corpus steps

    def _set_pending(self) -> None:
        if not state.get_state(self.con, "finish_pending"):
            with db.transaction(self.con):
                state.set_state(self.con, "finish_pending", "1")

    def _finish(self) -> None:
        from newsgraph.pipeline import finish

        finish(self.con, self.ctx)
        with db.transaction(self.con):
            state.set_state(self.con, "finish_pending", None)

    # ------------------------------------------------------------------ 5. alerts

    def _alerts(self, report: RoundReport) -> None:
        docs = state.unchecked_documents(self.con)
        if not docs:
            return
        with db.transaction(self.con):
            found = alert_rules.evaluate(self.con, list(self.rules.values()), docs, report.number, self.config.server)
            fresh = deliveries.record_alerts(self.con, found, self.rules, report.number)
            state.mark_checked(self.con, docs, report.number)
        report.alerts += len(fresh)
        self._resume_deliveries()

    def _resume_deliveries(self) -> None:
        """Deliver what is pending: log and Atom at once, webhooks through the sender thread."""
        done = []
        for alert, target, attempts, payload in deliveries.pending(self.con):
            if target == "log":
                deliveries.log_alert(payload)
                done.append((alert, target, attempts + 1))
            elif target == "atom":
                done.append((alert, target, attempts + 1))
            elif target in self._targets and (alert, target) not in self._queued:
                self._queued.add((alert, target))
                self.webhooks.submit(alert, self._targets[target], payload, attempts)
        if done:
            with db.transaction(self.con):
                for alert, target, attempts in done:
                    deliveries.mark(self.con, alert, target, "delivered", attempts)

    def _record_outcomes(self) -> None:
        outcomes = []
        while True:
            try:
                outcomes.append(self.webhooks.results.get_nowait())
            except queue.Empty:
                break
        if not outcomes:
            return
        with db.transaction(self.con):
            for o in outcomes:
                if not o.recorded:
                    deliveries.mark(self.con, o.alert, o.target, o.status, o.attempts, o.error)
                if o.status != "pending":
                    self._queued.discard((o.alert, o.target))
