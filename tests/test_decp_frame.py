"""The consolidated DECP classified in polars (`core.decp_frame.tally`) is `decp.classify` record by record:
messy consolidated rows are merged here by a small reference (the documented rules, one v2 record per
market) and classified one by one; both tallies must be equal, field by field and in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any
from unittest import mock

import pandas as pd
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from clausexl.core import decp, decp_frame
from clausexl.core.decp_columns import OPTIONAL, REQUIRED

WORKBOOK_BUYER = "21750001630040"      # T_DonneursOrdre D1 (typed with spaces in the workbook)
STATE_BUYER = "11000201100044"         # T_DonneursOrdre D2, « État ou établissement public »
KNOWN_AWARDEE = "81223113200026"       # T_Entreprises E1
PARAMS = {"part_main_oeuvre": 0.4, "taux_insertion": 0.07, "cout_horaire": 35, "arrondi": 1}


def text(*values: str | None) -> st.SearchStrategy[str | None]:
    return st.sampled_from(values)


def mostly(usual: tuple[str | None, ...], odd: tuple[str | None, ...]) -> st.SearchStrategy[str | None]:
    """A usual value three times in four, so that most markets get through to the end of `classify`."""
    return st.one_of(text(*usual), text(*usual), text(*usual), text(*odd))


ROW = st.fixed_dictionaries({
    "uid": mostly(("U1", "U2", "U3", " U1", ""), ("u1", None, "NC", "U4")),  # « U1 » twice: a duplicate
    "id": mostly(("A", "B", "C"), (" A ", "", "  ", None, "NC", "CDL", "Réf-ü", "A\x1c", "\u2003B")),
    "acheteur_id": mostly((WORKBOOK_BUYER, STATE_BUYER, "21500129100019"),
                          ("217 500 016 30040", "99999999999999", "2150012910001", "215 0012910001", "", None, "ABC")),
    "objet": mostly(("Voirie", "École"), (" voirie ", "", None, "NC")),
    "montant": mostly(("1000", "250000.0", "216000", "215999.99", "216 000,00", "5404000", "140000", "1E+5",
                       "216000.0000000000000000000000000001"),
                      ("-5", "3e12", "99999999999.99", "abc", "NaN", "Infinity", "", None, "1,5",
                       "\u202f1\u202f000\xa0000")),
    "dateNotification": mostly(("2026-09-01", "2026-08-21", "2026-08-22T10:00:00+02:00", "2025-06-30", "2024-01-01",
                                "2023-12-31"), ("2026", "pas une date", " 2026-09-01", "2027-13-01", "", None)),
}, optional={
    "acheteur_nom": text("Ville", " Ville ", "NC", None),
    "acheteur_categorie": text("Commune", "État", "Ministère des armées", "Entité adjudicatrice", " etat ", "NC",
                               None),
    "acheteur_departement_code": mostly(("50",), ("75", " 50", "2A", "", None)),
    "lieuExecution_code": mostly(("50100", "50"), ("75001", "20000", "20200", "2A004", "2B033", "97411", "974",
                                                   " 50100", "5", "FR", "", None)),
    "lieuExecution_typeCode": text("Code postal", "Code département", "Code commune", "Code région", "Code pays",
                                   None),
    "codeCPV": text("45233140-2", "90910000-9", "71000000", "48000000", "30000000", "NC", "abc", None),
    "ccag": text("Travaux", " travaux ", "Prestations intellectuelles", "Fournitures courantes", None),
    "nature": mostly(("Marché", None), ("Concession de travaux", "CONCESSION", "Marché de partenariat", "", "NC")),
    "type": text("Marché", "Concession de service", None),
    "procedure": text("Appel d'offres ouvert", " MAPA ", "NC", None),
    "dureeMois": text("12", "12.0", "abc", "99999999", "-3", None),
    "considerationsSociales": mostly(("Clause sociale, Critère social", "Sans objet", "Pas de considération sociale",
                                      None), ("clause  sociale", "NC", "CDL", " Marché réservé ,Clause sociale",
                                              "critere SOCIAL", "Autre chose", "")),
    "titulaire_id": mostly((KNOWN_AWARDEE, "81223113200034"), ("812 231 132 00026", "FR123", "FR123456789012",
                                                               "٨١٢٢٣١١٣٢٠٠٠٢٦", "", None)),
    "titulaire_typeIdentifiant": text("SIRET", "siret", "TVA", "", "NC", None),
    "donneesActuelles": text("true", "false", "True", "1", "0", "oui", None),
})


@st.composite
def territories(draw: st.DrawFn) -> decp.Territory:
    donneurs = pd.DataFrame({"id": ["D1", "D2"], "siret": ["217 500 016 30040", STATE_BUYER],
                             "categorie": ["Commune", "État ou établissement public"]})
    followed = draw(st.lists(st.sampled_from([("u1", "D9", "Autre"), ("A", None, None), ("x", "D1", "VOIRIE"),
                                              ("y", "D2", "École"), (None, "D1", "voirie"), (" ", "D2", "ecole")]),
                             max_size=2))
    marches = pd.DataFrame({"reference_decp": [r for r, _, _ in followed], "donneur_ordre": [d for _, d, _ in followed],
                            "objet": [o for _, _, o in followed]})
    entreprises = pd.DataFrame({"siret": [KNOWN_AWARDEE], "id": ["E1"], "raison_sociale": ["Bâtir"]})
    day = st.none() | st.sampled_from([dt.date(2025, 1, 1), dt.date(2026, 8, 22), dt.date(2026, 9, 1)])
    return decp.build_territory(
        donneurs, marches, entreprises, PARAMS, draw(st.sampled_from([(), ("50",), ("50",), ("2A",), ("974",), ("50", "75")])),
        draw(st.none() | st.sampled_from([Decimal("200000"), Decimal("216000.00")])), draw(day),
        draw(st.sampled_from([(), ("50100",), ("20000", "75001")])), draw(day))


def reference_records(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One v2 record per market, by the documented rules: key `uid`, else buyer + id; the attributes of the
    row marked `donneesActuelles`, else the first; the earliest date of at least ten characters; every
    holder once, with the kind of its first row; `nature`, else `type`."""
    markets: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        key = row["uid"] or f"{row['acheteur_id'] or ''}{row['id'] or ''}"
        markets.setdefault(key, []).append(row)
    records = []
    for key, group in markets.items():
        r = next((r for r in group if (r.get("donneesActuelles") or "").lower() in ("true", "1", "oui")), group[0])
        dates = [d[:10] for g in group if (d := g["dateNotification"]) is not None and len(d) >= 10]
        holders: dict[str, Any] = {}
        for g in group:
            if g.get("titulaire_id"):
                holders.setdefault(g["titulaire_id"], g.get("titulaire_typeIdentifiant"))
        months = r.get("dureeMois")  # a float column's « 12.0 » is 12
        records.append({
            "uid": key, "id": r["id"], "objet": r["objet"], "montant": r["montant"],
            "dateNotification": min(dates) if dates else r["dateNotification"],
            "acheteur": {"id": r["acheteur_id"], "nom": r.get("acheteur_nom"), "categorie": r.get("acheteur_categorie"),
                         "departement": r.get("acheteur_departement_code")},
            "lieuExecution": {"code": r.get("lieuExecution_code"), "typeCode": r.get("lieuExecution_typeCode")},
            "codeCPV": r.get("codeCPV"), "ccag": r.get("ccag"),
            "nature": r.get("nature") if r.get("nature") is not None else r.get("type"),
            "procedure": r.get("procedure"),
            "dureeMois": months.split(".")[0] if months and months.replace(".", "", 1).isdigit() else months,
            "considerationsSociales": r.get("considerationsSociales"),
            "titulaires": [{"id": h, "typeIdentifiant": k} for h, k in holders.items()],
        })
    return records


