"""`python -m clausexl` runs the command line."""

from .cli import main

main()
