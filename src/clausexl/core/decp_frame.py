"""The territory's rows of a consolidated DECP file (parquet or CSV), merged and classified in polars.

The consolidated files have one row per market × holder × modification. The territory of a large
département is tens of thousands of rows: they are merged here into one market per `uid` and classified
as columns, the result being the `decp.Tally` that `decp.classify` gives record by record (a property test
holds the two equal). Each rule keeps its one home in `core.decp`, `core.l2112` and `core.hours`: their
helpers are called once per distinct value of the columns they read, and joined back; only the order of
`classify`'s tests is written here, as polars expressions (`_outcome`, `_kind`).
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import polars as pl

from . import decp, l2112
from .decp import Territory, text_of
from .decp_columns import OPTIONAL, REQUIRED
from .hours import computed_targets

MALFORMED, CANDIDATE = "illisible", "candidat"  # outcomes of a market besides `decp`'s reasons to leave it out
#: `Candidate._make` without its Python frame (a few ms for a large département's markets)
_candidate = functools.partial(tuple.__new__, decp.Candidate)


def tally(rows: pl.DataFrame, t: Territory) -> decp.Tally:
    """The markets of `rows` (text columns of REQUIRED, and of OPTIONAL when present) counted and classified
    as `decp.Tally.add_all` does the records of `merged` in their order; `records` counts the markets."""
    # `classify`'s order of tests: the territory (`_ours`); then concession, id, object, amount and period
    # (`_outcome`); then the kind of the markets kept (`_kind`), a uid met again being a duplicate (`Tally.add`)
    markets = merged(rows).with_columns(_n=pl.int_range(1, pl.len() + 1, dtype=pl.UInt32))
    out = decp.Tally(records=markets.height, merged_rows=rows.height - markets.height)
    ours = _where(markets, t).filter(_ours(t))
    out.hors_territoire = markets.height - ours.height
    amounts: dict[str | None, Decimal] = {}
    ours = _outcome(_read(ours, amounts), t)
    outcomes = ours.get_column("_outcome")
    out.concessions = int((outcomes == decp.CONCESSION).sum())
    out.avant_date = int((outcomes == decp.BEFORE).sum())
    out.apres_date = int((outcomes == decp.AFTER).sum())
    _count_malformed(ours.filter(pl.col("_outcome") == MALFORMED), out)
    found = ours.filter(pl.col("_outcome") == CANDIDATE)
    first = found.get_column("_uid").is_first_distinct()  # a uid met again: a duplicate
    out.doublons = int((~first).sum())
    out.candidates = _candidates(found.filter(first), t, amounts)
    out.sous_seuil = sum(1 for c in out.candidates if c.kind == decp.SOUS_SEUIL)
    out._seen = {c.uid for c in out.candidates}
    return out


def merged(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per market, in the order of its first row: the attributes of its row marked
    `donneesActuelles` (else its first), the earliest `dateNotification` of at least ten characters (its
    first ten), `nature` else `type`, and `_holders`: the SIRETs of its awardees once each, in order,
    joined by spaces.

    The key is `uid`, else `acheteur_id` + `id` (`_key`). A holder is read with the kind of identifier of
    its first row (`decp.holder_siret`: SIRETs only)."""
    present = set(rows.columns)
    rows = rows.with_columns([pl.lit(None, pl.String).alias(c) for c in (*REQUIRED, *OPTIONAL) if c not in present])
    uid, date = pl.col("uid"), pl.col("dateNotification")
    frame = rows.with_row_index("_i").with_columns(
        _key=pl.when(uid.is_not_null() & (uid != "")).then(uid).otherwise(
            pl.concat_str([pl.col("acheteur_id").fill_null(""), pl.col("id").fill_null("")])),
        _current=pl.when(pl.col("donneesActuelles").str.to_lowercase().is_in(["true", "1", "oui"])).then("_i"),
        _full_date=pl.when(date.str.len_chars() >= 10).then(date.str.slice(0, 10)))
    groups = (frame.group_by("_key", maintain_order=True)
              .agg(pl.col("_current").min(), pl.col("_i").min(), _earliest=pl.col("_full_date").min())
              .select("_key", "_earliest", _i=pl.coalesce("_current", "_i")))
    holder, kind = pl.col("titulaire_id"), pl.col("titulaire_typeIdentifiant")
    holders = (frame.filter(holder.is_not_null() & (holder != ""))
               .filter(pl.struct("_key", "titulaire_id").is_first_distinct())
               .select("_key", "titulaire_id", "titulaire_typeIdentifiant"))
    holders = (_unless_given_back(holders, ("titulaire_id", "titulaire_typeIdentifiant"), decp.holder_siret,
                                  "_siret", _published_siret(holder) & (kind.is_null() | (kind == "SIRET")), holder)
               .filter(pl.col("_siret").is_not_null())
               .filter(pl.struct("_key", "_siret").is_first_distinct())
               .group_by("_key", maintain_order=True).agg(pl.col("_siret"))
               .select("_key", _holders=pl.col("_siret").list.join(" ")))
    return (groups.join(frame.drop("_key"), on="_i", how="left", maintain_order="left")
            .join(holders, on="_key", how="left", maintain_order="left")
            .with_columns(dateNotification=pl.coalesce("_earliest", "dateNotification"),
                          nature=pl.coalesce("nature", "type")))


