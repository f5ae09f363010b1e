"""The validation rules of docs/classeur.md, over typed tables, vectorised.

Each rule returns findings; none raises on bad data. Reading already reported types, lists and
required values (see `classeur.load_classeur`); the rules here are about keys, references,
formats and consistency between cells and tables.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pandas as pd

from . import schema
from .classeur import ROW, Classeur
from .emails import email_addresses, header_text
from .findings import Finding, finding
from .identifiers import siret_is_valid
from .people import age_at
from .values import DATE, HOURS, MONTH, NUMBER

Rule = Callable[[Classeur], Iterator[Finding]]
ROME = re.compile(r"^[A-N]\d{4}$")
POSTAL = re.compile(r"^\d{5}$")
RULES: list[Rule] = []


DatedRule = Callable[[Classeur, dt.date], Iterator[Finding]]
DATED_RULES: list[DatedRule] = []


def rule(func: Rule) -> Rule:
    RULES.append(func)
    return func


def dated_rule(func: DatedRule) -> DatedRule:
    """A rule that looks from the reference date (run only when one is given)."""
    DATED_RULES.append(func)
    return func


def validate(classeur: Classeur, au: dt.date | None = None) -> list[Finding]:
    """Every finding of the workbook: reading findings first, then the rules, in sheet order.

    `au` is the reference date of the rules that look from a date (the core reads no clock: the
    verb passes its --au, or the button its day); without it, those rules are not run. References
    are first matched to keys ignoring case and spaces (`match_ids`), as every verb does.
    """
    classeur, approximate = match_ids(classeur)
    found = [*classeur.findings, *approximate]
    for check in RULES:
        found.extend(check(classeur))
    if au is not None:
        for dated in DATED_RULES:
            found.extend(dated(classeur, au))
    order = {t.name: i for i, t in enumerate(schema.TABLES)}
    sheet_order = {classeur.sheet(name): i for name, i in order.items()}
    found.sort(key=lambda f: (sheet_order.get(f.sheet, 99), f.row or 0))
    return found


# --- keys and references -------------------------------------------------------------------

def id_key(values: pd.Series) -> pd.Series:
    """How keys and references are compared: case and surrounding spaces ignored."""
    return values.map(lambda v: v.strip().casefold() if isinstance(v, str) else v)


def id_of(table: str) -> str:
    """The key column of a table that has one (every target of a reference does)."""
    column = schema.table(table).id_column
    if column is None:
        raise KeyError(f"{table} has no ID column")
    return column.key


def match_ids(c: Classeur) -> tuple[Classeur, list[Finding]]:
    """References that match a key only when case and surrounding spaces are ignored, read as that key.

    Returns the workbook with those references rewritten to the key as the target table spells
    it (its first row of that spelling), and one warning per reference rewritten. A reference
    typed with spaces around it (`P01 `) was stripped in reading (`Classeur.padded` keeps what was
    typed): when it then equals a key, it gets the same warning.
    """
    found: list[Finding] = []
    tables = dict(c.tables)
    for ref in schema.references():
        if ref.table not in tables or ref.target not in tables:
            continue
        known = tables[ref.target][id_of(ref.target)].dropna()
        values = tables[ref.table][ref.column]
        unchanged = tables[ref.table] is c.tables[ref.table] and tables[ref.target] is c.tables[ref.target]
        odd = unknown_references(c, ref) if unchanged else values.notna() & ~values.isin(known)
        typed = c.padded.get((ref.table, ref.column), {})
        spaced = tables[ref.table][ROW].isin(typed) & ~odd & values.notna() if typed else None
        if not odd.any() and (spaced is None or not spaced.any()):
            continue
        spelling = dict(zip(id_key(known)[::-1], known[::-1]))  # the first row's spelling wins
        matched = id_key(values[odd]).map(spelling)
        matched = matched[matched.notna()]
        if spaced is not None:
            matched = pd.concat([matched, values[spaced]]).sort_index()
        if matched.empty:
            continue
        frame = tables[ref.table].copy()
        header = schema.table(ref.table).column(ref.column).header
        rows: list[Any] = frame.loc[matched.index, ROW].tolist()
        typed_values: list[Any] = frame.loc[matched.index, ref.column].tolist()
        for row, value, canonical in zip(rows, typed_values, matched.tolist()):
            shown = typed.get(int(row), value)
            found.append(finding("identifiant-approche", c.sheet(ref.table), int(row), header,
                                 shown, f"« {shown} » a été lu comme « {canonical} » de la feuille "
                                 f"{c.sheet(ref.target)} ({_ignored(shown, canonical)}) : corrigez la saisie."))
        frame.loc[matched.index, ref.column] = matched.to_numpy()
        tables[ref.table] = frame
    return (replace(c, tables=tables) if found else c), found


def _ignored(typed: str, key: str) -> str:
    """What made `typed` differ from `key`: its case, the spaces around it, or both."""
    spaces = typed != typed.strip()
    case = typed.strip() != key
    return "majuscules et espaces ignorés" if spaces and case else (
        "espaces autour ignorés" if spaces else "majuscules ignorées")


@rule
def unique_keys(c: Classeur) -> Iterator[Finding]:
    for t in schema.TABLES:
        key = t.id_column
        if key is None or t.name not in c.tables:
            continue
        frame = c[t.name]
        ids = frame[key.key]
        folded = id_key(ids)
        dup = ids.notna() & folded.duplicated(keep="first")
        if not dup.any():
            continue
        first_row = frame[ids.notna()].assign(_cle=folded).drop_duplicates("_cle").set_index("_cle")[ROW]
        for value, fold_, row in zip(ids[dup], folded[dup], frame[ROW][dup]):
            yield finding("cle-en-double", c.sheet(t.name), int(row), key.header, value,
                          f"L'identifiant « {value} » est déjà utilisé ligne {int(first_row[fold_])} "
                          "(majuscules et espaces ignorés) : choisissez un identifiant unique.")


@rule
def padded_keys(c: Classeur) -> Iterator[Finding]:
    """An ID typed with spaces around it (`P03 `) is read without them, as its references are: said, so
    that the sheet gets corrected (a lookup or a filter in Excel would not find it)."""
    for t in schema.TABLES:
        key = t.id_column
        if key is None or t.name not in c.tables:
            continue
        for row, typed in sorted(c.padded.get((t.name, key.key), {}).items()):
            yield finding("identifiant-approche", c.sheet(t.name), row, key.header, typed,
                          f"L'identifiant « {typed} » a des espaces autour : il est lu « {typed.strip()} » ; "
                          "corrigez la saisie.")


@rule
def references(c: Classeur) -> Iterator[Finding]:
    for ref in schema.references():
        if ref.table not in c.tables or ref.target not in c.tables:
            continue
        frame = c[ref.table]
        values = frame[ref.column]
        bad = unknown_references(c, ref)
        col = schema.table(ref.table).column(ref.column)
        code = "qpv-inconnu" if ref.target == "T_QPV" else "reference-inconnue"
        what = _WHAT.get(ref.target, "L'identifiant")
        for value, row in zip(values[bad], frame[ROW][bad]):
            yield finding(code, c.sheet(ref.table), int(row), col.header, value,
                          f"{what} « {value} » n'existe pas dans la feuille {c.sheet(ref.target)}.")


def unknown_references(c: Classeur, ref: schema.Reference) -> pd.Series:
    """The rows whose reference is filled but names no key of its target, as a mask.

    Made once per workbook: `match_ids` and the `references` rule both need it (when `match_ids`
    rewrites nothing, the rule runs on the same workbook).
    """
    key = f"references {ref.table}.{ref.column} {ref.target}"
    if key not in c.derived:
        known = c[ref.target][id_of(ref.target)].dropna()  # a Series: `set()` of it boxes each ID
        values = c[ref.table][ref.column]
        c.derived[key] = values.notna() & ~values.isin(known)
    mask: pd.Series = c.derived[key]
    return mask


_WHAT = {
    "T_Marches": "Le marché", "T_DonneursOrdre": "Le donneur d'ordre", "T_Entreprises": "L'entreprise",
    "T_Participants": "Le participant", "T_Contrats": "Le contrat", "T_Offres": "L'offre",
    "T_QPV": "Le code QPV",
}


# --- formats -------------------------------------------------------------------------------

def _filled_cells(c: Classeur, *kinds: schema.Kind) -> Iterator[tuple[schema.Table, schema.Column, Any, int]]:
    """Every filled cell of the columns of these kinds: (table, column, value, Excel row)."""
    for t in schema.TABLES:
        if t.name not in c.tables:
            continue
        for col in t.columns:
            if col.kind not in kinds:
                continue
            frame = c[t.name]
            for value, row in zip(frame[col.key], frame[ROW]):
                if value is not None:
                    yield t, col, value, int(row)


@rule
def sirets(c: Classeur) -> Iterator[Finding]:
    for t, col, value, row in _filled_cells(c, schema.Kind.SIRET):
        digits = value.replace(" ", "")
        if not siret_is_valid(digits):
            reason = "il doit compter 14 chiffres" if not (digits.isdigit() and len(digits) == 14) \
                else "sa clé de contrôle est fausse"
            yield finding("siret-invalide", c.sheet(t.name), row, col.header, value,
                          f"Le SIRET « {value} » est invalide ({reason}) : vérifiez-le.")


@rule
def rome_codes(c: Classeur) -> Iterator[Finding]:
    for t, col, value, row in _filled_cells(c, schema.Kind.ROME, schema.Kind.ROME_LIST):
        codes = [v.strip().upper() for v in value.split(";")] if col.kind is schema.Kind.ROME_LIST \
            else [value.strip().upper()]
        for code in codes:
            if code and not ROME.match(code):
                yield finding("rome-invalide", c.sheet(t.name), row, col.header, value,
                              f"Le code ROME « {code} » est invalide : il s'écrit une lettre de A à N "
                              "et 4 chiffres (ex. F1703).")


@rule
def postal_codes(c: Classeur) -> Iterator[Finding]:
    for t, col, value, row in _filled_cells(c, schema.Kind.POSTAL_CODE):
        if not POSTAL.match(normalise_postal(value)):
            yield finding("code-postal-invalide", c.sheet(t.name), row, col.header, value,
                          f"Le code postal « {value} » n'a pas 5 chiffres.")


@rule
def email_columns(c: Classeur) -> Iterator[Finding]:
    """Addresses that would break an e-mail (a line break) or reach only part of what was typed."""
    for t, col, value, row in _filled_cells(c, schema.Kind.EMAIL):
        if email_addresses(value) is None:
            yield finding("courriel-invalide", c.sheet(t.name), row, col.header, value,
                          f"Le courriel « {header_text(value)} » n'est pas une adresse valide : écrivez "
                          "nom@domaine.fr, une adresse par cellule ou plusieurs séparées par « ; ».")


def normalise_postal(value: str) -> str:
    """50100 read as a number arrives as "50100"; 1000 as "1000" → "01000"."""
    text = value.replace(" ", "")
    return text.zfill(5) if text.isdigit() and len(text) == 4 else text


# --- dates ---------------------------------------------------------------------------------

@rule
def inverted_dates(c: Classeur) -> Iterator[Finding]:
    for name in ("T_Marches", "T_Contrats", "T_QPV"):
        if name not in c.tables:
            continue
        t = schema.table(name)
        start, end = ("valide_du", "valide_au") if name == "T_QPV" else ("date_debut", "date_fin")
        frame = c[name]
        bad = frame[end] < frame[start]
        for s, e, row in zip(frame[start][bad], frame[end][bad], frame[ROW][bad]):
            yield finding("dates-inversees", c.sheet(name), int(row), t.column(end).header, DATE.cell(e),
                          f"La date de fin ({DATE.cell(e)}) précède la date de début ({DATE.cell(s)}) : "
                          "corrigez l'une des deux.")


@rule
def contract_within_market(c: Classeur) -> Iterator[Finding]:
    if "T_Contrats" not in c.tables or "T_Marches" not in c.tables:
        return
    markets = c["T_Marches"].drop_duplicates("id").set_index("id")[["date_debut", "date_fin"]]
    ct = c["T_Contrats"].join(markets.add_suffix("_marche"), on="marche")
    early = ct["date_debut"] < ct["date_debut_marche"]
    late = ct["date_fin"].fillna(ct["date_debut"]) > ct["date_fin_marche"]
    for _, r in ct[early | late].iterrows():
        if r["date_debut"] < r["date_debut_marche"]:
            yield finding("contrat-hors-marche", c.sheet("T_Contrats"), int(r[ROW]), "Date de début",
                          DATE.cell(r["date_debut"]),
                          f"Le contrat commence le {DATE.cell(r['date_debut'])}, avant le début du marché "
                          f"{r['marche']} ({DATE.cell(r['date_debut_marche'])}) : vérifiez les dates "
                          "(une prolongation du marché ?).")
        else:
            end = r["date_fin"] if pd.notna(r["date_fin"]) else r["date_debut"]
            yield finding("contrat-hors-marche", c.sheet("T_Contrats"), int(r[ROW]), "Date de fin",
                          DATE.cell(end),
                          f"Le contrat finit le {DATE.cell(end)}, après la fin du marché {r['marche']} "
                          f"({DATE.cell(r['date_fin_marche'])}) : vérifiez les dates (une prolongation du marché ?).")


# --- hours ---------------------------------------------------------------------------------

@rule
def hours_values(c: Classeur) -> Iterator[Finding]:
    if "T_Heures" not in c.tables:
        return
    h = c["T_Heures"]
    for key, header in (("heures_travaillees", "Heures travaillées"), ("heures_formation", "Heures de formation")):
        for value, row in zip(h[key][h[key] < 0], h[ROW][h[key] < 0]):
            yield finding("heures-negatives", c.sheet("T_Heures"), int(row), header, value,
                          f"Les heures ne peuvent pas être négatives ({NUMBER.bare(value)}) : corrigez le relevé.")
    total = h["heures_travaillees"].fillna(0) + h["heures_formation"].fillna(0)
    for value, row in zip(total[total > 250], h[ROW][total > 250]):
        yield finding("heures-excessives", c.sheet("T_Heures"), int(row), "Heures travaillées", value,
                      f"{HOURS.bare(value)} heures en un mois dépassent le maximum de 250 : corrigez le relevé.")
    high = (total > 200) & (total <= 250)
    for value, row in zip(total[high], h[ROW][high]):
        yield finding("heures-elevees", c.sheet("T_Heures"), int(row), "Heures travaillées", value,
                      f"{HOURS.bare(value)} heures en un mois, c'est beaucoup : vérifiez le relevé.")


# Rules over one table open alike (table absent: nothing to say); hours_values and this one differ after.
@rule
def duplicate_months(c: Classeur) -> Iterator[Finding]:
    if "T_Heures" not in c.tables:
        return
    h = c["T_Heures"]
    valid = h["contrat"].notna() & h["mois"].notna()
    dup = valid & h.duplicated(["contrat", "mois"], keep="first")
    if not dup.any():
        return
    first = h[valid].drop_duplicates(["contrat", "mois"]).set_index(["contrat", "mois"])[ROW]
    for contrat, mois, row in zip(h["contrat"][dup], h["mois"][dup], h[ROW][dup]):
        yield finding("mois-en-double", c.sheet("T_Heures"), int(row), "Mois", MONTH.cell(mois),
                      f"Le contrat {contrat} a déjà une ligne pour {MONTH.cell(mois)} (ligne "
                      f"{int(first[(contrat, mois)])}) : regroupez les heures sur une seule ligne.")


@rule
def month_within_contract(c: Classeur) -> Iterator[Finding]:
    if "T_Heures" not in c.tables or "T_Contrats" not in c.tables:
        return
    contracts = c["T_Contrats"].drop_duplicates("id").set_index("id")[["date_debut", "date_fin"]]
    h = c["T_Heures"].join(contracts, on="contrat")
    # Compared as numpy months (NaT compares False): `.dt.to_period` costs seconds on 400 000 rows.
    month, start, end = (h[k].to_numpy().astype("datetime64[M]") for k in ("mois", "date_debut", "date_fin"))
    bad = (month < start) | (month > end)
    for _, r in h[bad].iterrows():
        until = MONTH.cell(r["date_fin"]) if pd.notna(r["date_fin"]) else "en cours"
        yield finding("mois-hors-contrat", c.sheet("T_Heures"), int(r[ROW]), "Mois", MONTH.cell(r["mois"]),
                      f"Heures saisies pour {MONTH.cell(r['mois'])}, hors des dates du contrat {r['contrat']} "
                      f"({MONTH.cell(r['date_debut'])} – {until}) : vérifiez le mois ou les dates du contrat.")


# --- participants --------------------------------------------------------------------------

def first_contract_start(c: Classeur) -> pd.Series:
    """Earliest Date de début of each participant's contracts, aligned on T_Participants (NaT if none)."""
    p = c["T_Participants"]
    first = c["T_Contrats"].groupby("participant")["date_debut"].min()
    return pd.Series(first.reindex(p["id"]).to_numpy(dtype="datetime64[s]"), index=p.index)


