"""French that reads right at the edges of counts and vowels: one person, one contract, a month that
starts with a vowel, a company whose name does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bad_workbooks import base_rows
from clausexl.core.bilan_report import leavers_sentence
from clausexl.core.values import de, que
from clausexl.verbs.bilan import bilan
from workbooks import make_workbook

ENDS = {"Emploi durable": 0, "Emploi de transition": 0, "Sortie positive": 0, "Autre sortie": 0,
        "Toujours en contrat": 0, "Non échu": 0, "Sans information": 0}


def test_de_and_que_elide_before_a_vowel() -> None:
    assert (de("avril 2026"), de("août 2018"), de("octobre 2019")) == ("d'avril 2026", "d'août 2018",
                                                                     "d'octobre 2019")
    assert (de("juin 2018"), de("Hautecôte"), de("Élodie Martin")) == ("de juin 2018", "de Hautecôte",
                                                                      "d'Élodie Martin")
    assert que("Entreprise François SARL") == "qu'Entreprise François SARL"
    assert que("Nettoyage Plus") == "que Nettoyage Plus"


def test_one_person_one_contract_read_in_the_singular(tmp_path: Path) -> None:
    rows = {**base_rows(), "T_QPV": [{"code": "QN05001M", "nom": "Les Provinces", "commune": "Cherbourg"}],
            "T_Territoire": [{"commune": "Valognes", "code_postal": "50700"}]}  # known, none of them here
    summary = bilan(make_workbook(tmp_path, rows), 2018, dt.date(2019, 3, 15)).summary
    sentences = [s.replace("\u00a0", " ") for s in summary.sentences]
    assert sentences[0].startswith("1 bénéficiaire a réalisé 441,5 heures d'insertion")
    assert "1 femme (100,0 %) ; 0 habitant d'un quartier prioritaire (0,0 %)." in sentences
    assert "1 marché suivi dont 100,0 % de travaux, pour 1 donneur d'ordre accompagné." in sentences
    assert "1 contrat de travail ou de formation a porté ces heures." in sentences
    assert any(s.startswith("1 entreprise engagée en tant qu'attributaire ou pour la mise à disposition, dont 0 "
                            "locale") for s in sentences)


def test_leavers_sentence_agrees_with_its_counts() -> None:
    def sentence(ends: dict[str, int]) -> list[str]:
        return [s.replace("\u00a0", " ") for s in leavers_sentence(ends)]

    assert sentence({**ENDS, "Emploi durable": 1}) == [
        "À la fin de son contrat, le seul participant sorti est en emploi ou en sortie positive."]
    assert sentence({**ENDS, "Sans information": 1}) == [
        "À la fin de son contrat, le seul participant sorti n'est ni en emploi ni en sortie positive ; 1 sans "
        "information sur sa situation."]
    assert sentence({**ENDS, "Emploi durable": 1, "Autre sortie": 2, "Non échu": 4}) == [
        "À la fin de leur contrat, 1 des 3 participants sortis (33,3 %) est en emploi ou en sortie positive."]
    assert sentence({**ENDS, "Emploi durable": 42, "Autre sortie": 39, "Sans information": 21}) == [
        "À la fin de leur contrat, 42 des 102 participants sortis (41,2 %) sont en emploi ou en sortie positive ; "
        "21 sans information sur leur situation."]


def test_a_year_without_anyone_reads_without_dashes(tmp_path: Path) -> None:
    """A new workbook (init), its bilan: « 0 heure », no « Parmi eux, — ont… », no « 0 femme (—) »,
    no « dont — de travaux »; `heures` says « 0 heure réalisée »."""
    from click.testing import CliRunner

    from clausexl.cli import main

    path = make_workbook(tmp_path, {})
    sentences = bilan(path, 2026, dt.date(2026, 12, 5)).summary.sentences
    assert sentences[0] == "0 bénéficiaire a réalisé 0 heure d'insertion, soit 0,0 ETP (ETP = heures ÷ 1\u00a0600)."
    assert not any("—" in s and "non renseigné" not in s for s in sentences), sentences
    assert "0 femme ; " in sentences[1]
    assert sentences[2] == "0 marché suivi, pour 0 donneur d'ordre accompagné."
    out = CliRunner().invoke(main, ["heures", str(path), "--au", "05/12/2026"])
    assert "0 marché avec obligation, 0 marché sans, 0 heure réalisée, 0 marché en retard." in out.output


def test_valider_counts_agree(tmp_path: Path) -> None:
    """« 1 erreur, 0 avertissement », « 2 erreurs » — not « 1 erreur(s), 0 avertissement(s) »."""
    from click.testing import CliRunner

    from clausexl.cli import main

    rows = base_rows()
    rows["T_Contrats"][0]["participant"] = "P999"  # a deleted participant: one error
    out = CliRunner().invoke(main, ["valider", str(make_workbook(tmp_path, rows))])
    assert out.exit_code == 1
    assert out.output.rstrip().endswith("classeur.xlsx : 1 erreur, 0 avertissement."), out.output


def test_valider_lines_read_lower_case_after_their_colon(tmp_path: Path) -> None:
    """« [erreur] ligne 2, Participant : le participant « P999 » n'existe pas… » (the report workbook keeps the
    message as a sentence of its own, capital first)."""
    from click.testing import CliRunner

    from clausexl.cli import main

    rows = base_rows()
    rows["T_Contrats"][0]["participant"] = "P999"
    out = CliRunner().invoke(main, ["valider", str(make_workbook(tmp_path, rows))])
    assert "ligne 2, Participant : le participant « P999 » n'existe pas dans la feuille Participants." in out.output


def test_agreed_and_counted_keep_the_singular_below_two() -> None:
    from clausexl.core.values import agreed, counted

    assert [counted(n, "enregistrement lu", "enregistrements lus") for n in (0, 1, 2)] == [
        "0 enregistrement lu", "1 enregistrement lu", "2 enregistrements lus"]
    assert counted(1600, "ligne") == "1\u00a0600 lignes"
    assert (agreed(1, "laissé"), agreed(4, "laissé"), agreed(2, "la", "les")) == ("laissé", "laissés", "les")


def test_no_message_counts_with_a_bracketed_plural() -> None:
    """« 1 enregistrement(s) lu(s) » is not French a facilitator reads: every text in the package's code says
    its counts agreed (core.values.counted / agreed)."""
    import io
    import re
    import tokenize

    root = Path(__file__).resolve().parents[1] / "src" / "clausexl"
    bracketed = re.compile(r"\w\((?:s|x|e|es)\)")
    found = []
    for path in sorted(root.rglob("*.py")):
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        texts = [(t.start[0], re.sub(r"\{[^{}]*\}", "", t.string)) for t in tokens
                 if t.type in (tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING))]
        found += [f"{path.relative_to(root)}:{line}: {text}" for line, text in texts if bracketed.search(text)]
    for other in ("excel_sources/Ruban.bas", "excel_sources/customUI14.xml", "guide/source.html"):
        found += [f"{other}: {line}" for line in (root / other).read_text(encoding="utf-8").splitlines()
                  if bracketed.search(line)]
    assert found == []
