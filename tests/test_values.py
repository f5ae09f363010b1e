"""One value of each kind, rendered through every channel, reads the same (core/values.py).

Channels: a cell of an output workbook (its number format, as a French Excel shows it), a column of
the facilitator's workbook, a document context, a template filter, a CLI table line, a sentence.
And a guard: no module outside core/values.py formats French numbers or dates by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

from clausexl.adapters.french import to_text
from clausexl.adapters.templates import environment
from clausexl.adapters.xlsx_out import OutSheet, write_workbook
from clausexl.cli.bilan import _show
from clausexl.core import contexts, schema, values
from clausexl.core.values import (
    AMOUNT,
    CHANGE,
    COLUMN_KINDS,
    COUNT,
    DATE,
    DECIMAL,
    HOURS,
    INTEGER,
    KINDS,
    MONTH,
    NBSP,
    NUMBER,
    POINTS,
    RATE,
    SHARE,
    TEXT,
    WEEKS,
    after_colon,
    attention,
)

SRC = Path(__file__).resolve().parent.parent / "src" / "clausexl"

#: One value per kind, with what a cell shows and what a sentence says.
SAMPLES = {
    COUNT: (28900, "28 900", "28 900"),
    INTEGER: (2018, "2018", "2018"),
    DECIMAL: (18.0625, "18,1", "18,1"),
    NUMBER: (1234.5, "1 234,5", "1 234,5"),
    HOURS: (1234.5, "1 234,5", "1 234,5 h"),
    WEEKS: (23.75, "23,8", "23,8 semaines"),
    SHARE: (0.2534, "25,3 %", "25,3 %"),
    RATE: (0.045, "4,5 %", "4,5 %"),
    AMOUNT: (1000000, "1 000 000,00 €", "1 000 000,00 €"),
    DATE: (dt.date(2019, 3, 1), "01/03/2019", "1er mars 2019"),
    MONTH: (dt.date(2018, 6, 1), "06/2018", "juin 2018"),
    CHANGE: (0.125, "+12,5 %", "+12,5 %"),
    POINTS: (-2.0, "-2,0 pt", "-2,0 pt"),
    TEXT: ("50100", "50100", "50100"),
}


def _fr(text: str) -> str:
    """The samples above are typed with plain spaces: one no-break space is the house separator."""
    return re.sub(r"(?<=\d) (?=[\d%€hsp])", NBSP, text)


def excel_shows(code: str, value) -> str:
    """What a French Excel shows for `value` under number format `code` (the subset our kinds use)."""
    if code == "@":
        return str(value)
    if isinstance(value, dt.date):
        return value.strftime(code.replace("dd", "%d").replace("mm", "%m").replace("yyyy", "%Y"))
    sections = code.split(";")
    section = sections[0] if value > 0 or len(sections) == 1 else sections[1] if value < 0 else sections[-1]
    number = abs(value) if len(sections) > 1 else value
    literal = re.findall(r'"([^"]*)"', section)
    body = re.sub(r'"[^"]*"', "", section)
    if "%" in body:
        number *= 100
    digits = re.search(r"[#0,]+(\.[0#]+)?", body)
    assert digits is not None, code
    pattern = digits.group(0)
    decimals = pattern.split(".")[1] if "." in pattern else ""
    required, optional = decimals.count("0"), decimals.count("#")
    text = f"{number:,.{required + optional}f}" if "," in pattern else f"{number:.{required + optional}f}"
    if optional:
        whole, _, frac = text.partition(".")
        frac = frac[:required] + frac[required:].rstrip("0")
        text = f"{whole}.{frac}" if frac else whole
    text = text.replace(",", NBSP).replace(".", ",")
    prefix = body[:body.index(pattern[0])].strip()
    suffix = body[body.index(pattern[0]) + len(pattern):]
    return (prefix + text + suffix.replace(" ", NBSP) + "".join(literal).replace(" ", NBSP)).strip()


def test_every_kind_has_a_sample():
    assert set(SAMPLES) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_core_cell_and_sentence(kind):
    value, cell, text = SAMPLES[kind]
    assert kind.cell(value) == _fr(cell)
    assert kind.text(value) == _fr(text)
    assert kind.cell(None) == kind.text(float("nan")) == ""


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_output_workbook_cell_shows_the_cell_text(kind, tmp_path):
    """Written by the output-workbook adapter and read back: the format shows exactly `kind.cell`."""
    value = SAMPLES[kind][0]
    path = write_workbook(tmp_path / "v.xlsx", [OutSheet("V", ("Valeur",), [[value]], formats={"Valeur": kind})])
    cell = openpyxl.load_workbook(path)["V"]["A2"]
    assert cell.number_format == kind.excel
    shown = cell.value.date() if isinstance(cell.value, dt.datetime) else cell.value
    assert excel_shows(cell.number_format, shown) == kind.cell(value)


def test_facilitator_workbook_columns_use_the_same_formats(tmp_path):
    """The built workbook formats each column with the Excel format of its kind (dates, %, €, hours)."""
    from clausexl.adapters.workbook_build import build_workbook

    build_workbook(tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    seen = set()
    for table in schema.TABLES:
        if table.name == "T_Parametres":
            continue
        ws = book[table.sheet]
        for i, column in enumerate(table.columns, start=1):
            kind = COLUMN_KINDS.get(column.kind)
            if kind is not None:
                dimension = next(d for d in ws.column_dimensions.values() if d.min <= i <= d.max)
                assert dimension.number_format == kind.excel, (table.name, column.header)
                seen.add(column.kind)
    assert seen == set(COLUMN_KINDS)


@pytest.mark.parametrize("shown", [contexts.Montant, contexts.Heures, contexts.Semaines, contexts.Taux,
                                   contexts.TauxSaisi, contexts.Jour, contexts.Mois])
def test_document_context_says_the_sentence_text(shown):
    value, _, text = SAMPLES[shown.kind]
    assert to_text({"v": [shown(value)]}) == {"v": [_fr(text)]}


def test_template_filters_say_the_sentence_text():
    env = environment(autoescape=False)
    out = env.from_string("{{ a|montant }}|{{ h|heures }}|{{ s|taux }}|{{ n|nombre }}|{{ d|date_fr }}").render(
        a=1000000, h=1234.5, s=0.2534, n=1234.5, d=dt.date(2019, 3, 1))
    assert out == _fr("1 000 000,00 €|1 234,5 h|25,3 %|1 234,5|1er mars 2019")


@pytest.mark.parametrize("kind", [COUNT, HOURS, DECIMAL, SHARE], ids=lambda k: k.name)
def test_cli_line_shows_the_cell_text(kind):
    """`clausexl bilan` prints each key figure as its cell in the funders' workbook shows it."""
    value = SAMPLES[kind][0]
    assert isinstance(value, int | float)
    assert _show(value, kind) == kind.cell(value) == excel_shows(kind.excel, value)
    assert _show(None, kind) == "—"