# --- classify's order of tests, on columns -------------------------------------------------------

def _where(markets: pl.DataFrame, t: Territory) -> pl.DataFrame:
    """Who and where: `_acheteur` (the buyer's SIRET), `_donneur` (the workbook's buyer of that SIRET),
    `_lieu` (the place's code) and `_departement` (its département)."""
    buyer = pl.col("acheteur_id")
    markets = _unless_given_back(markets, "acheteur_id", decp.buyer_siret, "_acheteur", _published_siret(buyer), buyer)
    donneur = pl.col("_acheteur").replace_strict(dict(t.buyers), default=None, return_dtype=pl.String) \
        if t.buyers else pl.lit(None, pl.String)
    markets = _per_distinct(markets.with_columns(_donneur=donneur), "lieuExecution_code", text_of, "_lieu")
    return _per_distinct(markets, ("_lieu", "lieuExecution_typeCode"),
                         lambda lieu, kind: decp.departement_of(lieu, text_of(kind)), "_departement")


def _ours(t: Territory) -> pl.Expr:
    """`classify`'s territory: a buyer of the workbook, a place of the territory's départements or
    communes, or a buyer of its départements."""
    return (pl.col("_donneur").is_not_null() | _among("_departement", t.departements)
            | _among("_lieu", t.communes) | _among("acheteur_departement_code", t.departements)).fill_null(False)


def _read(markets: pl.DataFrame, amounts: dict[str | None, Decimal]) -> pl.DataFrame:
    """What the order of tests reads: nature, id, object, amount (its Decimal kept in `amounts`, else its
    `_amount_error`), notification date."""
    def amount(value: str | None) -> str | None:
        try:
            amounts[value] = decp.amount_of(value)
        except decp.Malformed as err:
            return err.reason
        return None

    markets = _per_distinct(markets, "nature", text_of, "_nature")
    markets = _per_distinct(markets, "_nature", decp.is_concession, "_concession", pl.Boolean)
    markets = _texts(_texts(markets, "id", "_id"), "objet", "_objet")
    markets = _per_distinct(markets, "montant", amount, "_amount_error")
    return _per_distinct(markets, "dateNotification", decp.date_of, "_date", pl.Date)


def _outcome(markets: pl.DataFrame, t: Territory) -> pl.DataFrame:
    """`_outcome` and, for a market that cannot be read, `_reason`: `classify`'s tests after the territory's,
    in its order (concession, id, object, amount, then the period); and `_uid`."""
    date = pl.col("_date")
    since = (date < t.since).fill_null(False) if t.since is not None else pl.lit(False)
    until = (date > t.until).fill_null(False) if t.until is not None else pl.lit(False)
    reason = (pl.when(pl.col("_id").is_null()).then(pl.lit(decp.NO_ID))
              .when(pl.col("_objet").is_null()).then(pl.lit(decp.NO_OBJECT))
              .otherwise(pl.col("_amount_error")))
    return _texts(markets, "_key", "_uid").with_columns(_reason=reason).with_columns(
        _outcome=pl.when(pl.col("_concession")).then(pl.lit(decp.CONCESSION))
        .when(pl.col("_reason").is_not_null()).then(pl.lit(MALFORMED))
        .when(since).then(pl.lit(decp.BEFORE))
        .when(until).then(pl.lit(decp.AFTER))
        .otherwise(pl.lit(CANDIDATE)),
        _uid=pl.coalesce("_uid", pl.concat_str([pl.col("_acheteur").fill_null(""), pl.col("_id")])))


