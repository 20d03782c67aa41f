"""`python -m optimizer.cli`: the `zcf` command."""

from optimizer.cli import main

main()