@rule
def eligibility(c: Classeur) -> Iterator[Finding]:
    if "T_Participants" not in c.tables:
        return
    p = c["T_Participants"]
    keys = [key for _, key in schema.CRITERES]
    has_criterion = p[keys].any(axis=1) | p["autre_critere"].notna()
    for pid, row in zip(p["id"][~has_criterion], p[ROW][~has_criterion]):
        yield finding("sans-critere", c.sheet("T_Participants"), int(row), "Autre critère", None,
                      f"Le participant {pid} ne remplit aucun critère d'éligibilité : cochez un critère "
                      "(DELD, RSA…) ou précisez « Autre critère ».")
    has_code = p["qpv"].notna()
    mismatch = has_code != p["resident_qpv"]
    for code, flag, row in zip(p["qpv"][mismatch], p["resident_qpv"][mismatch], p[ROW][mismatch]):
        message = ("« Résident QPV » est à Non alors qu'un code QPV est saisi : mettez Oui."
                   if code is not None else
                   "« Résident QPV » est à Oui sans code QPV : saisissez le code du quartier dans la colonne QPV.")
        yield finding("resident-qpv-incoherent", c.sheet("T_Participants"), int(row), "Résident QPV",
                      "Oui" if flag else "Non", message)


@rule
def age_flags(c: Classeur) -> Iterator[Finding]:
    if "T_Participants" not in c.tables or "T_Contrats" not in c.tables:
        return
    p = c["T_Participants"]
    ref = first_contract_start(c)
    ages = age_at(p["date_naissance"], ref)
    young = p["jeune_26"] & (ages >= 26)
    for age, row in zip(ages[young], p[ROW][young]):
        yield finding("jeune-incoherent", c.sheet("T_Participants"), int(row), "Jeune -26 ans", "Oui",
                      f"« Jeune -26 ans » est à Oui mais la personne avait {int(age)} ans à son premier contrat.")
    senior = p["senior_50"] & (ages < 50)
    for age, row in zip(ages[senior], p[ROW][senior]):
        yield finding("senior-incoherent", c.sheet("T_Participants"), int(row), "Senior 50 ans et +", "Oui",
                      f"« Senior 50 ans et + » est à Oui mais la personne avait {int(age)} ans à son premier "
                      "contrat.")


