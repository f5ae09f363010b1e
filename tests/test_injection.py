"""Injection: workbook text never becomes a formula, a file name outside the folder, or template code."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import python_calamine
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bad_workbooks import base_rows
from clausexl.cli import main
from workbooks import make_workbook

DANGEROUS = ("=HYPERLINK(\"http://exemple.invalid\",\"clic\")", "+33 2 33 00 00 00", "-2+3",
             "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1", "\t=1+1", "\r=1+1")


def dangerous_workbook(folder: Path) -> Path:
    """Formula-like text in IDs, names, comments and references that flow into every output."""
    rows = base_rows()
    market = "=M2018-004"
    rows["T_Marches"][0].update(id=market, objet=DANGEROUS[0], commentaire=DANGEROUS[3])
    rows["T_Contrats"][0].update(marche=market, poste=DANGEROUS[1])
    rows["T_Contrats"].append(dict(rows["T_Contrats"][0], id="+C002", marche=DANGEROUS[4]))  # dangling
    rows["T_Participants"][0].update(nom=DANGEROUS[4], prenom=DANGEROUS[2], adresse=DANGEROUS[3],
                                     referent=DANGEROUS[5])
    rows["T_Entreprises"][0].update(raison_sociale="@Entreprise")
    rows["T_Heures"][0]["commentaire"] = DANGEROUS[6]
    return make_workbook(folder, rows)


OUTPUTS = {
    "valider": lambda src, out: ["valider", src, "--rapport", out],
    "extraire-personne": lambda src, out: ["extraire-personne", src, "--participant", "P001", "--sortie", out],
    "heures": lambda src, out: ["heures", src, "--au", "2019-12-31", "--sortie", out],
    "bilan": lambda src, out: ["bilan", src, "--annee", "2018", "--sortie", out],
}


@pytest.mark.parametrize("verb", sorted(OUTPUTS))
def test_formula_like_text_stays_text_in_every_output(tmp_path: Path, verb: str):
    """Text starting with =, +, - or @ is written as a text cell, never as a formula, in every output workbook."""
    source = dangerous_workbook(tmp_path)
    out = tmp_path / "sortie.xlsx"
    result = CliRunner().invoke(main, OUTPUTS[verb](str(source), str(out)))
    assert result.exit_code in (0, 1), result.stderr
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)
    book = python_calamine.CalamineWorkbook.from_path(str(out))
    values = {v for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for v in row}
    if verb in ("valider", "extraire-personne"):
        assert {"=M2018-004"} <= values or DANGEROUS[4] in values
    if verb == "extraire-personne":
        assert {DANGEROUS[4], DANGEROUS[2], DANGEROUS[3]} <= values


def test_anonymised_copy_adds_no_formula(tmp_path: Path):
    """The anonymised copy writes its new cells as inline text or numbers, never formulas."""
    source = dangerous_workbook(tmp_path)
    copy = tmp_path / "copie.xlsx"
    result = CliRunner().invoke(main, ["anonymiser", str(source), "--sortie", str(copy), "--au", "2040-01-01"])
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(copy) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


# --- file names built from workbook text (documents) ------------------------------------------

RESERVED = ["CON", "prn", "AUX", "NUL", "COM1", "lpt9", "con.txt", "NUL .docx"]
ESCAPES = ["../../etc/passwd", "..\\..\\Windows\\system32", "/etc/passwd", "C:\\Users\\x", "\\\\serveur\\partage",
           "..", ".", "", "   ", "a/../../b", "x\x00y", "nom:flux", "Entreprise <X> | \"Y\"?*"]


def filenames():
    return pytest.importorskip("clausexl.core.filenames", reason="the documents' file names are not on main yet")


@pytest.mark.parametrize("text", ESCAPES + RESERVED)
def test_file_names_stay_in_the_output_folder(tmp_path: Path, text: str):
    """A name built from workbook text is a single plain file name inside the output folder."""
    name = filenames().file_name(["Clause", text, "Ville de X"], ".docx")
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()
    assert "/" not in name and "\\" not in name and ":" not in name and "\x00" not in name
    assert name.split(".")[0].strip().upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT9"}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=4))
def test_file_names_stay_in_the_folder_whatever_the_text(tmp_path_factory, parts):
    """Any text at all gives a file name that cannot escape the output folder."""
    folder = tmp_path_factory.mktemp("sorties")
    name = filenames().file_name(parts, ".docx")
    assert name.endswith(".docx") and len(name) <= 255
    assert (folder / name).resolve().parent == folder.resolve()


def test_templates_are_sandboxed():
    """A template cannot reach Python internals (Jinja2 sandbox)."""
    templates = pytest.importorskip("clausexl.adapters.templates", reason="templates are not on main yet")
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    env = templates.environment(False)
    assert isinstance(env, SandboxedEnvironment)
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__mro__[1].__subclasses__() }}").render(x="")


# --- every output workbook and document (every_output.WRITERS) ----------------------------------

import email  # noqa: E402
from email import policy  # noqa: E402

import openpyxl  # noqa: E402

from docread import docx_text  # noqa: E402
from every_output import DOCUMENT_OUTPUTS, FORMULA, JINJA_EXPR, JINJA_LOOP, WORKBOOK_OUTPUTS, dangerous_rows, run  # noqa: E402

#: A value each output workbook must hold exactly as typed in the workbook (or the DECP file).
LITERAL_CELL = {
    "echeances": "-Chloé =1+1 (P3)",
    "rapprocher": "+Denis " + JINJA_EXPR,
    "reperer": FORMULA,
    "consolider": "=MEF " + JINJA_EXPR,
    "bilan": "+Cotentin",
}


@pytest.mark.parametrize("case", WORKBOOK_OUTPUTS)
def test_formula_like_text_is_text_in_every_output_workbook(tmp_path: Path, case: str):
    """Workbook text starting with =, +, -, @ is a text cell in every sheet (hidden ones too), never a formula."""
    rows, params = dangerous_rows()
    result, out = run(case, tmp_path, rows, params=params)
    assert result.exit_code in (0, 1), result.stderr
    (path,) = out.iterdir()
    book = openpyxl.load_workbook(path)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert LITERAL_CELL[case] in texts


def document_texts(folder: Path) -> dict[str, str]:
    """The text of every .docx, and the text parts of every .eml, of an output folder."""
    texts = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".docx":
            texts[path.name] = docx_text(path)
        elif path.suffix == ".eml":
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            body = message.get_body(("plain",))
            texts[path.name] = f"{message['Subject']}\n{body.get_content() if body else ''}"
    return texts


@pytest.mark.parametrize("case", DOCUMENT_OUTPUTS)
def test_template_code_typed_in_cells_is_printed_not_run(tmp_path: Path, case: str):
    """Jinja2 code ({{ 7*7 }}, {% for %}) and formula-like text in cells appear literally in .docx and .eml."""
    rows, params = dangerous_rows()
    result, out = run(case, tmp_path, rows, params=params)
    assert result.exit_code in (0, 1), result.stderr
    texts = document_texts(out)
    assert texts
    everything = "\n".join(texts.values())
    assert JINJA_EXPR in everything and JINJA_LOOP in everything
    for name, text in texts.items():
        assert "=MEF " + JINJA_EXPR in text or name.endswith(".eml"), name  # the structure, in every letterhead
        for evaluated in ("MEF 49", "Ville 49", "Dupont 49", "locale 49", "Provinces 49", "Denis 49", "012"):
            assert evaluated not in text, (name, evaluated)
    expected = {"clause": [FORMULA, "@Ville " + JINJA_EXPR], "courriers --mois": [FORMULA, "=1+1 Nettoyage"],
                "courriers --annee": ["@Ville " + JINJA_EXPR], "attestations": ["@SUM(1+1)", "=1+1 Nettoyage"],
                "offres": ["=1+1 Maçon", "-Mission locale " + JINJA_EXPR, "@Cherbourg"]}[case]
    for literal in expected:
        assert literal in everything, literal
