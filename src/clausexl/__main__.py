"""`python -m clausexl` runs the command line."""

from .cli import run

run()
