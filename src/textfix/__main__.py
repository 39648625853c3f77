"""Run the command line: ``python -m textfix``."""

from __future__ import annotations

from textfix.cli import main

raise SystemExit(main())
