"""Every ribbon button that runs a verb, on the demo workbook, through xlwings' remote engine.

Each button must give what the CLI's library function gives: the same result sheet values, the
same files; its message names the counts and the folder. The clock is fixed at the demo's date.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import python_calamine

import clausexl.excel as excel
from clausexl.adapters.excel_live import _cell
from clausexl.demo_territory import CALIBRATED_YEAR, REF_DATE, demo_parameters, demo_rows
from clausexl.excel import heures as excel_heures
from clausexl.verbs import echeances, rapprocher
from clausexl.verbs.attestations import attestations
from clausexl.verbs.bilan import bilan, synthese_rows, write_funders
from clausexl.verbs.clause import clause
from clausexl.verbs.courriers import courriers
from clausexl.verbs.heures import heures, tableau_de_bord_rows
from clausexl.verbs.offres import offres
from docread import docx_text
from excel_payload import actions, alert, data_sheets_untouched, payload, run, written
from workbooks import d, make_workbook

OUT = "sorties"


pytestmark = pytest.mark.usefixtures("remote_engine")  # tests/excel_demo.py


def sent(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows as the remote engine sends them to Excel: empty → "", dates as ISO datetimes."""
    def one(value: Any) -> Any:
        value = _cell(value)
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
        return value

    width = max(len(r) for r in rows)
    return [[one(v) for v in r] + [""] * (width - len(r)) for r in rows]


def bold_rows(book: Any) -> list[int]:
    """Excel rows made bold by the run."""
    return sorted(a["start_row"] + 1 for a in actions(book, "setFontProperty"))


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def selecting(path: Path, sheet: str, row: int) -> dict[str, Any]:
    """The payload with a cell of Excel row `row` of `sheet` selected."""
    return payload(path, active_sheet=sheet, selection=f"C{row}")


# --- result sheets -------------------------------------------------------------------------------

def test_calculer_heures_writes_the_dashboard_of_heures(demo: Path) -> None:
    """`Tableau de bord` holds `tableau_de_bord_rows` of the CLI's heures at today, with room for the
    charts above the tables and the charts' data under them; headers in bold."""
    book = run(demo, excel.calculer_heures)
    result = heures(demo, REF_DATE)
    expected = tableau_de_bord_rows(result)
    rows = written(book, "Tableau de bord")
    at = next(i for i, r in enumerate(expected) if r[0] == "Par marché")
    room = excel_heures.CHART_ROWS
    assert rows[:at] == sent(expected[:at])
    assert all(v == "" for r in rows[at:at + room] for v in r)
    assert rows[at + room:room + len(expected)] == sent(expected[at:])
    headers = [i + 1 for i, r in enumerate(rows) if r[0] in ("Marché", "ID") or (r[0] == "" and r[1] and "Heures" in r[1])]
    assert bold_rows(book) == headers and len(headers) == 4
    text, mode = alert(book)
    assert mode == "info"
    assert text == ("60 marchés au 31/12/2019 : 77\u00a0250 heures réalisées, 2 marchés en retard.\n\n"
                    "Le détail par marché et par entreprise est dans la feuille « Tableau de bord ».\n\n"
                    f"La courbe montre le marché {result.views.marches.iloc[0]['id']} (sélectionnez une ligne de la "
                    "feuille Marchés avant de cliquer pour en voir un autre).")
    assert data_sheets_untouched(book)


def chart_data(book: Any, sheet: str) -> dict[str, list[list[Any]]]:
    """Chart name → the written cells its source covers (header row first)."""
    rows = written(book, sheet)
    out = {}
    for a in actions(book, "addChart"):
        first, last = a["args"][3].replace("$", "").split(":")
        (c1, r1), (c2, r2) = (re.findall(r"^([A-Z]+)(\d+)$", x)[0] for x in (first, last))
        columns = slice(ord(c1) - 65, ord(c2) - 64)
        out[a["args"][0]] = [r[columns] for r in rows[int(r1) - 1:int(r2)]]
    return out


