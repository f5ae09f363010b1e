"""The statement form a company fills in: a protected .xlsx written with XlsxWriter.

Only the cells to fill are unlocked (hours, comment, and the lines for people hired since); the
sheet is protected without a password, so a clerk cannot break the layout by accident but can
unprotect it if really needed. Hours carry a data validation (0 to 250, decimals allowed). A very
hidden sheet holds the identification (company, month, contract IDs) that the import reads back.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import xlsxwriter

from ..core import values as kinds
from ..core.releves import FORM_MARK, FORM_VERSION, NEW_PERSON, NEW_PERSON_LINES, Form
from .output import write_bytes_atomic
from .sheet_layout import row_height
from .xlsm_copy import copy_with_edits
from .xlsx_out import WORKBOOK_OPTIONS, write_cell

SHEET = "Relevé"
ID_SHEET = "clausexl"
#: The form's columns: header, width, whether the company fills it in on a listed contract's line.
COLUMNS: tuple[tuple[str, float, bool], ...] = (
    ("Contrat", 18, False),
    ("Prénom", 16, False),
    ("Nom", 18, False),
    ("Poste", 22, False),
    ("Marché", 14, False),
    ("Objet du marché", 32, False),
    ("Donneur d'ordre", 24, False),
    ("Employeur", 24, False),
    ("Heures travaillées", 12, True),
    ("Heures de formation", 12, True),
    ("Commentaire", 40, True),
)
#: On the lines for people hired since, the company also types who they are.
NEW_PERSON_FILLED = ("Prénom", "Nom", "Poste", "Marché")
HOURS = ("Heures travaillées", "Heures de formation")
MAX_HOURS = 250
QUALITY_ROW = 3  # 0-based row of the « Qualité des données » line, under the title, company and contact lines
FIRST_INSTRUCTION = 4  # 0-based row of the first instruction


def instructions(form: Form) -> list[str]:
    """The French instructions printed above the table."""
    return [
        f"1. Pour chaque personne, saisissez les heures travaillées en {kinds.MONTH.text(form.mois)} et, s'il y en a, "
        f"les heures de formation : un nombre entre 0 et {MAX_HOURS}, décimales possibles (ex. 151,67).",
        "2. Une personne qui n'a pas travaillé ce mois-ci : saisissez 0 et dites pourquoi en commentaire "
        "(arrêt, fin de contrat…).",
        f"3. Une personne embauchée depuis : remplissez une ligne « {NEW_PERSON} » (prénom, nom, poste, marché, "
        "heures) et indiquez en commentaire sa date d'embauche et son type de contrat.",
        "4. Seules les cellules blanches se remplissent. Enregistrez ce fichier sans le renommer ni changer sa "
        f"structure, et renvoyez-le avant le {kinds.DATE.cell(form.date_limite)}.",
    ]


def contact_line(form: Form) -> str:
    """Who to send the form back to, on one line: an Adresse typed on two lines (Alt+Entrée) reads
    « 3 rue du Port, 50430 Lessay » (a line break would print over the next line of the sheet)."""
    f = form.facilitateur
    who = ", ".join(x for x in (f["nom"], f["structure"]) if x)
    how = " · ".join(x for x in (f["telephone"], f["courriel"], f["adresse_ligne"]) if x)
    return f"À renvoyer à : {who}" + (f" — {how}" if how else "")


def form_bytes(form: Form) -> bytes:
    """The .xlsx file of one form, in memory (written with the others, all or nothing)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {**WORKBOOK_OPTIONS, "in_memory": True})
    book.set_properties({"title": f"Relevé des heures d'insertion {form.mois:%Y-%m}",
                         "subject": form.raison_sociale, "author": form.facilitateur["structure"] or "clausexl",
                         "comments": "Relevé mensuel à remplir (clauses sociales d'insertion)"})
    _statement_sheet(book, form)
    _identification_sheet(book, form)
    book.close()
    return buffer.getvalue()


