"""The analyser a long-running process serves with, reloaded when a promotion or a rollback
changes a classifier's ``current`` pointer — no restart needed, in every API process on its own."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from nlp import registry
from nlp.analyze import Analyzer
from nlp.pipeline import CLASSIFIERS

log = logging.getLogger(__name__)


class LiveAnalyzer:
    """``get()`` returns the analyser of the current versions, checking the pointers at most every
    ``check_seconds``. A failed reload keeps serving the models already loaded (and logs why)."""

    def __init__(
        self,
        models_dir: Path,
        facts_dir: Path,
        analyzer: Analyzer | None = None,
        check_seconds: float = 2.0,
    ) -> None:
        self.models_dir, self.facts_dir = Path(models_dir), Path(facts_dir)
        self.check_seconds = check_seconds
        self._analyzer = analyzer
        self._checked = 0.0
        self._lock = threading.Lock()
        self.last_error: str | None = None

    def _pointers(self) -> dict[str, str | None]:
        return {
            classifier: registry.current_version(self.models_dir, classifier)
            for classifier in CLASSIFIERS
        }

    def _stale(self) -> bool:
        if self._analyzer is None:
            return True
        loaded = {classifier: self._analyzer.versions.get(classifier) for classifier in CLASSIFIERS}
        return loaded != self._pointers()

    def get(self) -> Analyzer | None:
        now = time.monotonic()
        if now - self._checked < self.check_seconds and self._analyzer is not None:
            return self._analyzer
        with self._lock:
            if time.monotonic() - self._checked < self.check_seconds and self._analyzer is not None:
                return self._analyzer
            self._checked = time.monotonic()
            if self._stale():
                try:
                    fresh = Analyzer.load(self.models_dir, self.facts_dir)
                except (registry.RegistryError, FileNotFoundError) as exc:
                    self.last_error = str(exc)
                    log.error("models not (re)loaded, keeping what is loaded: %s", exc)
                else:
                    if self._analyzer is not None:
                        log.info("models reloaded: %s", fresh.versions)
                    self._analyzer, self.last_error = fresh, None
        return self._analyzer
