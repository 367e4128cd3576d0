"""`python -m askfirst` runs the command line."""

from askfirst.cli import main

raise SystemExit(main())