@dated_rule
def eligibility_age(c: Classeur, au: dt.date) -> Iterator[Finding]:
    """Eligibility checked more than 24 months before the first contract (or before `au` in the pool)."""
    if "T_Participants" not in c.tables or "T_Contrats" not in c.tables:
        return
    p = c["T_Participants"]
    first = first_contract_start(c)
    today = pd.Timestamp(au)
    pool = p["statut"].isin(("Repéré", "Orienté")) & first.isna()
    reference = first.mask(pool, today)
    limit = reference - pd.DateOffset(months=24)
    old = p["date_eligibilite"].notna() & reference.notna() & (p["date_eligibilite"] < limit)
    for d, ref, is_pool, row in zip(p["date_eligibilite"][old], reference[old], pool[old], p[ROW][old]):
        when = f"le {DATE.cell(ref)}" if is_pool else f"le contrat du {DATE.cell(ref)}"
        yield finding("eligibilite-ancienne", c.sheet("T_Participants"), int(row), "Date d'éligibilité",
                      DATE.cell(d), f"L'éligibilité date du {DATE.cell(d)}, plus de 24 mois avant {when} : "
                      "vérifiez-la de nouveau.")


# --- markets -------------------------------------------------------------------------------

@rule
def market_targets(c: Classeur) -> Iterator[Finding]:
    if "T_Marches" not in c.tables:
        return
    m = c["T_Marches"]
    mode = m["mode_calcul"].fillna(schema.MODE_TAUX)
    typed = m["heures_prevues"].notna()
    fixed_missing = (mode == schema.MODE_HEURES_FIXEES) & ~typed
    prorata_missing = (mode == schema.MODE_PRORATA) & ~typed & m["euros_par_heure"].isna()
    rate_missing = (mode == schema.MODE_TAUX) & ~typed & m["montant_ht"].isna()
    for mask, column, message in (
        (fixed_missing, "Heures prévues",
         "Le mode de calcul est « Heures fixées » mais les heures prévues sont vides : saisissez-les."),
        (prorata_missing, "Euros par heure",
         "Le mode « Au prorata du facturé » demande les euros par heure (ex. 2 000 € pour 1 h) : saisissez-les."),
        (rate_missing, "Montant HT (€)",
         "Le marché n'a ni heures prévues ni montant : saisissez l'un ou l'autre."),
    ):
        for row in m[ROW][mask]:
            yield finding("marche-sans-objectif", c.sheet("T_Marches"), int(row), column, None, message)

