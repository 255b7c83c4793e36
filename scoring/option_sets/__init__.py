"""Option sets: interactions, sets, evaluation, the best package and saved sets, a module each.

Option sets: packages of recommendations, their conflicts and synergies, the best package.

Policy teams adopt packages, not single recommendations, and the documents disagree. This
module holds:

- **Interactions** (``seeds/interactions.yaml``): curated pairs of recommendations that
  *conflict* (cannot both be pursued, or one undercuts the other) or show *synergy*, each with
  a strength 1-3 and a one-line rationale. :func:`load_interactions` validates the file
  against a loaded catalog, collecting every problem before raising once.
- **Option sets**: named sets of recommendation ids. Built-in sets are derived from the
  catalog (one per document, "what this author proposes", and one per instrument family);
  user sets live in the workspace as ``sets/<id>.yaml``.
- **Set evaluation** under a weighting: total and mean weighted score, per-criterion coverage
  (the best member's normalised score and the members' mean), the conflicts and synergies
  inside the set with their rationales, and an adjusted score::

      adjusted = total - CONFLICT_PENALTY * (sum of conflict strengths inside)
                       + SYNERGY_BONUS    * (sum of synergy strengths inside)

  Weighted scores lie in 0-1 per recommendation (normalised on the fixed scale ends), so the
  coefficients are in the same unit: a strength-3 conflict costs 0.45, about the value of a
  typical member (a package holding both sides of a direct contradiction is worth about one
  recommendation less); a strength-3 synergy adds 0.15, a quarter of a typical member. Both
  are module constants, shown in every result and overridable per call.
- **Best package**: at most ``k`` recommendations maximising total weighted score plus the
  synergy bonus, with no conflicting pair, some recommendations forced in or out. It is solved
  exactly as a mixed-integer linear programme with :func:`scipy.optimize.milp` (HiGHS), with a
  relative gap of 0 so the optimum is proven, not approximated (up to HiGHS's absolute gap
  of 1e-6, far below the 0.01 differences two weighted totals can meaningfully have).
  Synergies enter through one pair variable ``y_ab <= x_a, y_ab <= x_b`` each (the standard
  linearisation of
  ``x_a * x_b``; exact because synergy values are >= 0 and the objective is maximised).
  Infeasible constraints are diagnosed before solving, and the clash is named.

Nothing here imports a user-interface library; the CLI and the app draw from the result
objects (:class:`SetEvaluation`, :class:`SetComparison`, :class:`Package`).
"""

from __future__ import annotations

from scoring.loading import INTERACTIONS_FILE
from scoring.option_sets.evaluation import (
    MAX_COMPARED,
    METRICS,
    MIN_COMPARED,
    CriterionCoverage,
    ProfileWinner,
    SetComparison,
    SetEvaluation,
    compare_sets,
    evaluate_set,
    winners_by_profile,
)
from scoring.option_sets.interactions import (
    CONFLICT_PENALTY,
    SYNERGY_BONUS,
    Interaction,
    Interactions,
    InteractionScope,
    interaction_problems,
    load_interactions,
    pairs_in_scope,
)
from scoring.option_sets.optimiser import (
    LeftOut,
    Package,
    best_package,
    best_packages_by_profile,
    solve_package,
)
from scoring.option_sets.sets import (
    SETS_DIR,
    OptionSet,
    builtin_sets,
    pick_sets,
    set_id_for,
    set_member_problems,
)
from scoring.option_sets.storage import (
    delete_user_set,
    drop_members,
    load_user_sets,
    save_user_set,
    user_sets_holding,
)

__all__ = [
    "CONFLICT_PENALTY",
    "INTERACTIONS_FILE",
    "MAX_COMPARED",
    "METRICS",
    "MIN_COMPARED",
    "SETS_DIR",
    "SYNERGY_BONUS",
    "CriterionCoverage",
    "Interaction",
    "InteractionScope",
    "Interactions",
    "LeftOut",
    "OptionSet",
    "Package",
    "ProfileWinner",
    "SetComparison",
    "SetEvaluation",
    "best_package",
    "best_packages_by_profile",
    "builtin_sets",
    "compare_sets",
    "delete_user_set",
    "drop_members",
    "evaluate_set",
    "interaction_problems",
    "load_interactions",
    "load_user_sets",
    "pairs_in_scope",
    "pick_sets",
    "save_user_set",
    "set_id_for",
    "set_member_problems",
    "solve_package",
    "user_sets_holding",
    "winners_by_profile",
]