def frame_of(rows: list[dict[str, Any]], absent: set[str]) -> pl.DataFrame:
    columns = [c for c in (*REQUIRED, *OPTIONAL) if c not in absent]
    return pl.DataFrame([{c: row.get(c) for c in columns} for row in rows], schema=dict.fromkeys(columns, pl.String))


def assert_same(rows: list[dict[str, Any]], territory: decp.Territory, absent: Collection[str] = ()) -> decp.Tally:
    expected = decp.Tally()
    records = reference_records(rows)
    expected.add_all(enumerate(records, start=1), territory)
    expected.merged_rows = len(rows) - len(records)
    got = decp_frame.tally(frame_of(rows, set(absent)), territory)
    assert got == expected
    assert list(got.malformed.items()) == list(expected.malformed.items())  # the order the JSON output shows
    assert [repr(c) for c in got.candidates] == [repr(c) for c in expected.candidates]  # Decimal('1E+5') kept
    return got


@settings(max_examples=400, deadline=None)
@given(rows=st.lists(ROW, max_size=30), territory=territories(),
       absent=st.sets(st.sampled_from(OPTIONAL), max_size=4), examples=st.sampled_from([2, decp.MAX_EXAMPLES]))
def test_classified_in_polars_as_record_by_record(rows: list[dict[str, Any]], territory: decp.Territory,
                                                  absent: set[str], examples: int) -> None:
    """Counts, malformed reasons (order, positions, ids, the first MAX_EXAMPLES), candidates (order, every
    field and its type) equal to `classify` on each market merged by the reference."""
    rows = [{k: v for k, v in row.items() if k not in absent} for row in rows]
    with mock.patch.object(decp, "MAX_EXAMPLES", examples):
        assert_same(rows, territory, absent)


