"""Exceptions that mean "cannot proceed".

Each carries one French sentence for the facilitator; the edges (CLI, Excel) show it as is.
Bad values inside a readable workbook are never exceptions: they are findings.
"""

from __future__ import annotations


class ClausexlError(Exception):
    """Base of every error the program reports as one French sentence."""


class WorkbookUnreadable(ClausexlError, OSError):
    """The file cannot be opened as a workbook of the contract (missing, corrupt, protected…)."""


class MissingTable(ClausexlError, LookupError):
    """A table of the contract is neither found by its name nor by its sheet."""


class MissingColumn(ClausexlError, LookupError):
    """A required column is missing from a table."""


class UnknownItem(ClausexlError, LookupError):
    """An ID given on the command line or selected in Excel does not exist."""


class InvalidOption(ClausexlError, ValueError):
    """An option value cannot be understood (a date, a month, a year…)."""


class OutputExists(ClausexlError, FileExistsError):
    """A file to write already exists and replacing it was not asked for."""


class TemplateError(ClausexlError, ValueError):
    """A document template cannot be rendered (unknown variable, forbidden access…)."""


class WriteFailed(ClausexlError, OSError):
    """An output could not be written (disk full, access refused…); nothing partial was left."""


class OverwritesInput(ClausexlError, FileExistsError):
    """A file to write is a file the command reads: refused even with --force."""


class PersonalDataLeft(ClausexlError, ValueError):
    """An anonymised copy would still hold a personal value somewhere in the file: not written."""


class Refused(ClausexlError, ValueError):
    """The item exists but its state forbids the document (an offer already filled, a market not engaged…)."""
