"""``python -m scoring.cli``: the same as the ``recscore`` command."""

import sys

from scoring.cli import main

sys.exit(main())
