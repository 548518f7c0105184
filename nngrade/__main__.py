import sys

from nngrade.cli import main

sys.exit(main())