def test_dashboard_charts_hours_per_month_and_the_market_curve(demo: Path) -> None:
    """Two native charts above the tables: hours per month (adding up to the hours done) and the
    late market's running total against its expected hours, ending at the dashboard's figures."""
    book = run(demo, excel.calculer_heures)
    result = heures(demo, REF_DATE)
    markets = result.views.marches
    late = markets.iloc[0]
    top = next(i for i, r in enumerate(tableau_de_bord_rows(result)) if r[0] == "Par marché") + 1
    added = actions(book, "addChart")
    curve_name = f"clausexl – Marché {late['id']} : heures réalisées et attendues (cumul)"
    assert [(a["args"][0], a["args"][1], a["args"][9]) for a in added] == [
        ("clausexl – Heures par mois", "ColumnClustered", f"$A${top}"), (curve_name, "LineMarkers", f"$J${top}")]
    assert [a["args"][1] for a in actions(book, "setChartTitle")] == [
        "Heures par mois", curve_name.removeprefix("clausexl – ")]
    data = chart_data(book, "Tableau de bord")
    months, curve = data["clausexl – Heures par mois"], data[curve_name]
    counted = "Heures des habitants des QPV" if late["npnru"] else "Heures réalisées"  # what the rate counts
    assert months[0] == ["", "Heures réalisées"] and curve[0] == ["", f"{counted} (cumul)", "Heures attendues (cumul)"]
    assert sum(h for _, h in months[1:]) == pytest.approx(float(markets["heures_realisees"].sum())) == 77_250
    assert months[1][0] == "2017-03-01" and months[-1][0] == "2019-12-01"
    assert curve[1][0] == f"{late['date_debut']:%Y-%m}-01" and curve[-1][0] == "2019-12-01"
    assert curve[-1][1:] == [late["heures_comptees"], round(late["attendu_a_date"], 1)]
    assert late["en_retard"] and late["heures_realisees"] < late["attendu_a_date"]
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(curve[1:]))
    assert [a["args"][0] for a in actions(book, "setNumberFormat")] == ["mm/yyyy", "mm/yyyy"]


def test_the_curve_follows_the_market_selected_in_marches(demo: Path) -> None:
    """A cell of a market's row selected in `Marchés`: the curve is that market's."""
    market = demo_rows()["T_Marches"][2]["id"]
    book = run(demo, excel.calculer_heures, selecting(demo, "Marchés", 4))
    names = [a["args"][0] for a in actions(book, "addChart")]
    assert names[1] == f"clausexl – Marché {market} : heures réalisées et attendues (cumul)"
    assert f"La courbe montre le marché {market} " in alert(book)[0]


def test_charts_of_the_last_run_are_replaced_and_the_users_kept(demo: Path) -> None:
    """The program deletes its own charts of the last run (by name), never the user's."""
    data = payload(demo)
    (board,) = [s for s in data["sheets"] if s["name"] == "Tableau de bord"]
    board["charts"] = [{"name": n, "chart_type": "Line", "left": 0, "top": 0, "width": 100, "height": 100}
                       for n in ("clausexl – Heures par mois", "Mon graphique", "clausexl – Marché X : …")]
    book = run(demo, excel.calculer_heures, data)
    assert [a["args"] for a in actions(book, "deleteChart")] == [[2], [0]]
    assert len(actions(book, "addChart")) == 2


def test_synthese_charts_are_the_funders_charts_over_the_sheet_tables(demo: Path) -> None:
    """Every chart of the funders' workbook, drawn over the same table of the `Synthèse` sheet: the
    header row then the section's rows (total left out), titled as in the funders' workbook."""
    book = run(demo, excel.synthese_annee)
    result = bilan(demo, CALIBRATED_YEAR, REF_DATE)
    charted = [(s, s.chart) for s in result.summary.sections if s.chart is not None and s.rows]
    data = chart_data(book, f"Synthèse {CALIBRATED_YEAR}")
    assert [a["args"][1] for a in actions(book, "setChartTitle")] == [c.title or s.title for s, c in charted]
    assert len(charted) == 9
    for (section, chart), (name, cells) in zip(charted, data.items()):
        assert name == f"clausexl – {chart.title or section.title}"
        assert cells[0] == list(section.headers)[:len(cells[0])]
        assert [r[0] for r in cells[1:]] == [r[0] for r in section.rows]
        assert len(cells[0]) == 1 + max(chart.columns)
    kinds = {a["args"][0]: a["args"][1] for a in actions(book, "addChart")}
    assert kinds["clausexl – Participants par sexe"] == "Pie" and kinds["clausexl – Heures par mois"] == "ColumnStacked"
    assert [a["args"][9] for a in actions(book, "addChart")][:3] == ["$F$1", "$O$1", "$F$19"]