def _count_malformed(malformed: pl.DataFrame, out: decp.Tally) -> None:
    """Counted by reason in the order first met, the first `MAX_EXAMPLES` with their position and id."""
    out.malformed = Counter(malformed.get_column("_reason").to_list())
    shown = malformed.head(decp.MAX_EXAMPLES)
    # the id is None when it is the reason
    out.examples = list(zip(*(shown.get_column(c).to_list() for c in ("_n", "_id", "_reason")), strict=True))


def _kind() -> pl.Expr:
    """`classify`'s kind: followed by the workbook, else with a social consideration, else at or above the
    threshold (the table's, or `--seuil`) or probably concerned by the law, else below."""
    return (pl.when(pl.col("_suivi_par").is_not_null()).then(pl.lit(decp.DEJA_SUIVI))
            .when(pl.col("_social")).then(pl.lit(decp.A_SUIVRE))
            .when(pl.col("_concerned") | pl.col("_at_limit")).then(pl.lit(decp.SANS_CLAUSE))
            .otherwise(pl.lit(decp.SOUS_SEUIL)))


def _candidates(found: pl.DataFrame, t: Territory, amounts: dict[str | None, Decimal]
                ) -> list[decp.Candidate]:
    """The markets kept, as `classify` builds them. An amount is compared with its threshold in Decimal,
    through its rank among the thresholds met (`_rank` > the threshold's place: at or above it)."""
    socials: dict[str | None, tuple[str, ...]] = {}
    limits: dict[Decimal, int] = {}  # each threshold met → its number

    def social(value: str | None) -> bool:
        # a text never raises Malformed (only a JSON value of the wrong shape does)
        socials[value] = tuple(c for c in decp.social_considerations(value) if c in decp.SOCIAL)
        return bool(socials[value])

    def category(donneur: str | None, decp_category: str | None, acheteur: str | None) -> str:
        return l2112.category_of(t.categories.get(donneur) if donneur else None, text_of(decp_category), acheteur)

    def threshold(period: int, categorie: str, type_marche: str) -> int:
        return limits.setdefault(l2112.period_threshold(l2112.PERIODS[period], categorie, type_marche), len(limits))

    found = _per_distinct(found, "considerationsSociales", social, "_social", pl.Boolean)
    found = _per_distinct(found, "codeCPV", text_of, "_cpv")
    found = _per_distinct(found, ("_cpv", "ccag"), lambda cpv, ccag: decp.market_type(cpv, text_of(ccag)), "_type")
    found = _per_distinct(found, ("_donneur", "acheteur_categorie", "_acheteur"), category, "_categorie")
    found = _per_distinct(found, "_date", l2112.law_applies, "_law", pl.Boolean)
    # l2112.threshold is the threshold of the date's period: a few periods, instead of every date
    found = _per_distinct(found, "_date", lambda day: l2112.PERIODS.index(l2112.period_of(day)), "_period",
                          pl.UInt32)
    found = _per_distinct(found, ("_period", "_categorie", "_type"), threshold, "_legal", pl.UInt32)
    if t.threshold is not None:
        limits.setdefault(t.threshold, len(limits))
    ordered, by_number = sorted(limits), list(limits)
    ranks = dict(zip(amounts, map(functools.partial(bisect.bisect_right, ordered), amounts.values()), strict=True))
    found = _per_distinct(found, "montant", ranks.__getitem__, "_rank", pl.UInt32)
    rank = {number: ordered.index(limit) for limit, number in limits.items()}  # thresholds by increasing amount
    at_legal = pl.col("_rank") > pl.col("_legal").replace_strict(rank, return_dtype=pl.UInt32)
    found = found.with_columns(
        _concerned=~pl.col("_social") & pl.col("_law") & at_legal,
        _at_limit=at_legal if t.threshold is None else pl.col("_rank") > rank[limits[t.threshold]])
    found = found.with_columns(_suivi_par=_followed(found, t), _holders=pl.col("_holders").fill_null(""))
    found = found.with_columns(_kind=_kind())

    c = {name: found.get_column(name).to_list() for name in (
        "_uid", "_id", "_acheteur", "_donneur", "_objet", "_nature", "_type", "_cpv", "procedure", "montant",
        "_date", "dureeMois", "_lieu", "_departement", "acheteur_departement_code", "considerationsSociales",
        "_holders", "_kind", "_suivi_par", "acheteur_nom", "_categorie", "_legal", "_concerned")}
    titulaires = list(map(tuple, map(str.split, c["_holders"])))  # a SIRET has no space (`decp._siret`)
    companies = t.companies
    return list(map(_candidate, zip(
        c["_uid"], c["_id"], c["_acheteur"], c["_donneur"], c["_objet"], c["_nature"], c["_type"], c["_cpv"],
        _each(text_of, c["procedure"]), [amounts[m] for m in c["montant"]], c["_date"],
        _each(lambda v: decp.int_of(_int_text(v)), c["dureeMois"]), c["_lieu"],
        [d or b for d, b in zip(c["_departement"], _each(text_of, c["acheteur_departement_code"]), strict=True)],
        [socials[s] for s in c["considerationsSociales"]], titulaires,
        _each(lambda h: tuple(companies[s][0] for s in h if s in companies), titulaires) if companies
        else [()] * len(titulaires),
        c["_kind"], c["_suivi_par"], _hours(c["montant"], amounts, t), _each(text_of, c["acheteur_nom"]),
        c["_categorie"], [by_number[i] for i in c["_legal"]], c["_concerned"], strict=True)))