def test_first_of_the_month_reads_1er_everywhere():
    assert DATE.text(dt.date(2019, 3, 1)) == "1er mars 2019"
    assert to_text(contexts.Jour(dt.date(2019, 3, 1))) == "1er mars 2019"
    assert DATE.text(dt.date(2019, 3, 12)) == "12 mars 2019"


#: Hand-made French number or date formatting: thousands separators swapped in, dates printed by strftime.
_BY_HAND = re.compile(r"""replace\(",", (" "|NBSP|"\\u00a0"|"\\u202f")|:,\.?\d*f\}|strftime\(["']%d/%m|:%d/%m/%Y\}|"janvier",|replace\("\.", ","\)""")


def test_no_french_formatting_outside_values():
    """Numbers and dates are written the French way in core/values.py only (demo_territory makes data)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "values.py" or "demo_territory" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _BY_HAND.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
    assert offenders == []


def test_values_module_is_the_only_month_table():
    assert values.MONTHS[0] == "janvier" and len(values.MONTHS) == 12


def test_hours_workbook_columns_have_a_kind():
    """Every formatted column of `heures --sortie` names a kind (a text key would silently lose its format)."""
    from clausexl.verbs import heures

    columns = (heures.MARKET_COLUMNS, heures.PROGRESS_COLUMNS, heures.EMPLOYER_COLUMNS, heures.PARTICIPANT_COLUMNS,
               heures.MONTH_COLUMNS)
    kinds = {kind for table in columns for _, _, kind in table if kind is not None}
    assert kinds <= set(KINDS) and {DATE, MONTH, HOURS} <= kinds


@pytest.mark.parametrize(("sentence", "printed"), [
    ("Dans la feuille Paramètres, le paramètre « Adresse » est vide.", "dans la feuille Paramètres, le paramètre"),
    ("Aucun marché terminé : aucune attestation à produire.", "aucun marché terminé"),
    ("L'entreprise E1 n'a aucun contrat.", "l'entreprise E1"),
    ("À renvoyer avant le 10/12/2026.", "à renvoyer"),
    ("LibreOffice est introuvable (commande soffice).", "LibreOffice est"),
    ("Excel a gardé le classeur ouvert.", "Excel a"),
    ("M2026-01 n'a pas d'attributaire.", "M2026-01 n'a"),
    ("QPV inconnu.", "QPV inconnu"),
    ("« Mehdi Amrani » n'a aucun contrat.", "« Mehdi"),
    ("5 lignes en erreur.", "5 lignes"),
])
def test_a_sentence_after_a_colon_starts_lower_case_unless_a_name(sentence: str, printed: str) -> None:
    assert after_colon(sentence).startswith(printed)
    assert attention(sentence) == f"Attention : {after_colon(sentence)}"
