"""`clausexl demo` builds the fictitious territory, runs the verbs and lists what it wrote."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import python_calamine as calamine
from click.testing import CliRunner

from clausexl.adapters.workbook_reader import read_classeur
from clausexl.cli import main
from clausexl.core import funders_layout as layout
from clausexl.core.errors import OutputExists
from clausexl.verbs.demo import DECP_NAME, DEMO_YEAR, WORKBOOK_NAME, demo
from clausexl.verbs.valider import valider


def test_demo_workbook_validates_without_error(demo_run):
    """The demo workbook gives no finding of severity erreur."""
    rapport = valider(demo_run.folder / WORKBOOK_NAME)
    assert rapport.errors == 0


def test_demo_lists_existing_files_only(demo_run):
    """Every file the demo reports exists in its folder."""
    assert demo_run.files and all(p.exists() and demo_run.folder in p.parents for p in demo_run.files)


def test_demo_refuses_a_folder_that_already_holds_a_demo(demo_run):
    """Running twice into the same folder stops instead of overwriting."""
    with pytest.raises(OutputExists):
        demo(demo_run.folder)


def test_demo_command_prints_what_it_made(demo_run, monkeypatch, tmp_path):
    """The CLI passes --sortie to the demo and prints its folder, its steps and its files, exit 0.

    In this process, on the session's demo run: the demo itself is tested above, and running it
    again in a new interpreter cost 8 to 15 seconds for nothing more."""
    asked = []

    def fake_demo(sortie, progress=None):
        asked.append(sortie)
        progress("bilan")
        return demo_run

    monkeypatch.setattr("clausexl.verbs.demo.demo", fake_demo)  # the command imports it when it runs
    out = CliRunner().invoke(main, ["demo", "--sortie", str(tmp_path / "d")])
    assert out.exit_code == 0, out.output
    assert asked == [tmp_path / "d"] and "… bilan" in out.stderr
    assert f"Démonstration dans « {demo_run.folder} »" in out.stdout and WORKBOOK_NAME in out.stdout
    assert f"{len(demo_run.files)} fichiers écrits :" in out.stdout
    assert all(str(p) in out.stdout for p in demo_run.files)


def _sheet(path, name):
    return calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_demo_runs_reperer_on_its_own_decp_sample(demo_run):
    """The demo writes a DECP sample and the review workbook: the buyer's « Clause sociale » market not
    followed, the 575 000 € works market without clause (460 possible hours), the small one and the
    outsider left out (the reference is the buyer's SIRET followed by the DECP id)."""
    folder = demo_run.folder
    sample, review = folder / DECP_NAME, folder / "Repérage DECP.xlsx"
    assert sample in demo_run.files and review in demo_run.files
    assert dict(demo_run.steps)["reperer"].startswith("4 marchés DECP fictifs lus : 1 avec clause non suivi, "
                                                      "1 sans clause")
    followed = [r for r in _sheet(review, "Clauses non suivies") if r and str(r[1]).endswith("2019DEMO01")]
    without = [r for r in _sheet(review, "Sans clause") if r and str(r[1]).endswith("2019DEMO02")]
    assert len(followed) == 1 and followed[0][3] == "DO03"
    assert len(without) == 1 and without[0][10] == 460
    reading = {r[0]: r[1] for r in _sheet(review, "Lecture") if r and isinstance(r[1], float)}
    assert reading["Hors du territoire"] == 1
    assert reading["Sans considération sociale, sous le seuil"] == 1


def test_demo_consolidates_its_bilan_twice(demo_run):
    """The network workbook of the demo holds the 2018 bilan twice: 146 participants each, 292 in total."""
    network = demo_run.folder / f"Bilan du réseau {DEMO_YEAR}.xlsx"
    assert network in demo_run.files and "consolider" in dict(demo_run.steps)
    data = layout.parse_data_rows(_sheet(network, layout.DATA_SHEET), network.name)
    assert data.producer == layout.PRODUCER_CONSOLIDER and data.year == DEMO_YEAR
    totals = {f.key: f.value for f in data.figures}
    assert totals["participants"] == 292


def test_demo_runs_every_verb_and_every_document(demo_run):
    """The demo shows each verb and a sample of each kind of document."""
    titles = [title for title, _ in demo_run.steps]
    for verb in ("valider", "heures", "bilan", "reperer", "consolider", "echeances", "rapprocher",
                 "extraire-personne", "anonymiser", "documents"):
        assert verb in titles
    names = [p.name for p in demo_run.files]
    for prefix in ("Clause - ", "Relevé ", "Attestation - ", "Offre "):
        assert any(n.startswith(prefix) for n in names), prefix
    assert any(n.endswith(".eml") for n in names)


def test_every_demo_document_is_a_valid_docx(demo_run, tmp_path):
    """Each .docx of the demo (its unchanged members copied from the template, still compressed) is a
    sound zip that python-docx opens, with text in it; LibreOffice converts each clause and two documents
    of every other kind when it is installed (all 131 took 90 s for the same templates)."""
    import docx

    from clausexl.adapters.pdf import find_soffice, to_pdf

    documents = [p for p in demo_run.files if p.suffix == ".docx"]
    assert len(documents) >= 4
    for path in documents:
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None, path
            assert "word/document.xml" in z.namelist() and "[Content_Types].xml" in z.namelist()
        assert any(p.text.strip() for p in docx.Document(str(path)).paragraphs), path
    soffice = find_soffice()
    if soffice is not None:
        kinds: dict[str, list[Path]] = {}
        for path in documents:  # « Clause - M… », « Attestation … », « Relevé … »: the kind is the first word
            kinds.setdefault(path.name.split(" ")[0], []).append(path)
        sample = [p for kind, paths in kinds.items() for p in (paths if kind == "Clause" else paths[:2])]
        pdfs = to_pdf(soffice, [p.read_bytes() for p in sample], tmp_path)
        assert len(pdfs) == len(sample) and all(pdf.startswith(b"%PDF") for pdf in pdfs)


def test_demo_runs_the_monthly_loop(demo_run):
    """January 2020: forms out, half of them back (one file twice, a scan), imported into a copy; reminders due."""
    steps = dict(demo_run.steps)
    assert steps["releves"] == "18 relevés à remplir pour 01/2020, demandés le 03/02/2020"
    assert steps["importer-releves"] == ("9 relevés renvoyés (l'un donné deux fois) et un scan : 14 lignes "
                                         "importées, 6 déjà présentes, 2 vides ; au 14/02/2020, 7 relances "
                                         "à faire")
    copy = demo_run.folder / "clauses-demo-releves-importes.xlsm"
    h = read_classeur(copy, ["T_Heures"])["T_Heures"]
    january = h[h["mois"] == "2020-01-01"]
    assert len(january) == 14 and set(january["source"]) == {"Relevé entreprise"}
    assert (demo_run.folder / "Journal clausexl.csv") in demo_run.files
    with zipfile.ZipFile(demo_run.folder / "clauses-demo.xlsm") as a, zipfile.ZipFile(copy) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
        assert a.read("customUI/customUI14.xml") == b.read("customUI/customUI14.xml")