def _followed(found: pl.DataFrame, t: Territory) -> pl.Series:
    """`decp.followed_by` of the markets the workbook may follow: every market when it has references, those of
    its buyers when it has only objects, none when it has neither."""
    if not t.references and not t.objects:
        return pl.Series("_suivi_par", [None] * found.height, dtype=pl.String)
    keys = ("_id", "_uid", "_donneur", "_objet")
    return _per_distinct(found.select(keys), keys, lambda i, u, d, o: decp.followed_by(i, u, d, o, t), "_suivi_par",
                         only=None if t.references else pl.col("_donneur").is_not_null()).get_column("_suivi_par")


# --- helpers ---------------------------------------------------------------------------------------

def _per_distinct(frame: pl.DataFrame, columns: str | tuple[str, ...], rule: Callable[..., Any], name: str,
                  dtype: pl.DataType | type[pl.DataType] = pl.String, only: pl.Expr | None = None) -> pl.DataFrame:
    """`frame` with the column `name`: `rule` of `columns`, called once per distinct value (or tuple) — of
    the rows `only` selects, if given (the others' are null)."""
    on = [columns] if isinstance(columns, str) else list(columns)
    keys = (frame if only is None else frame.filter(only)).select(on).unique()
    values = pl.Series(name, list(map(rule, *(keys.get_column(c).to_list() for c in on))), dtype=dtype)
    return frame.join(keys.with_columns(values), on=on, how="left", nulls_equal=True, maintain_order="left")


def _unless_given_back(frame: pl.DataFrame, columns: str | tuple[str, ...], rule: Callable[..., Any], name: str,
                       given_back: pl.Expr, value: pl.Expr) -> pl.DataFrame:
    """`_per_distinct`, except for the rows `given_back` selects: `rule` would give them back `value` (a
    value as published), which they take without a call."""
    return (_per_distinct(frame, columns, rule, name, only=~given_back)
            .with_columns(pl.when(given_back).then(value).otherwise(pl.col(name)).alias(name)))


def _texts(frame: pl.DataFrame, column: str, name: str) -> pl.DataFrame:
    """`frame` with `name`: `decp.text_of` of `column` (ids and objects, mostly distinct). A value that starts
    and ends with an ASCII letter or digit, and is not « NC » or « CDL », is its own text."""
    value = pl.col(column)
    plain = value.str.contains(r"^[0-9A-Za-z](?s:.*[0-9A-Za-z])?$") & ~value.is_in(decp.NOT_GIVEN)
    return _unless_given_back(frame, column, text_of, name, plain, value)


def _published_siret(value: pl.Expr) -> pl.Expr:
    """A SIRET as published: 14 ASCII digits (`decp.buyer_siret` and `decp.holder_siret` give it back)."""
    return value.str.contains(r"^[0-9]{14}$")


def _among(column: str, values: Iterable[str]) -> pl.Expr:
    return pl.col(column).is_in(sorted(values))


def _hours(montants: list[str], amounts: dict[str | None, Decimal], t: Territory) -> list[float | None]:
    """`hours.computed_target` of each market, once per distinct amount."""
    distinct = list(dict.fromkeys(montants))
    hours = dict(zip(distinct, computed_targets([amounts[m] for m in distinct], t.hour_params or t.params),
                     strict=True))
    return [hours[m] for m in montants]


def _each(rule: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """`rule` of each value, called once per distinct value (columns read only to build the candidates)."""
    once = {v: rule(v) for v in dict.fromkeys(values)}
    return [once[v] for v in values]


def _int_text(value: str | None) -> str | None:
    """A duration as the file writes it (« 12 », or « 12.0 » from a float column) → its whole part."""
    if value is None:
        return None
    return value.split(".")[0] if value.replace(".", "", 1).isdigit() else value