def row(**values: str | None) -> dict[str, str | None]:
    base: dict[str, str | None] = {"uid": None, "id": "A", "acheteur_id": WORKBOOK_BUYER, "objet": "Voirie",
                                   "montant": "1000", "dateNotification": "2026-09-01"}
    return {**base, **values}


def test_one_market_per_uid_by_the_rules() -> None:
    """Current row's attributes (else the first), earliest full date, SIRET holders once each in order with the
    kind of their first row, buyer + id when the uid is empty, markets in order of their first row."""
    territory = decp.build_territory(pd.DataFrame({"id": ["D1"], "siret": [WORKBOOK_BUYER], "categorie": ["Commune"]}),
                                     pd.DataFrame({"reference_decp": [], "donneur_ordre": [], "objet": []}),
                                     pd.DataFrame({"siret": [], "id": [], "raison_sociale": []}), PARAMS)
    rows = [
        row(uid="", id="A1", objet="sans uid", montant="10", titulaire_id=KNOWN_AWARDEE),
        row(uid="U2", objet="ancien", montant="1", dateNotification="2024-05-02T00:00:00",
            titulaire_id="81223113200034", titulaire_typeIdentifiant="SIRET", donneesActuelles="false"),
        row(uid="U2", objet="actuel", montant="2", dateNotification="2024-06-01", titulaire_id=KNOWN_AWARDEE,
            titulaire_typeIdentifiant="TVA", donneesActuelles="true"),
        row(uid="U2", objet="autre", montant="3", dateNotification="2024", titulaire_id="812 231 132 00034",
            titulaire_typeIdentifiant=None, donneesActuelles="false"),
        row(uid="U3", objet="premier", montant="5", dateNotification=None, donneesActuelles="False"),
        row(uid="U3", objet="second", montant="6", dateNotification="bad", titulaire_id=""),
    ]
    tally = assert_same(rows, territory)
    assert [(c.uid, c.objet, c.montant, c.date_notification, c.titulaires) for c in tally.candidates] == [
        (f"{WORKBOOK_BUYER}A1", "sans uid", Decimal(10), dt.date(2026, 9, 1), (KNOWN_AWARDEE,)),
        ("U2", "actuel", Decimal(2), dt.date(2024, 5, 2), ("81223113200034",)),
        ("U3", "premier", Decimal(5), None, ())]
    assert (tally.records, tally.merged_rows) == (3, 3)


