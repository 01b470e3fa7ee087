import sys

from chainrule_cli.cli import main

sys.exit(main())
