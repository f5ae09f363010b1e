"""Templates: the user's folder overrides the defaults file by file; rendering is strict and sandboxed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from clausexl.cli import main
from clausexl.core.errors import TemplateError
from clausexl.resources import templates_dir
from clausexl.verbs.courriers import courriers
from clausexl.verbs.offres import offres
from docread import docx_text
from documents_data import territory

JUNE = dt.date(2018, 6, 1)


def user_template(folder: Path, name: str, *paragraphs: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(folder / name))
    return folder


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return territory(tmp_path_factory.mktemp("territoire"))


def test_user_template_overrides_one_file(workbook, tmp_path):
    """A relance.docx in the user's folder replaces the default; the statements still use the default."""
    models = user_template(tmp_path / "modeles", "relance.docx", "Rappel amical à {{ destinataire.organisme }} "
                           "pour {{ marche.id }} : {{ heures_realisees }} sur {{ heures_prevues }}.")
    out = tmp_path / "out"
    courriers(workbook, mois=JUNE, sortie=out, modeles=models, today=dt.date(2018, 7, 3))
    assert docx_text(out / "Relance 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx").strip() == \
        "Rappel amical à Bâtiment Dupont & Fils pour M2018-004 : 310 h sur 834 h."
    assert "Objet : relevé des heures" in docx_text(out / "Relevé 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx")


def test_templates_folder_from_the_parameters(tmp_path):
    """The parameter « Dossier des modèles », relative to the workbook, is used when --modeles is not given."""
    user_template(tmp_path / "mes modèles", "relance.docx", "Relance {{ marche.id }}")
    wb = territory(tmp_path, {"dossier_modeles": "mes modèles"})
    courriers(wb, mois=JUNE, sortie=tmp_path / "out", today=dt.date(2018, 7, 3))
    assert docx_text(tmp_path / "out" / "Relance 2018-06 - M2018-005 - Nettoyage Plus.docx").strip() == "Relance M2018-005"


@pytest.mark.parametrize("tag, variable", [
    ("{{ inconnue }}", "inconnue"),
    ("{{ marche.inconnue }}", "inconnue"),
    ("{{ inconnue|montant }}", "inconnue"),
    ("{% for x in inconnue %}{{ x }}{% endfor %}", "inconnue"),
])
def test_unknown_variable_stops_before_writing(workbook, tmp_path, tag, variable):
    """An unknown variable is refused naming the template and the variable, and no file at all is written."""
    models = user_template(tmp_path / "modeles", "relance.docx", f"Bonjour {tag}")
    out = tmp_path / "out"
    with pytest.raises(TemplateError) as err:
        courriers(workbook, mois=JUNE, sortie=out, modeles=models, today=dt.date(2018, 7, 3))
    assert "« relance.docx »" in str(err.value) and f"« {variable} »" in str(err.value)
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("tag", [
    "{{ marche.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
])
def test_template_cannot_reach_python_internals(workbook, tmp_path, tag):
    """A template reaching for Python internals is refused with a clear message and leaves no file."""
    models = user_template(tmp_path / "modeles", "relance.docx", f"X {tag}")
    out = tmp_path / "out"
    with pytest.raises(TemplateError) as err:
        courriers(workbook, mois=JUNE, sortie=out, modeles=models, today=dt.date(2018, 7, 3))
    assert "« relance.docx »" in str(err.value)
    assert "intérieur de Python" in str(err.value)
    assert not out.exists() or list(out.iterdir()) == []


def test_mail_template_is_sandboxed_too(workbook, tmp_path):
    """The e-mail body template is rendered in the same sandbox: no letter nor e-mail is written."""
    models = tmp_path / "modeles"
    models.mkdir()
    (models / "offre_courriel.txt").write_text("{{ offre.poste.__class__.__base__.__subclasses__() }}", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"offre_courriel\.txt"):
        offres(workbook, "O2018-006", sortie=tmp_path / "out", modeles=models, today=dt.date(2018, 7, 3))
    assert not (tmp_path / "out").exists()


def test_cli_reports_a_bad_template_in_one_sentence(workbook, tmp_path):
    """The CLI turns a template error into one French sentence on stderr, exit 2, no traceback."""
    models = user_template(tmp_path / "modeles", "relance.docx", "{{ nimporte }}")
    result = CliRunner().invoke(main, ["courriers", str(workbook), "--mois", "2018-06", "--sortie", str(tmp_path / "o"),
                                       "--modeles", str(models)])
    assert result.exit_code == 2
    assert "nimporte" in result.stderr and "Traceback" not in result.stderr


def test_default_templates_are_built_reproducibly(tmp_path):
    """The committed templates are what the build script makes: same files, same text."""
    script = templates_dir() / "_source" / "build_templates.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True)
    built = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in templates_dir().iterdir() if p.suffix in (".docx", ".txt"))
    assert built == committed
    for name in built:
        if name.endswith(".docx"):
            assert docx_text(tmp_path / name) == docx_text(templates_dir() / name), name
        else:
            assert (tmp_path / name).read_text(encoding="utf-8") == (templates_dir() / name).read_text(encoding="utf-8")


def test_compiled_templates_follow_the_text_and_errors_repeat(tmp_path):
    """Templates compiled once per process still render each file's own text, and a malformed one fails every time."""
    from clausexl.adapters.templates import Templates

    def text_of(data: bytes) -> str:
        (tmp_path / "out.docx").write_bytes(data)
        return docx_text(tmp_path / "out.docx")

    first = Templates(user_template(tmp_path / "a", "lettre.docx", "Bonjour {{ nom }}"))
    second = Templates(user_template(tmp_path / "b", "lettre.docx", "Au revoir {{ nom }}"))
    for _ in range(2):
        assert "Bonjour Lina" in text_of(first.render_docx("lettre.docx", {"nom": "Lina"}))
        assert "Au revoir Lina" in text_of(second.render_docx("lettre.docx", {"nom": "Lina"}))
    broken = Templates(user_template(tmp_path / "c", "lettre.docx", "Bonjour {{ nom "))
    for _ in range(2):
        with pytest.raises(TemplateError, match=r"lettre\.docx"):
            broken.render_docx("lettre.docx", {"nom": "Lina"})
