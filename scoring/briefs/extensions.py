"""Extension points for brief sections whose engine modules have not landed yet.

The brief is to include, where available, the comparison of option sets
(``scoring.option_sets``) and robustness in plain sentences (``scoring.robustness``:
acceptability from SMAA, the weight at which first place changes). Neither module existed
when briefs were written, so both sections are absent from every brief: no placeholder text
is ever rendered. To wire one in:

1. return a small frozen dataclass from the function below, built through the module's
   public functions from ``catalog`` (scores already edited), ``spec`` and ``ranking``;
2. lay it out in each renderer where ``brief.option_sets`` / ``brief.robustness`` is read
   (they skip the section while it is None);
3. for option sets, make :func:`option_sets_available` return True so that
   ``BriefSpec.option_sets`` stops being rejected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scoring.briefs.content import BriefSpec
    from scoring.methods import Ranking
    from scoring.model import Catalog

__all__ = ["option_set_section", "option_sets_available", "robustness_section"]


def option_sets_available() -> bool:
    """Whether briefs can compare option sets (False until scoring.option_sets is wired)."""
    return False


def option_set_section(catalog: Catalog, spec: BriefSpec, ranking: Ranking) -> None:
    """The option-set comparison of a brief; None (section left out) until it is wired."""
    return None


def robustness_section(catalog: Catalog, spec: BriefSpec, ranking: Ranking) -> None:
    """Robustness in plain sentences; None (section left out) until it is wired."""
    return None
