"""The pure core imports no I/O, template, Excel or CLI library."""

import subprocess
import sys

FORBIDDEN = ("openpyxl", "xlwings", "jinja2", "docxtpl", "docx", "click", "rich", "xlsxwriter", "python_calamine")
CORE_MODULES = (
    "clausexl.core.schema", "clausexl.core.classeur", "clausexl.core.cells", "clausexl.core.validation",
    "clausexl.core.findings", "clausexl.core.errors", "clausexl.core.text",
)


def test_core_imports_no_io_library():
    """Importing every core module (and everything under clausexl.core) loads none of the forbidden libraries."""
    code = (
        "import importlib, pkgutil, sys, clausexl.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'clausexl.core.'):\n"
        "    importlib.import_module(m.name)\n"
        f"for m in {CORE_MODULES!r}:\n"
        "    importlib.import_module(m)\n"
        f"bad = sorted(n for n in {FORBIDDEN!r} if n in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
