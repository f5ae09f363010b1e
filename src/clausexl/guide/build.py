"""Build `guide.html` from `source.html`: the tables of buttons and of finding codes come from the code.

`python -m clausexl.guide.build` rewrites guide.html; a test checks the committed page equals a fresh
build, that every picture it shows exists, and that every link leads somewhere.
"""

from __future__ import annotations

import json
import sys

import jinja2
from markupsafe import Markup, escape

from ..core.findings import CODES
from ..excel.buttons import BUTTONS
from . import FOLDER, GUIDE
from .pictures import IMAGES, MANIFEST


def figure(name: str) -> Markup:
    """An <img> of a picture of the demo, captioned with what it shows and which output it is."""
    entry = json.loads(MANIFEST.read_text("utf-8"))[name]
    source = entry["sortie"].rsplit("/", 1)[-1]
    return Markup(f'<figure><img src="{escape(IMAGES.name)}/{escape(name)}" alt="{escape(entry["montre"])}">'
                  f"<figcaption>{escape(entry['montre'])} — <code>{escape(source)}</code>, démonstration "
                  "(<code>clausexl demo</code>)</figcaption></figure>")


def render() -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(FOLDER), autoescape=True,
                                     keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    codes = [{"code": c.code, "severity": c.severity.value, "meaning": c.meaning, "example": c.example}
             for c in CODES.values()]
    return environment.get_template("source.html").render(buttons=BUTTONS, codes=codes, figure=figure)


def main() -> int:
    GUIDE.write_text(render(), "utf-8")
    print(f"Guide écrit : {GUIDE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