def _statement_sheet(book: xlsxwriter.Workbook, form: Form) -> None:
    sheet = book.add_worksheet(SHEET)
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    header = book.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "text_wrap": True,
                              "valign": "vcenter", "border": 1, "locked": True})
    locked = book.add_format({"bg_color": "#F2F2F2", "border": 1, "locked": True, "text_wrap": True,
                              "valign": "top"})
    new_label = book.add_format({"bg_color": "#F2F2F2", "border": 1, "locked": True, "italic": True})
    free_text = book.add_format({"border": 1, "locked": False, "bg_color": "#FFFFFF"})
    free_hours = book.add_format({"border": 1, "locked": False, "bg_color": "#FFFFFF", "num_format": kinds.HOURS.excel})
    last = len(COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last, f"Relevé mensuel des heures d'insertion — {kinds.MONTH.text(form.mois)}", title)
    sheet.merge_range(1, 0, 1, last, f"Entreprise : {form.raison_sociale} ({form.entreprise})", bold)
    sheet.merge_range(2, 0, 2, last, contact_line(form), wrap)
    height = row_height([(contact_line(form), sum(width for _, width, _ in COLUMNS))])
    if height:
        sheet.set_row(2, height)
    if form.qualite:
        sheet.merge_range(QUALITY_ROW, 0, QUALITY_ROW, last, form.qualite, wrap)
        sheet.set_row(QUALITY_ROW, 30)
    for i, line in enumerate(instructions(form), start=FIRST_INSTRUCTION):
        sheet.merge_range(i, 0, i, last, line, wrap)
        sheet.set_row(i, 30)
    top = header_index(form)
    sheet.set_row(top, 32)
    for j, (name, width, _) in enumerate(COLUMNS):
        sheet.write_string(top, j, name, header)
        sheet.set_column(j, j, width)
    row = top + 1
    for form_line in form.lignes:
        values = (form_line.contrat, form_line.prenom, form_line.nom, form_line.poste, form_line.marche,
                  form_line.objet, form_line.donneur_ordre, form_line.employeur)
        for j, value in enumerate(values):
            sheet.write_string(row, j, value, locked)
        height = row_height([(value, width) for value, (_, width, _) in zip(values, COLUMNS)])
        if height:  # a long buyer's or market's name wraps, whole
            sheet.set_row(row, height)
        _free_cells(sheet, row, free_text, free_hours)
        row += 1
    for _ in range(NEW_PERSON_LINES):
        for j, (name, _, filled) in enumerate(COLUMNS):
            if filled or name in NEW_PERSON_FILLED:
                continue
            sheet.write_string(row, j, NEW_PERSON if name == "Contrat" else "", new_label if name == "Contrat"
                               else locked)
        for name in NEW_PERSON_FILLED:
            sheet.write_blank(row, _column(name), None, free_text)
        _free_cells(sheet, row, free_text, free_hours)
        row += 1
    first_hours, last_hours = _column(HOURS[0]), _column(HOURS[1])
    sheet.data_validation(top + 1, first_hours, row - 1, last_hours, {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": MAX_HOURS,
        "input_title": "Heures du mois",
        "input_message": f"Un nombre d'heures entre 0 et {MAX_HOURS} (décimales possibles).",
        "error_title": "Heures invalides",
        "error_message": f"Saisissez un nombre d'heures entre 0 et {MAX_HOURS}, sans « h » (ex. 35 ou 151,67).",
    })
    sheet.freeze_panes(top + 1, 0)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True,
                       "format_rows": True})
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(top)
    sheet.activate()


def header_index(form: Form) -> int:
    """0-based row of the table's header: under the title lines, the instructions and a blank row."""
    return FIRST_INSTRUCTION + len(instructions(form)) + 1


def line_cells(form: Form) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Excel (row, column) of the two hours cells of each contract line, in the order of `form.lignes`."""
    first = header_index(form) + 2
    worked, training = (_column(name) + 1 for name in HOURS)
    return [((first + i, worked), (first + i, training)) for i in range(len(form.lignes))]


def write_filled(form: Form, path: Path, hours: Mapping[str, tuple[Any, Any]], force: bool = False) -> Path:
    """The form as a company sends it back, `hours` typed in (contract → worked, training): for the demo
    and the benchmark, which play the companies. Edited at the zip level, as Excel saves typed cells."""
    blank = write_bytes_atomic(path.with_name(f".vierge-{path.name}"), form_bytes(form), force=True)
    try:
        edits: dict[tuple[int, int], Any] = {}
        for line, (worked_cell, training_cell) in zip(form.lignes, line_cells(form)):
            worked, training = hours.get(line.contrat, (None, None))
            if worked is not None:
                edits[worked_cell] = worked
            if training is not None:
                edits[training_cell] = training
        return copy_with_edits(blank, path, {SHEET: edits}, force=force)
    finally:
        blank.unlink(missing_ok=True)


def _free_cells(sheet: Any, row: int, free_text: Any, free_hours: Any) -> None:
    for name in HOURS:
        sheet.write_blank(row, _column(name), None, free_hours)
    sheet.write_blank(row, _column("Commentaire"), None, free_text)


def _column(name: str) -> int:
    return next(j for j, (header, _, _) in enumerate(COLUMNS) if header == name)


def _identification_sheet(book: xlsxwriter.Workbook, form: Form) -> None:
    """What the import reads back: who, which month, which contracts (never shown to the company)."""
    sheet = book.add_worksheet(ID_SHEET)
    rows: list[tuple[str, Any]] = [
        (FORM_MARK, FORM_VERSION),
        ("Entreprise", form.entreprise),
        ("Mois", f"{form.mois:%Y-%m}"),
        ("Feuille", SHEET),
    ]
    rows += [("Contrat", line.contrat) for line in form.lignes]
    for i, (key, value) in enumerate(rows):
        sheet.write_string(i, 0, key)
        write_cell(sheet, i, 1, value)
    sheet.protect("")
    sheet.very_hidden()