def test_synthese_writes_the_sheet_and_the_funders_workbook(demo: Path, tmp_path: Path) -> None:
    """`Synthèse 2018` (parameter Année du bilan) = the CLI's synthese rows; the funders' file = the CLI's."""
    book = run(demo, excel.synthese_annee)
    result = bilan(demo, CALIBRATED_YEAR, REF_DATE)
    assert written(book, f"Synthèse {CALIBRATED_YEAR}") == sent(synthese_rows(result))
    funders = tmp_path / OUT / f"Bilan des clauses sociales {CALIBRATED_YEAR}.xlsx"
    reference = write_funders(result, tmp_path / "cli" / "bilan.xlsx")
    assert workbook_values(funders) == workbook_values(reference)
    text, _ = alert(book)
    assert text == (f"Bilan {CALIBRATED_YEAR} : la feuille « Synthèse {CALIBRATED_YEAR} » est à jour.\n\n"
                    "Le classeur des financeurs (chiffres agrégés, sans données personnelles) est écrit : "
                    f"{funders}")
    again = run(demo, excel.synthese_annee)
    second = funders.with_name(f"Bilan des clauses sociales {CALIBRATED_YEAR} (2).xlsx")
    assert second.exists() and alert(again)[0].endswith(str(second))
    assert data_sheets_untouched(book)


