"""How long extraction may run on one document: ``$RECSCORE_EXTRACT_SECONDS``, else 60 s.

Extraction is pure Python on one thread; a hostile or accidental input (a huge text, text
that makes the segmenter or the rules slow) must not keep the CLI or a dashboard session busy
for minutes, and must not go on after the page is closed. The extractor checks a
:class:`Deadline` between sentences (cooperatively: no signal, which works only on the main
thread, while the dashboard extracts on its session threads) and stops with a typed error
naming the document and the two fixes: a smaller file, or a larger budget.

60 s is about 80 times what the largest corpus document takes (0.75 s for 14 kB) and about what a
user waits for before deciding something is wrong.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field

from scoring.errors import Code, InputError

__all__ = [
    "DEFAULT_EXTRACT_SECONDS",
    "EXTRACT_SECONDS_VARIABLE",
    "Deadline",
    "ExtractionTimeout",
    "extract_seconds",
    "time_limit_error",
]

EXTRACT_SECONDS_VARIABLE = "RECSCORE_EXTRACT_SECONDS"
DEFAULT_EXTRACT_SECONDS = 60.0


def extract_seconds() -> float:
    """The budget in seconds: ``$RECSCORE_EXTRACT_SECONDS`` if it is a positive finite number,
    else the default (a bad value must not turn the limit off, as ``inf`` or ``-1`` would)."""
    configured = os.environ.get(EXTRACT_SECONDS_VARIABLE, "").strip()
    try:
        seconds = float(configured) if configured else DEFAULT_EXTRACT_SECONDS
    except ValueError:
        return DEFAULT_EXTRACT_SECONDS
    return seconds if math.isfinite(seconds) and seconds > 0 else DEFAULT_EXTRACT_SECONDS


class ExtractionTimeout(Exception):  # noqa: N818 - caught inside the engine, never shown
    """Raised by :meth:`Deadline.check`; turned into :func:`time_limit_error` by the caller
    that knows the document's name."""

    def __init__(self, seconds: float, position: int) -> None:
        super().__init__(f"extraction exceeded {seconds:g} s at character {position}")
        self.seconds = seconds
        self.position = position


@dataclass(frozen=True)
class Deadline:
    """``seconds`` from when it is made (:func:`time.monotonic`)."""

    seconds: float
    at: float = field(default=0.0)

    @classmethod
    def start(cls, seconds: float | None = None) -> Deadline:
        budget = extract_seconds() if seconds is None else seconds
        return cls(budget, time.monotonic() + budget)

    def check(self, position: int) -> None:
        """Raise ExtractionTimeout if the time is up; ``position`` is how far the text got."""
        if time.monotonic() >= self.at:
            raise ExtractionTimeout(self.seconds, position)


def time_limit_error(where: str, timeout: ExtractionTimeout, length: int) -> InputError:
    """The typed error for a document whose extraction ran out of time."""
    return InputError(
        Code.EXTRACTION_TIME_LIMIT,
        where,
        "text",
        f"extraction within {timeout.seconds:g} s (${EXTRACT_SECONDS_VARIABLE})",
        f"stopped after {timeout.seconds:g} s at character {timeout.position:,} of {length:,}",
        "split the document into smaller files, or allow more time, e.g. "
        f"{EXTRACT_SECONDS_VARIABLE}=300",
        in_file=True,
    )