def test_values_as_published_and_the_others() -> None:
    """The values the frame takes as they are (a SIRET of 14 ASCII digits, a text that starts and ends with a
    letter or digit) and those that look alike but go through the helpers: a 14-character buyer with a space,
    14 characters that are not all digits, Arabic-Indic digits, a holder marked TVA, NC, padded texts."""
    territory = decp.build_territory(pd.DataFrame({"id": ["D1"], "siret": [WORKBOOK_BUYER], "categorie": ["Commune"]}),
                                     pd.DataFrame({"reference_decp": [], "donneur_ordre": [], "objet": []}),
                                     pd.DataFrame({"siret": [], "id": [], "raison_sociale": []}), PARAMS, ["50"])
    rows = [row(uid=uid, id=rid, objet=objet, acheteur_id=buyer, titulaire_id=holder, titulaire_typeIdentifiant=kind,
                acheteur_departement_code="50")
            for uid, rid, objet, buyer, holder, kind in [
                ("U1", "A", "Voirie", WORKBOOK_BUYER, KNOWN_AWARDEE, "SIRET"),
                ("U2", " A", "Voirie ", "215 0012910001", "FR123456789012", "SIRET"),
                ("U3", "A\x1c", "\u2003Voirie", "2150012910001X", "٨١٢٢٣١١٣٢٠٠٠٢٦", None),
                ("U4", "NC", "Voirie", WORKBOOK_BUYER, KNOWN_AWARDEE, "TVA"),
                ("U5", "B", "CDL", WORKBOOK_BUYER, "812 231 132 00026", "siret"),
                (" U6", "B.", "École", WORKBOOK_BUYER, KNOWN_AWARDEE, "NC"),
                ("U7", "C", "Voirie", WORKBOOK_BUYER, KNOWN_AWARDEE, "TVA")]]
    tally = assert_same(rows, territory)
    assert [(c.uid, c.id, c.objet, c.acheteur, c.titulaires) for c in tally.candidates] == [
        ("U1", "A", "Voirie", WORKBOOK_BUYER, (KNOWN_AWARDEE,)),
        ("U2", "A", "Voirie", "2150012910001", ()),
        ("U3", "A", "Voirie", "2150012910001X", ("٨١٢٢٣١١٣٢٠٠٠٢٦",)),
        ("U6", "B.", "École", WORKBOOK_BUYER, (KNOWN_AWARDEE,)), ("U7", "C", "Voirie", WORKBOOK_BUYER, ())]
    assert tally.examples == [(4, None, decp.NO_ID), (5, "B", decp.NO_OBJECT)]


def test_malformed_positions_and_duplicates() -> None:
    """Positions are those of the merged markets; a uid met again after trimming is a duplicate."""
    territory = decp.build_territory(pd.DataFrame({"id": ["D1"], "siret": [WORKBOOK_BUYER], "categorie": ["Commune"]}),
                                     pd.DataFrame({"reference_decp": [], "donneur_ordre": [], "objet": []}),
                                     pd.DataFrame({"siret": [], "id": [], "raison_sociale": []}), PARAMS)
    rows = [row(uid="U1"), row(uid="U2", id=" "), row(uid=" U1"), row(uid="U4", montant="-1"),
            row(uid="U5", acheteur_id="99999999999999")]
    tally = assert_same(rows, territory)
    assert (tally.doublons, tally.hors_territoire, len(tally.candidates)) == (1, 1, 1)
    assert tally.examples == [(2, None, decp.NO_ID),
                              (4, "A", "montant aberrant (négatif ou d'au moins 100 milliards d'euros)")]


@settings(max_examples=200, deadline=None)
@given(amounts=st.lists(st.decimals(min_value=0, max_value=10**11, allow_nan=False, allow_infinity=False) |
                        st.sampled_from([Decimal("1E+5"), Decimal("216000.0000000000000000000000000001")]),
                        max_size=5),
       params=st.fixed_dictionaries({"arrondi": st.sampled_from([1, 0.5, 0, 7, None])}, optional={
           "part_main_oeuvre": st.sampled_from([0.4, 0, 1.0, 0.333]), "taux_insertion": st.sampled_from([0.07, 0.05]),
           "cout_horaire": st.sampled_from([35, 0, 27.5])}))
def test_hours_of_many_amounts_are_computed_target(amounts: list[Decimal], params: dict[str, Any]) -> None:
    """`hours.computed_targets` (the parameters read once, for the consolidated files) is `computed_target` of
    each amount, missing or zero parameters included."""
    from clausexl.core.hours import computed_target, computed_targets

    assert computed_targets(amounts, params) == [computed_target({"montant_ht": a}, params) for a in amounts]
