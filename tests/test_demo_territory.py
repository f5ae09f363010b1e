"""The demo territory keeps the workbook contract and reproduces the seed's 2018 key figures.

The 2018 figures are recomputed here in plain Python, following docs/calculs.md §3, independently of
the generator's own bookkeeping.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from clausexl.core import schema as S
from clausexl.demo_territory import REF_DATE, demo_parameters, demo_rows

YEAR = 2018
DATA_TABLES = [t.name for t in S.TABLES if t.name != "T_Parametres"]


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict[str, object]]]:
    return demo_rows()


def siret_ok(siret: str) -> bool:
    """Luhn over the 14 digits (La Poste's exception does not occur in the demo)."""
    if not re.fullmatch(r"\d{14}", siret):
        return False
    total = 0
    for i, ch in enumerate(reversed(siret)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def hours(h: dict) -> float:
    return h["heures_travaillees"] + (h["heures_formation"] or 0)


def age(birth: date, when: date) -> int:
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


def first_starts(rows) -> dict[str, date]:
    first: dict[str, date] = {}
    for c in rows["T_Contrats"]:
        p = c["participant"]
        first[p] = min(first.get(p, c["date_debut"]), c["date_debut"])
    return first


def month_index(d: date) -> int:
    return d.year * 12 + d.month


# --- Structure -----------------------------------------------------------------------------


def test_same_seed_same_rows_and_other_seed_differs():
    assert demo_rows(2018) == demo_rows(2018)
    assert demo_rows(7) != demo_rows(2018)


@pytest.mark.parametrize("seed", [1, 8, 42])
def test_other_seeds_keep_the_2018_counts(seed):
    r = demo_rows(seed)
    assert figures(r, YEAR)["participants"] == 146


def test_tables_and_column_keys(rows):
    assert sorted(rows) == sorted(DATA_TABLES)
    for name in DATA_TABLES:
        keys = set(S.table(name).keys)
        assert rows[name], name
        for row in rows[name]:
            assert set(row) == keys, (name, set(row) ^ keys)


def test_values_have_plain_types(rows):
    for name in DATA_TABLES:
        for row in rows[name]:
            for key, value in row.items():
                assert value is None or isinstance(value, (str, int, float, date)), (name, key)


def test_required_values_present(rows):
    for name in DATA_TABLES:
        table = S.table(name)
        for row in rows[name]:
            for col in table.columns:
                if col.required and not (name == "T_Marches" and col.key == "attributaire"):
                    assert row[col.key] not in (None, ""), (name, col.key, row)


def test_list_columns_hold_list_values(rows):
    for name in DATA_TABLES:
        for col in S.table(name).columns:
            allowed = S.choices_of(col)
            if not allowed:
                continue
            for row in rows[name]:
                assert row[col.key] is None or row[col.key] in allowed, (name, col.key, row[col.key])


def test_ids_unique(rows):
    for name in DATA_TABLES:
        id_col = S.table(name).id_column
        if id_col:
            ids = [r[id_col.key] for r in rows[name]]
            assert len(ids) == len(set(ids)), name


def test_references_resolve(rows):
    for ref in S.references():
        id_col = S.table(ref.target).id_column
        assert id_col is not None, ref.target
        targets = {r[id_col.key] for r in rows[ref.target]}
        for row in rows[ref.table]:
            value = row[ref.column]
            if value is not None:
                assert value in targets, (ref, value)


def test_sirets_valid(rows):
    for name in ("T_Entreprises", "T_DonneursOrdre"):
        for row in rows[name]:
            assert row["siret"] and siret_ok(row["siret"]), row["siret"]
            assert row["siret"][:9] != "356000000"


def test_formats(rows):
    rome = re.compile(r"[A-N]\d{4}")
    for name in ("T_Contrats", "T_Offres"):
        for row in rows[name]:
            assert rome.fullmatch(row["code_rome"])
    for row in rows["T_Participants"]:
        if row["metiers"]:
            assert all(rome.fullmatch(code) for code in row["metiers"].split(";"))
    for name in DATA_TABLES:
        for col in S.table(name).columns:
            for row in rows[name]:
                v = row[col.key]
                if v is None:
                    continue
                if col.kind is S.Kind.POSTAL_CODE:
                    assert isinstance(v, str) and re.fullmatch(r"\d{5}", v)
                if col.kind is S.Kind.EMAIL:
                    assert re.fullmatch(r"[a-z0-9.-]+@example\.(org|fr)", v), v
                if col.key.startswith("telephone"):
                    assert re.fullmatch(r"02 99 00 \d\d \d\d", v), v
    for row in rows["T_QPV"]:
        assert re.fullmatch(r"QP050\d{3}|QN050\d\d[NMI]", row["code"])


# --- Consistency ---------------------------------------------------------------------------


def test_hours_rows_inside_contract_months_and_unique(rows):
    contracts = {c["id"]: c for c in rows["T_Contrats"]}
    seen = Counter((h["contrat"], month_index(h["mois"])) for h in rows["T_Heures"])
    assert max(seen.values()) == 1
    for h in rows["T_Heures"]:
        c = contracts[h["contrat"]]
        m = month_index(h["mois"])
        assert month_index(c["date_debut"]) <= m <= month_index(c["date_fin"] or REF_DATE)
        assert m <= month_index(REF_DATE)
        assert 20 <= h["heures_travaillees"] <= 151
        assert hours(h) <= 200


def test_contracts_inside_their_market(rows):
    markets = {m["id"]: m for m in rows["T_Marches"]}
    companies = {e["id"]: e for e in rows["T_Entreprises"]}
    for c in rows["T_Contrats"]:
        m = markets[c["marche"]]
        assert m["date_debut"] <= c["date_debut"]
        assert c["date_fin"] is None or c["date_debut"] <= c["date_fin"] <= m["date_fin"]
        if c["employeur"] != m["attributaire"]:
            assert companies[c["employeur"]]["type"] in ("ETTI", "AI", "GEIQ", "EI")


def test_market_statuses_match_dates(rows):
    with_hours = {c["marche"] for c in rows["T_Contrats"]}
    statuses = Counter(m["statut"] for m in rows["T_Marches"])
    assert statuses["Abandonné"] == 1 and statuses["En préparation"] == 1
    for m in rows["T_Marches"]:
        if m["statut"] == "Terminé":
            assert m["date_fin"] < REF_DATE
        elif m["statut"] == "En cours":
            assert m["date_debut"] <= REF_DATE <= m["date_fin"]
        else:
            assert m["id"] not in with_hours and m["attributaire"] is None
        if m["statut"] in ("Terminé", "En cours"):
            assert m["attributaire"]
    assert {m["dispositif"] for m in rows["T_Marches"]} == set(S.DISPOSITIFS)
    assert {m["type_marche"] for m in rows["T_Marches"]} == set(S.TYPES_MARCHE)
    modes = Counter(m["mode_calcul"] for m in rows["T_Marches"])
    assert modes[S.MODE_HEURES_FIXEES] >= 1 and modes[S.MODE_PRORATA] == 1
    for m in rows["T_Marches"]:
        if m["mode_calcul"] == S.MODE_HEURES_FIXEES:
            assert m["heures_prevues"]
        if m["mode_calcul"] == S.MODE_PRORATA:
            assert m["montant_facture"] and m["euros_par_heure"]
    assert any(m["npnru"] == "Oui" for m in rows["T_Marches"])


def test_participants_criteria_consistent(rows):
    first = first_starts(rows)
    qpv_codes = {q["code"] for q in rows["T_QPV"]}
    criteria = [key for _, key in S.CRITERES]
    for p in rows["T_Participants"]:
        at = first.get(p["id"], REF_DATE)
        a = age(p["date_naissance"], at)
        assert 16 <= a <= 64
        assert (p["jeune_26"] == "Oui") == (a < 26)
        assert (p["senior_50"] == "Oui") == (a >= 50)
        assert (p["resident_qpv"] == "Oui") == (p["qpv"] is not None)
        assert p["qpv"] is None or p["qpv"] in qpv_codes
        assert any(p[k] == "Oui" for k in criteria) or p["autre_critere"]
        assert p["date_eligibilite"] <= at
        assert (at - p["date_eligibilite"]).days <= 730
        if p["vehicule"] == "Oui":
            assert p["permis_b"] == "Oui"


def test_pool_of_candidates(rows):
    with_contract = {c["participant"] for c in rows["T_Contrats"]}
    pool = [p for p in rows["T_Participants"] if p["statut"] in ("Repéré", "Orienté")]
    assert 20 <= len(pool) <= 30
    for p in pool:
        assert p["id"] not in with_contract
        assert p["metiers"] and p["disponible_le"] and p["permis_b"] in ("Oui", "Non")
    for p in rows["T_Participants"]:
        if p["id"] in with_contract:
            assert p["statut"] in ("En poste", "Sorti du dispositif")


def test_things_left_due_at_reference_date(rows):
    """A 6-month follow-up due and not recorded, and a running market behind schedule."""
    contracts = rows["T_Contrats"]
    last_end: dict[str, date] = {}
    for c in contracts:
        end = c["date_fin"] or date.max
        last_end[c["participant"]] = max(last_end.get(c["participant"], end), end)
    recorded = {(s["participant"], s["echeance"]) for s in rows["T_Suivi"]}
    due_6 = [p for p, end in last_end.items() if end < date(2019, 7, 1)]
    assert any((p, "6 mois") not in recorded for p in due_6)
    assert any(s["echeance"] == "12 mois" for s in rows["T_Suivi"])
    assert all(s["date"] <= REF_DATE for s in rows["T_Suivi"])

    done: defaultdict[str, float] = defaultdict(float)
    by_id = {c["id"]: c for c in contracts}
    for h in rows["T_Heures"]:
        done[by_id[h["contrat"]]["marche"]] += hours(h)
    late = []
    for m in rows["T_Marches"]:
        if m["statut"] != "En cours" or m["mode_calcul"] not in (S.MODE_TAUX, None) \
                or m["heures_prevues"]:
            continue
        target = m["montant_ht"] * (m["part_main_oeuvre"] or 0.40) * (m["taux_insertion"] or 0.07) \
            / (m["cout_horaire"] or 35)
        elapsed = (REF_DATE - m["date_debut"]).days / (m["date_fin"] - m["date_debut"]).days
        if done[m["id"]] < 0.8 * target * elapsed:
            late.append(m["id"])
    assert 1 <= len(late) <= 3
    assert any(o["statut"] == "Ouverte" for o in rows["T_Offres"])
    assert {c["resultat"] for c in rows["T_Candidatures"]} >= {"Proposé", "Retenu", "Non retenu"}


def test_parameters():
    params = demo_parameters()
    assert set(params) == {p.key for p in S.PARAMETERS}
    assert params["structure"] and params["facilitateur"] and params["territoire"]
    assert str(params["courriel"]).endswith("@example.org")
    assert params["cout_horaire"] == 35 and params["heures_par_etp"] == 1600


# --- The 2018 key figures (docs/calculs.md §3) --------------------------------------------------


def figures(rows, year: int) -> dict[str, float]:
    """Plain computation of the seed's key figures for `year`."""
    contracts = {c["id"]: c for c in rows["T_Contrats"]}
    people = {p["id"]: p for p in rows["T_Participants"]}
    year_rows = [h for h in rows["T_Heures"] if h["mois"].year == year]
    per_person: defaultdict[str, float] = defaultdict(float)
    for h in year_rows:
        per_person[contracts[h["contrat"]]["participant"]] += hours(h)
    participants = [p for p, n in per_person.items() if n > 0]
    first = first_starts(rows)
    n = len(participants)
    contracts_of_year = {h["contrat"] for h in year_rows if hours(h) > 0}
    markets_with_hours = {contracts[c]["marche"] for c in contracts_of_year}
    y0, y1 = date(year, 1, 1), date(year, 12, 31)
    followed = [m for m in rows["T_Marches"]
                if (m["statut"] not in ("Abandonné", "En préparation")
                    and m["date_debut"] <= y1 and m["date_fin"] >= y0)
                or m["id"] in markets_with_hours]
    engaged = {m["attributaire"] for m in followed if m["attributaire"]} \
        | {contracts[c]["employeur"] for c in contracts_of_year}
    communes = {t["commune"] for t in rows["T_Territoire"]}
    postcodes = {t["code_postal"] for t in rows["T_Territoire"]}
    companies = {e["id"]: e for e in rows["T_Entreprises"]}
    local = [e for e in engaged
             if companies[e]["commune"] in communes or companies[e]["code_postal"] in postcodes]
    return {
        "participants": n,
        "heures": sum(hours(h) for h in year_rows),
        "part_moins_26_ans": sum(age(people[p]["date_naissance"], first[p]) < 26
                                 for p in participants) / n,
        "part_sans_qualification": sum(people[p]["niveau_qualification"] == S.SANS_QUALIFICATION
                                       for p in participants) / n,
        "part_rsa": sum(people[p]["rsa"] == "Oui" for p in participants) / n,
        "marches_suivis": len(followed),
        "part_marches_travaux": sum(m["type_marche"] == "Travaux" for m in followed) / len(followed),
        "donneurs_ordre": len({m["donneur_ordre"] for m in followed}),
        "entreprises_engagees": len(engaged),
        "part_entreprises_locales": len(local) / len(engaged),
    }


def test_2018_matches_the_seed_key_figures(rows):
    f = figures(rows, YEAR)
    assert f["participants"] == 146
    assert f["heures"] == pytest.approx(28_900, rel=0.01)
    assert f["part_moins_26_ans"] == pytest.approx(0.25, abs=0.03)
    assert f["part_sans_qualification"] == pytest.approx(0.25, abs=0.03)
    assert f["part_rsa"] == pytest.approx(0.45, abs=0.03)
    assert f["marches_suivis"] == 30
    assert f["part_marches_travaux"] == pytest.approx(0.55, abs=0.05)
    assert f["donneurs_ordre"] == 14
    assert f["entreprises_engagees"] == 29
    assert 0.4 <= f["part_entreprises_locales"] <= 0.6


def test_2017_smaller_and_2019_larger(rows):
    f17, f18, f19 = (figures(rows, y) for y in (2017, 2018, 2019))
    assert f17["participants"] < f18["participants"] < f19["participants"]
    assert f17["heures"] < f18["heures"] < f19["heures"]
    assert f17["marches_suivis"] < f18["marches_suivis"] < f19["marches_suivis"]