def workbook_values(path: Path) -> dict[str, list[list[Any]]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_synthese_without_year_parameter_is_the_current_year(tmp_path: Path) -> None:
    """Année du bilan left empty: the year of today (2019 here)."""
    path = make_workbook(tmp_path, demo_rows(), {**demo_parameters(), "annee_bilan": None}, name="demo.xlsx")
    book = run(path, excel.synthese_annee)
    assert written(book, "Synthèse 2019")[0][0] == "Bilan des clauses sociales 2019"
    assert (tmp_path / OUT / "Bilan des clauses sociales 2019.xlsx").exists()


def test_a_faire_writes_what_echeances_lists(demo: Path) -> None:
    """`À faire`: title, count, headers, then the rows of the CLI's echeances at today."""
    book = run(demo, excel.a_faire)
    result = echeances.echeances(demo, REF_DATE)
    rows = echeances.sheet_rows(result)
    assert written(book, "À faire") == sent([["À faire au 31/12/2019"], [f"{len(rows)} actions."],
                                             ["Qualité des données"],
                                             ["Aucune ligne écartée : toutes les lignes du classeur sont comptées."],
                                             list(echeances.HEADERS), *rows])
    assert bold_rows(book) == [5]
    text, _ = alert(book)
    kinds = "".join(f"\n• {kind} : {n}" for kind, n in result.counts().items() if n)
    assert len(rows) > 1
    assert text == (f"{len(rows)} actions au 31/12/2019 :{kinds}\n\n"
                    "La liste, par date, est dans la feuille « À faire ».")
    assert data_sheets_untouched(book)


def test_proposer_candidats_ranks_the_pool_of_the_selected_offer(demo: Path) -> None:
    """The offer of the selected row of `Offres`: `Candidats` = the CLI's ranking, reasons included."""
    offer = demo_rows()["T_Offres"][4]["id"]
    book = run(demo, excel.proposer_candidats, selecting(demo, "Offres", 6))
    result = rapprocher.rapprocher(demo, offer, REF_DATE)
    notes = rapprocher.sheet_notes(result)
    expected = [[f"Candidats pour l'offre {offer} au 31/12/2019"], *([n] for n in notes), list(rapprocher.HEADERS),
                *rapprocher.sheet_rows(result)]
    assert written(book, "Candidats") == sent(expected)
    assert bold_rows(book) == [len(notes) + 2]
    ranked, aside = len(result.result.candidats), len(result.result.ecartes)
    assert ranked > 1 and aside == 0
    assert alert(book)[0] == (
        f"Offre {offer} : {ranked} candidats classés, 0 écarté avec leur raison.\n\n"
        "Le classement et ses raisons sont dans la feuille « Candidats » : une aide à la décision, "
        "c'est vous qui choisissez qui proposer.")
    assert data_sheets_untouched(book)


# --- documents -----------------------------------------------------------------------------------

def test_rediger_clause_writes_the_clause_of_the_selected_market(demo: Path, tmp_path: Path) -> None:
    """The market of the selected row of `Marchés`: the CLI's clause, in `sorties`; a second click adds (2)."""
    market = demo_rows()["T_Marches"][2]["id"]
    book = run(demo, excel.rediger_clause, selecting(demo, "Marchés", 4))
    reference = clause(demo, market, sortie=tmp_path / "cli", today=REF_DATE).fichiers
    out = tmp_path / OUT
    assert names(out) == [p.name for p in reference]
    assert docx_text(out / reference[0].name) == docx_text(reference[0])
    assert alert(book) == (f"Clause du marché {market} : 1 fichier écrit dans le dossier {out}.", "info")
    run(demo, excel.rediger_clause, selecting(demo, "Marchés", 4))
    stem = reference[0].stem
    assert names(out) == sorted([f"{stem}.docx", f"{stem} (2).docx"])
    assert actions(book, "setValues") == []


def test_courriers_de_suivi_for_the_month_parameter(demo: Path, tmp_path: Path) -> None:
    """Mois de suivi (12/2019 in the demo): the same statements and reminders as the CLI."""
    book = run(demo, excel.courriers_suivi)
    reference = courriers(demo, sortie=tmp_path / "cli", today=REF_DATE)
    out = tmp_path / OUT
    assert names(out) == sorted(p.name for p in reference.fichiers) and reference.extra["mois"] == "2019-12"
    assert alert(book)[0] == (
        f"Courriers de suivi de décembre 2019 ({reference.extra['releves']} relevés, "
        f"{reference.extra['relances']} relances) : {len(reference.fichiers)} fichiers écrits "
        f"dans le dossier {out}.")


def test_courriers_de_suivi_without_parameter_take_the_previous_month(tmp_path: Path) -> None:
    """Mois de suivi left empty: the month before today (11/2019 on 31/12/2019)."""
    path = make_workbook(tmp_path, demo_rows(), {**demo_parameters(), "mois_suivi": None}, name="demo.xlsx")
    book = run(path, excel.courriers_suivi)
    reference = courriers(path, mois=d("2019-11-01"), sortie=tmp_path / "cli", today=REF_DATE)
    assert names(tmp_path / OUT) == sorted(p.name for p in reference.fichiers)
    assert alert(book)[0].startswith("Courriers de suivi de novembre 2019 (")


def test_a_button_names_the_empty_letterhead_parameters(tmp_path: Path) -> None:
    """A workbook whose Téléphone and Courriel are empty: the button writes the letters and says so once."""
    path = make_workbook(tmp_path, demo_rows(), {**demo_parameters(), "telephone": None, "courriel": None},
                         name="demo.xlsx")
    message = alert(run(path, excel.attestations))[0]
    assert message.count("feuille Paramètres") == 1
    assert ("À noter :\n• Dans la feuille Paramètres, les paramètres « Téléphone », « Courriel » sont vides : "
            "l'en-tête et la signature des documents s'en passent ; renseignez-les avant d'envoyer.") in message


def test_attestations_of_the_finished_markets(demo: Path, tmp_path: Path) -> None:
    """Every finished market's certificates, as the CLI writes them."""
    book = run(demo, excel.attestations)
    reference = attestations(demo, sortie=tmp_path / "cli", today=REF_DATE).fichiers
    assert names(tmp_path / OUT) == sorted(p.name for p in reference) and reference
    assert alert(book)[0] == (f"Attestations de fin de clause : {len(reference)} fichiers écrits "
                              f"dans le dossier {tmp_path / OUT}.")


def open_offer() -> tuple[str, int]:
    """The demo's first offer still open at REF_DATE, and its sheet row (a filled one is refused)."""
    for i, o in enumerate(demo_rows()["T_Offres"]):
        if o["statut"] == "Ouverte" and o["date_limite"] >= REF_DATE:
            return o["id"], i + 2
    raise AssertionError("the demo has no open offer")


def test_diffuser_offre_writes_letters_and_emails_of_the_selected_offer(demo: Path, tmp_path: Path) -> None:
    """The offer of the selected row of `Offres`: letters and .eml as the CLI, nothing sent."""
    offer, row = open_offer()
    book = run(demo, excel.diffuser_offre, selecting(demo, "Offres", row))
    reference = offres(demo, offer, sortie=tmp_path / "cli", today=REF_DATE)
    out = tmp_path / OUT
    assert names(out) == sorted(p.name for p in reference.fichiers)
    assert {p.suffix for p in out.iterdir()} == {".docx", ".eml"}
    assert alert(book)[0] == (f"Offre {offer} ({reference.extra['partenaires']} partenaires) : "
                              f"{len(reference.fichiers)} fichiers écrits dans le dossier {out}.")


def test_a_second_click_never_replaces_files(demo: Path, tmp_path: Path) -> None:
    """Letters and their e-mails of a second click share a new name `… (2)`; the first files stay."""
    offer, row = open_offer()
    run(demo, excel.diffuser_offre, selecting(demo, "Offres", row))
    first = {p: p.read_bytes() for p in (tmp_path / OUT).iterdir()}
    run(demo, excel.diffuser_offre, selecting(demo, "Offres", row))
    after = list((tmp_path / OUT).iterdir())
    assert all(p.read_bytes() == data for p, data in first.items())
    assert len(after) == 2 * len(first)
    assert {p.name for p in after} - {p.name for p in first} == {f"{p.stem} (2){p.suffix}" for p in first}
    assert offer in next(iter(first)).name


def test_dossier_de_sortie_parameter(tmp_path: Path) -> None:
    """Dossier de sortie given: the files go there, and the message says so."""
    target = tmp_path / "courriers du mois"
    path = make_workbook(tmp_path, demo_rows(), {**demo_parameters(), "dossier_sortie": str(target)},
                         name="demo.xlsx")
    book = run(path, excel.attestations)
    assert names(target) and not (tmp_path / OUT).exists()
    assert f"dans le dossier {target}." in alert(book)[0]


@pytest.mark.parametrize("entry, sheet, label", [
    (excel.rediger_clause, "Marchés", "Rédiger la clause"),
    (excel.diffuser_offre, "Offres", "Diffuser l'offre"),
    (excel.proposer_candidats, "Offres", "Proposer des candidats"),
])
def test_a_selection_outside_the_table_says_what_to_select(demo: Path, tmp_path: Path, entry: Any, sheet: str,
                                                           label: str) -> None:
    """A cell selected on another sheet, or below the table: a French message, nothing written."""
    for data in (selecting(demo, "Paramètres", 2), selecting(demo, sheet, 5000)):
        book = run(demo, entry, data)
        assert alert(book) == (f"Sélectionnez une cellule de la ligne voulue dans la feuille « {sheet} », "
                               f"puis cliquez de nouveau sur « {label} ».", "critical")
        assert [a["func"] for a in book.json()["actions"]] == ["alert"]
    assert not (tmp_path / OUT).exists()


# --- number of Excel calls -----------------------------------------------------------------------

def scaled_rows(contracts: int) -> dict[str, list[dict[str, Any]]]:
    """The demo's reference tables with `contracts` contracts (10 participants), one hour row each."""
    rows = demo_rows()
    base_contract, base_hours = rows["T_Contrats"][0], rows["T_Heures"][0]
    people = [p["id"] for p in rows["T_Participants"][:10]]
    rows["T_Contrats"] = [{**base_contract, "id": f"C{i:05d}", "participant": people[i % 10],
                           "date_debut": d("2019-01-07"), "date_fin": d("2020-06-30")} for i in range(contracts)]
    rows["T_Heures"] = [{**base_hours, "contrat": f"C{i:05d}", "mois": d("2019-03-01")} for i in range(contracts)]
    rows["T_Suivi"], rows["T_Candidatures"] = [], []
    return rows


@pytest.mark.parametrize("entry", [excel.calculer_heures, excel.synthese_annee, excel.a_faire,
                                   excel.proposer_candidats])
def test_number_of_excel_actions_does_not_grow_with_rows(tmp_path: Path, entry: Any) -> None:
    """10 contracts and hour rows, or 10 000: the same actions, in the same order (only values differ)."""
    def shape(size: int) -> list[tuple[Any, ...]]:
        path = make_workbook(tmp_path / str(size), scaled_rows(size), demo_parameters(), name="classeur.xlsx")
        book = run(path, entry, selecting(path, "Offres", 3))
        (message,) = actions(book, "alert")
        assert message["args"][3] == "info", message["args"][0]
        return [(a["func"], a["sheet_position"], a["start_row"]) for a in book.json()["actions"]]

    small = shape(10)
    assert small == shape(10_000)
    assert [f for f, _, _ in small].count("setValues") == 1
