"""Markdown tables of docs/classeur.md and docs/fiabilite.md derived from the schema and the finding codes.

`python -m clausexl.docs_tables` rewrites the generated parts of docs/classeur.md and docs/fiabilite.md,
and rebuilds the user guide (`clausexl/guide/guide.html`), whose tables come from the same codes; a test
checks that each holds them as generated, so the documentation cannot drift from the code. The README
holds none of these tables: it points to docs/classeur.md, their one home.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from pathlib import Path

from .core import schema
from .core.findings import CODES

MARKERS: dict[str, Callable[[], str]] = {
    "colonnes": lambda: columns_markdown(),
    "codes": lambda: codes_markdown(),
    "parametres": lambda: parameters_markdown(),
    "donnees-personnelles": lambda: personal_markdown(),
}


def columns_markdown() -> str:
    """One section per table: its sheet, its columns with kind, required flag and list values."""
    parts = []
    for t in schema.TABLES:
        parts.append(f"#### {t.sheet} — `{t.name}`\n\n{t.description}\n")
        parts.append("| Colonne | Type | Obligatoire | Valeurs / référence |\n|---|---|---|---|")
        for c in t.columns:
            values = " · ".join(schema.choices_of(c)) if c.kind is not schema.Kind.YESNO else "Oui · Non"
            if c.ref:
                values = f"ID de `{c.ref}`"
            required = "oui" + (f" ({c.note})" if c.note else "") if c.required else ""
            parts.append(f"| {c.header} | {c.kind.value} | {required} | {values} |")
        parts.append("")
    return "\n".join(parts).strip()


def personal_markdown() -> str:
    """What anonymiser does to each column of the participants' rows, from the schema's marks."""
    rows = ["| Feuille | Colonne | Dans une ligne anonymisée |", "|---|---|---|"]
    for t in schema.TABLES:
        if not schema.belongs_to_participant(t):
            continue
        for c in t.columns:
            action = c.personal.value if c.personal is not None else "non déclaré"
            if c.personal is schema.Personal.KEPT:
                action = f"gardé : {c.kept_because}"
            rows.append(f"| {t.sheet} | {c.header} | {action} |")
    return "\n".join(rows)


def codes_markdown() -> str:
    rows = ["| Code | Gravité | Signification | Exemple de message |", "|---|---|---|---|"]
    rows += [f"| `{c.code}` | {c.severity.value} | {c.meaning} | {c.example} |" for c in CODES.values()]
    return "\n".join(rows)


def parameters_markdown() -> str:
    rows = ["| Paramètre | Défaut | Rôle |", "|---|---|---|"]
    for p in schema.PARAMETERS:
        default = "" if p.default is None else str(p.default) if isinstance(p.default, str) else (
            f"{p.default * 100:g} %" if p.kind is schema.Kind.PERCENT else f"{p.default:g}")
        rows.append(f"| {p.name} | {default} | {p.comment} |")
    return "\n".join(rows)


def render(readme: str) -> str:
    """Markdown text with each `<!-- debut:X -->…<!-- fin:X -->` block regenerated."""
    for name, make in MARKERS.items():
        pattern = re.compile(rf"(<!-- debut:{name} -->\n).*?(<!-- fin:{name} -->)", re.S)
        readme = pattern.sub(functools.partial(_block, make()), readme)
    return readme


#: The files whose `<!-- debut:X -->` blocks are generated, relative to the project root.
GENERATED = ("docs/classeur.md", "docs/fiabilite.md")


def _block(text: str, match: re.Match[str]) -> str:
    """The generated `text` between the markers that `match` found."""
    return match.group(1) + text + "\n" + match.group(2)


def main() -> int:
    paths = [Path(a) for a in sys.argv[1:]] or [Path(name) for name in GENERATED]
    for path in paths:
        path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    if not sys.argv[1:]:  # the user guide shows the same codes (and the buttons): rebuilt with them
        from .guide import build

        build.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
