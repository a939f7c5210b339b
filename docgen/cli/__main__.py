"""`python -m docgen.cli` runs the docgen command."""

import sys

from docgen.cli import main

sys.exit(main())
