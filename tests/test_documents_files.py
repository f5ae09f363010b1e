"""Output files: readable safe names, no silent overwrite, nothing half-written, PDFs through LibreOffice."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausexl.cli import main
from clausexl.core.errors import OutputExists
from clausexl.core.filenames import file_name, unique_names
from clausexl.verbs.attestations import attestations
from clausexl.verbs.clause import clause
from clausexl.verbs.courriers import courriers
from documents_data import ROWS, territory
from workbooks import make_workbook

JUNE = dt.date(2018, 6, 1)


@pytest.mark.parametrize("parts, expected", [
    (("Attestation", "M2018-004", "Entreprise X"), "Attestation - M2018-004 - Entreprise X.docx"),
    (("Clause", "M1", "../../etc/passwd"), "Clause - M1 - etc passwd.docx"),
    (("Offre", 'A:B*C?"D<E>F|G\\H'), "Offre - A B C D E F G H.docx"),
    (("CON",), "_CON.docx"),
    (("nul",), "_nul.docx"),
    (("COM1.txt",), "_COM1.txt.docx"),
    (("..", "  "), "document.docx"),
    (("Relevé 2018-06", None, "Dupont & Fils"), "Relevé 2018-06 - Dupont & Fils.docx"),
])
def test_file_names_stay_in_the_folder(parts, expected):
    """Names from workbook text lose path separators, forbidden characters, `..` and reserved Windows names."""
    assert file_name(parts, ".docx") == expected


def test_same_names_are_made_distinct():
    """Two documents with the same name get « (2) » rather than one overwriting the other."""
    assert unique_names(["A.docx", "a.docx", "B.docx", "A.docx"]) == ["A.docx", "a (2).docx", "B.docx", "A (3).docx"]


def test_company_name_with_a_path_cannot_escape(tmp_path):
    """A company whose name holds `../` still gets its certificate inside the output folder."""
    rows = {**ROWS, "T_Entreprises": [dict(e, raison_sociale="../../Évasion/SA") if e["id"] == "E3" else e
                                      for e in ROWS["T_Entreprises"]]}
    wb = make_workbook(tmp_path, rows)
    out = tmp_path / "out"
    result = attestations(wb, sortie=out, today=dt.date(2018, 2, 1))
    assert all(p.parent == out for p in result.fichiers)
    assert (out / "Attestation - M2017-010 - Évasion SA.docx").is_file()


def test_existing_files_are_never_silently_replaced(tmp_path):
    """A second run stops before writing anything; --force replaces the files."""
    wb = territory(tmp_path)
    out = tmp_path / "out"
    first = courriers(wb, mois=JUNE, sortie=out, today=dt.date(2018, 7, 3)).fichiers
    (out / first[0].name).write_bytes(b"mine")
    with pytest.raises(OutputExists):
        courriers(wb, mois=JUNE, sortie=out, today=dt.date(2018, 7, 3))
    assert (out / first[0].name).read_bytes() == b"mine"
    courriers(wb, mois=JUNE, sortie=out, force=True, today=dt.date(2018, 7, 3))
    assert (out / first[0].name).read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in first)


def test_default_output_folder_is_sorties_beside_the_workbook(tmp_path):
    """Without --sortie nor the parameter, documents go to `sorties` beside the workbook."""
    wb = territory(tmp_path)
    [path] = clause(wb, "M2018-004").fichiers
    assert path.parent == tmp_path / "sorties"


def fake_soffice(folder: Path) -> Path:
    """A stand-in for LibreOffice that writes a small PDF per document into --outdir."""
    script = folder / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        'out=""; prev=""\n'
        'for a in "$@"; do\n'
        '  if [ "$prev" = "--outdir" ]; then out="$a"; fi\n'
        '  prev="$a"\n'
        "done\n"
        'mkdir -p "$out"\n'
        'for a in "$@"; do\n'
        '  case "$a" in *.docx) n=$(basename "$a" .docx); printf "%%PDF-1.4 fake" > "$out/$n.pdf";; esac\n'
        "done\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


@pytest.mark.skipif(os.name != "posix", reason="the stand-in soffice is a shell script")
def test_pdf_beside_each_document(tmp_path, monkeypatch):
    """--pdf gives a PDF of each document, named like it, when LibreOffice is there."""
    monkeypatch.setenv("CLAUSEXL_SOFFICE", str(fake_soffice(tmp_path)))
    wb = territory(tmp_path)
    result = courriers(wb, mois=JUNE, sortie=tmp_path / "out", pdf=True, today=dt.date(2018, 7, 3))
    pdfs = sorted(p.name for p in result.fichiers if p.suffix == ".pdf")
    assert pdfs == sorted(p.with_suffix(".pdf").name for p in result.fichiers if p.suffix == ".docx")
    assert len(pdfs) == 4
    assert (tmp_path / "out" / pdfs[0]).read_bytes().startswith(b"%PDF")


def test_pdf_without_libreoffice_says_so(tmp_path, monkeypatch):
    """Without LibreOffice the Word documents are written and a clear sentence says the PDFs were not."""
    monkeypatch.setenv("CLAUSEXL_SOFFICE", str(tmp_path / "nowhere" / "soffice"))
    wb = territory(tmp_path)
    result = CliRunner().invoke(main, ["clause", str(wb), "--marche", "M2018-004", "--sortie", str(tmp_path / "o"),
                                       "--pdf"])
    assert result.exit_code == 0
    assert "LibreOffice est introuvable" in result.stderr
    assert [p.suffix for p in (tmp_path / "o").iterdir()] == [".docx"]


def test_cli_writes_and_lists_documents(tmp_path):
    """`clausexl courriers --mois` writes the month's letters and lists them; a bad month is exit 2."""
    wb = territory(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(main, ["courriers", str(wb), "--mois", "2018-06", "--sortie", str(tmp_path / "o")])
    assert ok.exit_code == 0, ok.output
    assert "Fichiers écrits (4)" in ok.stdout
    bad = runner.invoke(main, ["courriers", str(wb), "--mois", "2018-13", "--sortie", str(tmp_path / "o")])
    assert bad.exit_code == 2 and "AAAA-MM" in bad.stderr
    unknown = runner.invoke(main, ["attestations", str(wb), "--marche", "M9", "--sortie", str(tmp_path / "o")])
    assert unknown.exit_code == 2 and "« M9 »" in unknown.stderr


def test_sample_of_every_document_for_the_demo(tmp_path):
    """The demo's sample holds a clause per Dispositif, statements, reminders, bilans, certificates and offers."""
    from clausexl.verbs.echantillon import echantillon

    wb = territory(tmp_path)
    names = [p.name for p in echantillon(wb, tmp_path / "demo", today=dt.date(2018, 7, 3)).fichiers]
    kinds = {n.split(" - ")[0].split(" ")[0] for n in names}
    assert kinds == {"Clause", "Relevé", "Relance", "Bilan", "Attestation", "Offre"}
    assert sum(n.startswith("Clause") for n in names) == 5
    assert any(n.endswith(".eml") for n in names)
