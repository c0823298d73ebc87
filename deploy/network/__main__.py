"""`python -m deploy.network`."""

import sys

from deploy.network.cli import main

sys.exit(main())
