"""``python -m fastinit`` and the ``fastinit`` command: the study's CLI (``fastinit.study.cli``)."""

from __future__ import annotations

import sys

from fastinit.study.cli import main

if __name__ == "__main__":
    sys.exit(main())
