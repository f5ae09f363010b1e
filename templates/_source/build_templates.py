"""Build the default document templates (`templates/*.docx`, `templates/*.txt`) reproducibly.

Run from the repository: `python templates/_source/build_templates.py [DOSSIER]`. Each Jinja2 tag sits inside
one run of one paragraph (docxtpl then sees it whole); paragraph tags (`{%p … %}`) and row tags
(`{%tr … %}`) stand alone. The .docx files open and edit normally in Word and LibreOffice; the
variables each template may use are listed in docs/documents.md.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parent.parent
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


class Doc:
    """A small writer over python-docx: one run per paragraph, so each tag stays whole."""

    def __init__(self) -> None:
        self.doc = Document()
        style = self.doc.styles["Normal"]
        style.font.name = "Calibri"
        style.font.size = Pt(11)
        for section in self.doc.sections:
            section.left_margin = section.right_margin = Cm(2.2)
            section.top_margin = section.bottom_margin = Cm(2)
        props = self.doc.core_properties
        props.author = props.last_modified_by = "clausexl"
        props.title = ""

    def p(self, text: str = "", bold: bool = False, align: str | None = None, size: int | None = None,
          keep: bool = False) -> None:
        """One paragraph; `keep` keeps it on the page of the next one (a signature never stands alone)."""
        para = self.doc.add_paragraph()
        para.paragraph_format.keep_with_next = keep
        run = para.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if align == "right":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align == "center":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "justify":
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def tag(self, text: str) -> None:
        """A paragraph-level tag ({%p … %}), alone in its paragraph."""
        self.doc.add_paragraph().add_run(text)

    def title(self, text: str) -> None:
        self.doc.add_heading(text, level=1)

    def h(self, text: str) -> None:
        self.doc.add_heading(text, level=2)

    def bullets(self, items: list[str]) -> None:
        for item in items:
            self.doc.add_paragraph(item, style="List Bullet")

    def bullet_if(self, condition: str, item: str) -> None:
        """A bullet printed only when `condition` holds (no label left without its value)."""
        self.tag(f"{{%p if {condition} %}}")
        self.doc.add_paragraph(item, style="List Bullet")
        self.tag("{%p endif %}")

    def loop_bullets(self, loop: str, item: str) -> None:
        self.tag(f"{{%p for {loop} %}}")
        self.doc.add_paragraph(item, style="List Bullet")
        self.tag("{%p endfor %}")

    def table(self, headers: list[str], loop: str, cells: list[str], total: list[str] | None = None,
              widths: list[float] | None = None, size: int | None = None) -> None:
        """A table whose middle row repeats over `loop` (docxtpl `{%tr %}` rows); `widths` in cm and a
        smaller font `size` let a wide table fit the page without breaking words; the header row repeats
        on each page."""
        rows = 3 + (1 if total else 0) + 1
        table = self.doc.add_table(rows=rows, cols=len(headers))
        table.style = "Table Grid"

        def put(cell, text, bold=False):
            run = cell.paragraphs[0].add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)

        for cell, text in zip(table.rows[0].cells, headers):
            put(cell, text, bold=True)
        header = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header.append(repeat)
        for row in table.rows:  # a row never starts on one page and ends on the next
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
        for cell, text in zip(table.rows[2].cells, cells):
            put(cell, text)
        table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        if total:
            for cell, text in zip(table.rows[4].cells, total):
                put(cell, text, bold=True)
        else:
            table._tbl.remove(table.rows[4]._tr)
        if widths:
            table.autofit = False
            for column, width in zip(table.columns, widths):
                column.width = Cm(width)
            for row in table.rows:
                for cell, width in zip(row.cells, widths):
                    cell.width = Cm(width)

    def save(self, name: str) -> None:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        (OUT / name).write_bytes(deterministic(buffer.getvalue()))


def deterministic(data: bytes) -> bytes:
    """The same bytes on every build: zip entries with a fixed date, in a fixed order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            content = source.read(name)
            if name == "docProps/core.xml":
                import re
                content = re.sub(rb"<dcterms:(created|modified)([^>]*)>[^<]*<",
                                 rb"<dcterms:\1\2>2024-01-01T00:00:00Z<", content)
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


# --- Parts every letter shares ------------------------------------------------------------

def sender(d: Doc) -> None:
    """The letterhead: each line only when its parameter has a value, no orphan « Tél. » nor « – »."""
    d.tag("{%p if facilitateur.structure %}")
    d.p("{{ facilitateur.structure }}", bold=True)
    d.tag("{%p endif %}")
    d.tag("{%p if facilitateur.adresse %}")
    d.p("{{ facilitateur.adresse }}")
    d.tag("{%p endif %}")
    d.tag("{%p if facilitateur.telephone or facilitateur.courriel %}")
    d.p(CONTACT.replace("{{ facilitateur.telephone }}", "Tél. {{ facilitateur.telephone }}"))
    d.tag("{%p endif %}")


#: « 03 20 … – a@b.fr », « 03 20 … », « a@b.fr » or nothing: the separator only between two values.
CONTACT = ("{% if facilitateur.telephone %}{{ facilitateur.telephone }}{% endif %}"
           "{% if facilitateur.telephone and facilitateur.courriel %} – {% endif %}{{ facilitateur.courriel }}")


def recipient(d: Doc, who: str = "destinataire", name: str = "organisme", person: str = "nom") -> None:
    """The addressee's block and the date line (`who` and its fields: a letter's recipient or a partner)."""
    d.p(f"{{{{ {who}.{name} }}}}", align="right", bold=True)
    # A line left empty (no contact, no address) is dropped, not printed as a gap in the block.
    d.tag(f"{{%p if {who}.{person} %}}")
    d.p(f"À l'attention {{{{ {who}.{person}|de }}}}", align="right")
    d.tag("{%p endif %}")
    d.tag(f"{{%p if {who}.adresse %}}")
    d.p(f"{{{{ {who}.adresse }}}}", align="right")
    d.tag("{%p endif %}")
    d.tag(f"{{%p if {who}.code_postal or {who}.commune %}}")
    d.p(postal_line(who), align="right")
    d.tag("{%p endif %}")
    d.p()
    date_line(d)


def postal_line(who: str) -> str:
    """« 50100 Cherbourg-en-Cotentin »; no stray space when the postal code or the commune is empty."""
    return (f"{{{{ {who}.code_postal }}}}{{% if {who}.code_postal and {who}.commune %}} {{% endif %}}"
            f"{{{{ {who}.commune }}}}")


def date_line(d: Doc) -> None:
    """« Cherbourg-en-Cotentin, le 3 juillet 2018 » (the parameter « Lieu des courriers », else the commune of
    the structure's address), « Le 3 juillet 2018 » when neither is known."""
    d.p("{% if facilitateur.lieu %}{{ facilitateur.lieu }}, l{% else %}L{% endif %}e {{ date_document }}",
        align="right")


def signature(d: Doc) -> None:
    """The closing sentence and the signature, kept together on one page."""
    d.p(keep=True)
    d.p("Je reste à votre disposition pour tout renseignement et vous prie d'agréer mes salutations distinguées.",
        align="justify", keep=True)
    signed(d)


def signed(d: Doc) -> None:
    """Name, title and contact of the facilitator: one paragraph that never splits (lines broken inside),
    after an empty line kept with it."""
    d.p(keep=True)
    para = d.doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para.paragraph_format.keep_together = True
    para.add_run("{{ facilitateur.nom }}").bold = True
    para.add_run("{% if facilitateur.nom %}")
    para.add_run().add_break()
    para.add_run("{% endif %}")
    para.add_run("{{ facilitateur.fonction }}{% if facilitateur.structure %}, {{ facilitateur.structure }}{% endif %}")
    para.add_run("{% if facilitateur.telephone or facilitateur.courriel %}")
    para.add_run().add_break()
    para.add_run(CONTACT + "{% endif %}")


def letter(objet: str, *under: str) -> Doc:
    """A letter to a company or a buyer: sender, recipient and date, the subject in bold with the lines
    `under` it, then the salutation."""
    d = Doc()
    sender(d)
    recipient(d)
    d.p()
    d.p("Objet : " + objet, bold=True)
    for line in under:
        d.p(line)
    d.p()
    d.p("Madame, Monsieur,")
    return d


MARKET_LINE = ("Marché {{ marche.id }} : {{ marche.objet }}{% if marche.lot %} – {{ marche.lot_libelle }}{% endif %}"
               "{% if marche.operation %} (opération {{ marche.operation }}){% endif %}")


# --- The clause, one template per Dispositif -----------------------------------------------
# The shared sections are functions below; what remains alike (the duplicates tool pairs sections and
# templates) is their shape, the same Doc calls, each with its own legal text.

def clause_head(d: Doc, kind: str) -> None:
    d.title(f"Clause sociale d'insertion – {kind}")
    d.p(MARKET_LINE, bold=True)
    d.p("Pouvoir adjudicateur : {{ donneur_ordre.nom }}")
    d.p("Fondement : {{ marche.dispositif_nom }}, article {{ marche.article }} du Code de la commande publique"
        "{% if marche.l2112_2_1 %}, et article L2112-2-1 du même code : le montant du marché atteint le seuil "
        "européen, une considération sociale y est obligatoire{% endif %}.")


def hours_paragraphs(d: Doc, lead: str) -> None:
    d.p(lead + " {{ marche.heures_prevues }} d'insertion (soit {{ marche.semaines }} de travail de 35 heures).",
        align="justify")
    d.tag("{%p if calcul.par_taux %}")
    d.p("Pour information, ce volume est calculé ainsi : montant du marché {{ calcul.montant_ht }} HT × part de "
        "main-d'œuvre {{ calcul.part_main_oeuvre }} × taux d'insertion {{ calcul.taux_insertion }} ÷ coût horaire "
        "{{ calcul.cout_horaire }} = {{ calcul.heures_brutes }}, arrondi au multiple supérieur de "
        "{{ calcul.arrondi }}.", align="justify")
    d.tag("{%p endif %}")
    d.tag("{%p if calcul.prorata %}")
    d.p("Pour information, ce volume suit les bons de commande : une heure d'insertion par tranche de "
        "{{ calcul.euros_par_heure }} HT facturée (montant facturé à ce jour : {{ calcul.montant_facture }}).",
        align="justify")
    d.tag("{%p endif %}")
    d.tag("{%p if calcul.heures_fixees %}")
    d.p("Ce volume est fixé par le pouvoir adjudicateur.")
    d.tag("{%p endif %}")


def npnru(d: Doc) -> None:
    d.tag("{%p if marche.npnru %}")
    d.p("Opération du Nouveau programme national de renouvellement urbain (NPNRU) : conformément à la charte "
        "nationale d'insertion de l'ANRU, les heures d'insertion de ce marché sont réservées aux habitants des "
        "quartiers prioritaires de la politique de la ville (QPV).", bold=True, align="justify")
    d.tag("{%p endif %}")


def publics(d: Doc, heading: str = "Public éligible") -> None:
    d.h(heading)
    d.p("Peuvent bénéficier de l'action d'insertion les personnes sans emploi rencontrant des difficultés sociales "
        "ou professionnelles particulières, notamment :", align="justify")
    d.loop_bullets("p in publics", "{{ p }}")
    d.p("{% if marche.npnru %}Pour ce marché, seules les heures réalisées par des habitants des QPV sont retenues. "
        "{% endif %}L'éligibilité est vérifiée par le facilitateur avant toute embauche.", align="justify")


def modalities(d: Doc) -> None:
    d.h("Modalités de mise en œuvre")
    d.p("Le titulaire choisit une ou plusieurs des modalités suivantes :")
    d.bullets([
        "l'embauche directe (CDI, CDD, contrat d'apprentissage ou de professionnalisation) ;",
        "la mise à disposition de salariés par une entreprise de travail temporaire d'insertion (ETTI), une "
        "association intermédiaire (AI) ou un groupement d'employeurs pour l'insertion et la qualification (GEIQ) ;",
        "la sous-traitance ou la co-traitance avec une structure d'insertion par l'activité économique (SIAE) ;",
        "l'accueil en formation des personnes éligibles.",
    ])
    d.p("Le titulaire désigne un référent chargé de la clause et le fait connaître au facilitateur dès la "
        "notification du marché.", align="justify")


def facilitator_role(d: Doc) -> None:
    d.h("Rôle du facilitateur")
    d.p("Le suivi de la clause est confié {% if facilitateur.nom %}à {{ facilitateur.nom }}, "
        "{% elif facilitateur.soussigne == 'soussignée' %}à la {% else %}au {% endif %}"
        "{{ facilitateur.fonction_phrase }}{% if facilitateur.structure %}, {{ facilitateur.structure }}{% endif %}"
        "{% if facilitateur.adresse %}, {{ facilitateur.adresse_ligne }}{% endif %}"
        "{% if facilitateur.telephone %} – tél. {{ facilitateur.telephone }}{% endif %}"
        "{% if facilitateur.courriel %} – {{ facilitateur.courriel }}{% endif %}.", align="justify")
    d.bullets([
        "il informe le titulaire et l'aide à définir les postes ;",
        "il recherche et présente des candidats avec les partenaires de l'emploi ;",
        "il vérifie l'éligibilité des personnes avant l'embauche ;",
        "il suit chaque mois les heures réalisées ;",
        "il délivre l'attestation de réalisation à la fin du marché.",
    ])


def control(d: Doc) -> None:
    d.h("Contrôle")
    d.p("Le titulaire transmet au facilitateur, avant le 10 de chaque mois, le relevé des heures du mois précédent "
        "(personne, contrat, heures), accompagné des justificatifs (contrats, bulletins de salaire, relevés des "
        "ETTI, AI ou GEIQ, attestations de formation).", align="justify")


def penalties(d: Doc) -> None:
    d.h("Pénalités")
    d.p("En cas de non-respect de l'engagement, le titulaire encourt une pénalité de {{ penalite_heure }} par heure "
        "d'insertion non réalisée, et de {{ penalite_retard }} par jour de retard dans la transmission du relevé "
        "mensuel, sauf cas dûment justifiés et acceptés par le pouvoir adjudicateur.", align="justify")


def clause_condition() -> None:
    d = Doc()
    clause_head(d, "condition d'exécution")
    d.h("Article 1 – Objet")
    d.p("En application de l'article L2112-2 du Code de la commande publique (cadre de l'article 16.1 du CCAG "
        "2021), le titulaire réalise, comme condition d'exécution du marché, une action d'insertion permettant "
        "l'accès ou le retour à l'emploi de personnes rencontrant des difficultés sociales ou professionnelles "
        "particulières.", align="justify")
    hours_paragraphs(d, "Le titulaire s'engage à réaliser au moins")
    npnru(d)
    publics(d, "Article 2 – Public éligible")
    for section in (modalities, facilitator_role, control, penalties):
        section(d)
    number_headings(d, start=3)
    d.save("clause_condition_execution.docx")


def clause_critere() -> None:
    d = Doc()
    clause_head(d, "critère d'attribution")
    d.h("Article 1 – Critère d'attribution")
    d.p("En application de l'article L2152-7 du Code de la commande publique, les offres sont jugées notamment "
        "sur le critère « performance en matière d'insertion professionnelle des publics en difficulté », "
        "pondéré à {{ marche.ponderation }}.", align="justify")
    hours_paragraphs(d, "À titre indicatif, l'acheteur attend au moins")
    d.p("Le candidat décrit dans son offre : le nombre d'heures d'insertion qu'il s'engage à réaliser, les postes "
        "et les modalités retenues, l'encadrement et le tutorat des personnes, les partenaires mobilisés et les "
        "perspectives d'emploi ou de qualification à l'issue du marché. L'engagement du titulaire devient une "
        "obligation contractuelle.", align="justify")
    npnru(d)
    publics(d, "Article 2 – Public éligible")
    for section in (modalities, facilitator_role, control, penalties):
        section(d)
    number_headings(d, start=3)
    d.save("clause_critere_attribution.docx")


def clause_reserved(name: str, kind: str, article: str, who: str) -> None:
    d = Doc()
    clause_head(d, kind)
    d.h("Article 1 – Marché réservé")
    d.p(f"En application de l'article {article} du Code de la commande publique, le présent marché est réservé "
        f"{who} Conformément à l'article R2113-7, la proportion minimale de ces travailleurs est fixée à 50 %.",
        align="justify")
    d.p("Le candidat justifie dans son offre de sa qualité et de cette proportion.", align="justify")
    hours_paragraphs(d, "Le titulaire consacre à l'exécution du marché au moins")
    npnru(d)
    for section in (facilitator_role, control, penalties):
        section(d)
    number_headings(d, start=2)
    d.save(name)


def clause_insertion() -> None:
    d = Doc()
    clause_head(d, "marché d'insertion")
    d.h("Article 1 – Objet du marché")
    d.p("En application de l'article R2123-1 (3°) du Code de la commande publique, le présent marché porte sur "
        "des services d'insertion et de qualification professionnelles : la prestation d'insertion et de "
        "qualification est l'objet même du marché, l'activité support ({{ marche.objet }}) en étant le moyen.",
        align="justify")
    d.p("Le titulaire met en œuvre un parcours comprenant l'accueil, l'accompagnement socioprofessionnel, "
        "l'encadrement technique et la formation des personnes, en vue de leur accès à un emploi durable.",
        align="justify")
    hours_paragraphs(d, "Le volume de l'action est d'au moins")
    npnru(d)
    publics(d, "Article 2 – Public éligible")
    for section in (facilitator_role, control, penalties):
        section(d)
    number_headings(d, start=3)
    d.save("clause_marche_insertion.docx")


def number_headings(d: Doc, start: int) -> None:
    """Number the sections after the first ones: « Article 3 – Modalités… »."""
    n = start
    for para in d.doc.paragraphs:
        if para.style.name == "Heading 2" and not para.text.startswith("Article"):
            para.runs[0].text = f"Article {n} – {para.runs[0].text}"
            n += 1


# --- Follow-up letters ----------------------------------------------------------------------
# Each letter is written out paragraph by paragraph, as the facilitator will read it: the letters are
# alike in shape (the same Doc calls, the duplicates tool pairs them), never in their text.

def releve() -> None:
    d = letter("relevé des heures d'insertion {{ mois|de }} – " + MARKET_LINE,
               "Donneur d'ordre : {{ donneur_ordre.nom }}")
    d.p("Voici l'état de la clause sociale de ce marché, établi d'après les relevés reçus jusqu'à la fin "
        "{{ mois|de }}.", align="justify")
    d.table(["Personne", "Contrat", "Poste", "Modalité", "Heures du mois", "Heures cumulées"], "l in lignes",
            ["{{ l.participant }}", "{{ l.contrat }}", "{{ l.poste }}", "{{ l.modalite }}",
             "{% if l.termine %}terminé le {{ l.termine }}{% elif l.recu %}{{ l.heures_mois }}{% else %}non reçu{% endif %}", "{{ l.heures_cumulees }}"],
            total=["Total", "", "", "", "{{ total_mois }}", "{{ heures_realisees }}"])
    d.p()
    d.p("Heures à réaliser : {{ heures_prevues }} ({{ semaines_prevues }} de 35 heures). Heures réalisées à la fin "
        "{{ mois|de }} : {{ heures_realisees }}{% if npnru %}, dont {{ heures_comptees }} par des habitants des QPV, "
        "seules retenues pour ce marché NPNRU{% endif %}{% if taux %}, soit {{ taux }} de l'objectif{% endif %}.",
        align="justify")
    d.p("Heures attendues à cette date au prorata de la durée du marché : {{ attendu_a_date }}. Reste à réaliser : "
        "{{ reste }}.", align="justify")
    d.tag("{%p if en_retard %}")
    d.p("La clause est en retard : il manque {{ manque }} par rapport au rythme attendu. Je vous propose d'en "
        "parler et de préparer ensemble les prochains recrutements.", bold=True, align="justify")
    d.tag("{%p endif %}")
    d.tag("{%p if releve_manquant %}")
    d.p("Je n'ai pas reçu {% if contrats_manquants %}les heures {{ mois|de }} {{ des_contrats_manquants }}"
        " : merci de me les{% else %}de relevé d'heures pour {{ mois }} : merci de me le"
        "{% endif %} transmettre avant le {{ date_limite_releve }}.", bold=True, align="justify")
    d.tag("{%p endif %}")
    signature(d)
    d.save("releve_mensuel.docx")


def relance() -> None:
    d = letter("relance – clause sociale du " + MARKET_LINE[0].lower() + MARKET_LINE[1:])
    d.tag("{%p if releve_manquant %}")
    d.p("Sauf erreur de ma part, je n'ai pas reçu {% if contrats_manquants %}les heures d'insertion {{ mois|de }} "
        "{{ des_contrats_manquants }} de ce marché. Je vous remercie de me les transmettre"
        "{% else %}le relevé des heures d'insertion {{ mois|de }} pour ce marché. Je vous remercie de me le "
        "transmettre{% endif %} avant le {{ date_limite_releve }}, avec les justificatifs, comme le prévoit la "
        "clause.", align="justify")
    d.p("Le relevé à remplir est joint à ce courrier (« {{ formulaire }} ») : complétez ses cellules blanches "
        "et renvoyez-le tel quel, sans le renommer.", align="justify")
    d.tag("{%p endif %}")
    d.tag("{%p if en_retard %}")
    d.p("À la fin {{ mois|de }}, {% if npnru %}{{ heures_comptees }} d'insertion ont été réalisées par des "
        "habitants des QPV (seules retenues pour ce marché NPNRU, sur {{ heures_realisees }} au total){% else %}"
        "{{ heures_realisees }} d'insertion ont été réalisées{% endif %} sur les {{ heures_prevues }} "
        "prévues, alors que {{ attendu_a_date }} étaient attendues au prorata de la durée du marché : il manque "
        "{{ manque }}. Il reste {{ reste }} à réaliser d'ici le {{ marche.date_fin }}.", align="justify")
    d.p("Je vous propose un rendez-vous pour identifier les postes à pourvoir ; je peux vous présenter des "
        "candidats et mobiliser les structures d'insertion du territoire.", align="justify")
    d.tag("{%p endif %}")
    signature(d)
    d.save("relance.docx")


def attestation() -> None:
    d = Doc()
    sender(d)
    recipient(d)
    d.p()
    d.title("{{ titre }}")
    d.p("Je {{ facilitateur.soussigne }}{% if facilitateur.nom %} {{ facilitateur.nom }}{% endif %}, "
        "{{ facilitateur.fonction_phrase }}{% if facilitateur.structure %}, {{ facilitateur.structure }}{% endif %}, "
        "atteste {{ entreprise.raison_sociale|que }}{% if entreprise.siret %} (SIRET "
        "{{ entreprise.siret }}){% endif %}, titulaire du marché {{ marche.id }} « {{ marche.objet }} »"
        "{% if marche.lot %}, {{ marche.lot_libelle }}{% endif %} (donneur d'ordre : {{ donneur_ordre.nom }} ; "
        "{{ marche.dispositif_nom }}, du {{ marche.date_debut }} au {{ marche.date_fin }}), a réalisé"
        "{% if intermediaire %}, au {{ date_document }},{% endif %} "
        "{{ heures_realisees }} d'insertion ({{ semaines_realisees }} de 35 heures){% if npnru %}, dont "
        "{{ heures_comptees }} par des habitants des quartiers prioritaires, seules retenues pour ce marché NPNRU"
        "{% endif %}, pour {{ heures_prevues }} prévues{% if taux %}, soit un taux de réalisation de {{ taux }}"
        "{% endif %}.", align="justify")
    d.table(["Modalité", "Heures"], "m in par_modalite", ["{{ m.modalite }}", "{{ m.heures }}"],
            total=["Total", "{{ heures_realisees }}"])
    d.p()
    d.p("Dont heures travaillées : {{ heures_travaillees }} ; heures de formation : {{ heures_formation }}.")
    d.p("Nombre de personnes en insertion : {{ participants }}.")
    d.tag("{%p if avis %}")
    d.p("Avis {% if facilitateur.soussigne == 'soussignée' %}de la facilitatrice{% else %}du facilitateur{% endif %}"
        " : {{ avis }}", align="justify")
    d.tag("{%p endif %}")
    d.tag("{%p if intermediaire %}")
    d.p("Le marché est en cours jusqu'au {{ marche.date_fin }} : il reste {{ reste }} à réaliser à cette date.",
        align="justify")
    d.tag("{%p elif a_penalite %}")
    d.p("Heures non réalisées : {{ reste }}. La pénalité prévue de {{ penalite_heure }} par heure s'élèverait à "
        "{{ penalite }}.", align="justify")
    d.tag("{%p elif reste_nul %}")
    d.p("L'objectif d'heures est atteint : aucune pénalité ne s'applique.")
    d.tag("{%p else %}")
    d.p("Heures non réalisées : {{ reste }}.")
    d.tag("{%p endif %}")
    d.p("Attestation établie pour servir et valoir ce que de droit"
        "{% if not pour_entreprise %}, à l'intention du donneur d'ordre{% endif %}.", keep=True)
    d.p("{% if facilitateur.lieu %}Fait à {{ facilitateur.lieu }}, le{% else %}Fait le{% endif %} "
        "{{ date_document }}.", keep=True)
    signed(d)
    d.save("attestation.docx")


def bilan() -> None:
    d = letter("bilan {{ annee }} des clauses sociales – {{ donneur_ordre.nom }}")
    d.p("En {{ annee }}, j'ai suivi pour votre compte {{ marches_texte }} comportant une clause sociale. "
        "{% if nombre_marches > 1 %}Ils ont{% else %}Il a{% endif %} permis {{ heures_annee }} d'insertion dans l'année ({{ semaines_annee }} de 35 heures), au "
        "bénéfice de {{ personnes_texte }}.", align="justify")
    d.table(["Marché", "Objet", "Entreprise", "Heures prévues", "Heures {{ annee }}", "Heures cumulées", "Taux",
             "Pers. {{ annee }}"], "m in marches",
            ["{{ m.id }}", "{{ m.objet }}{% if m.lot %} – {{ m.lot_libelle }}{% endif %}", "{{ m.entreprise }}",
             "{{ m.heures_prevues }}", "{{ m.heures_annee }}",
             "{{ m.heures_cumulees }}{% if m.npnru %} (dont {{ m.heures_comptees }} QPV){% endif %}", "{{ m.taux }}",
             "{{ m.participants_annee }}"],
            total=["Total", "", "", "{{ heures_prevues }}", "{{ heures_annee }}", "{{ heures_cumulees }}", "",
                   "{{ participants }}"],
            widths=[2.0, 3.2, 2.5, 1.9, 1.8, 2.2, 1.7, 1.2], size=8)
    d.p()
    d.p("Les heures cumulées vont du début de chaque marché au 31 décembre {{ annee }} (ou à la date de ce "
        "courrier) ; les personnes sont comptées une fois même si elles ont travaillé sur plusieurs marchés."
        "{% if a_npnru %} Sur les marchés NPNRU, seules les heures des habitants des quartiers prioritaires (QPV) "
        "comptent pour l'objectif et le taux.{% endif %}", align="justify")
    signature(d)
    d.save("bilan_donneur_ordre.docx")


# --- Job offers ------------------------------------------------------------------------------

def offre() -> None:
    d = Doc()
    sender(d)
    recipient(d, "partenaire", name="nom", person="contact")
    d.p()
    d.p("Objet : offre d'emploi {{ offre.id }} – {{ offre.poste }}", bold=True)
    d.p()
    d.p("Madame, Monsieur,")
    d.p("{{ entreprise.raison_sociale }}{% if entreprise.commune %} ({{ entreprise.commune }})"
        "{% endif %} recrute dans le cadre d'une clause sociale d'insertion. Merci de diffuser cette offre et de me "
        "proposer des candidats éligibles.", align="justify")
    d.bullets([
        "Poste : {{ offre.poste }}{% if offre.code_rome %} (code ROME {{ offre.code_rome }}){% endif %}",
        "Nombre de postes : {{ offre.nombre_postes }}",
    ])
    d.bullet_if("offre.type_contrat or offre.duree", "Contrat : {{ offre.type_contrat }}{% if offre.duree %}"
                "{% if offre.type_contrat %}, durée{% else %}durée{% endif %} {{ offre.duree }}{% endif %}")
    d.bullets([
        "Temps de travail : {% if offre.heures_hebdo %}{{ offre.heures_hebdo }} par semaine{% else %}à préciser"
        "{% endif %}",
        "Début : {% if offre.date_debut %}{{ offre.date_debut }}{% else %}dès que possible{% endif %}",
    ])
    d.bullet_if("offre.lieu", "Lieu : {{ offre.lieu }}")
    d.bullet_if("offre.profil", "Profil recherché : {{ offre.profil }}")
    d.tag("{%p if a_marche %}")
    d.p("Ce poste relève de la clause sociale du marché {{ marche.id }} « {{ marche.objet }} » (donneur d'ordre : "
        "{{ donneur_ordre.nom }} ; {{ marche.dispositif_nom }}).", align="justify")
    d.tag("{%p endif %}")
    d.p("Rappel : les candidats doivent relever d'au moins un des publics suivants :")
    d.loop_bullets("p in publics", "{{ p }}")
    d.tag("{%p if npnru %}")
    d.p("Ce marché relève du renouvellement urbain (NPNRU) : seules les heures des habitants des quartiers "
        "prioritaires comptent. Les candidats doivent donc habiter l'un de ces quartiers : {{ quartiers }}.",
        bold=True, align="justify")
    d.tag("{%p endif %}")
    d.p("Merci de me faire parvenir vos propositions avant le {{ offre.date_limite }}.", bold=True)
    signature(d)
    d.save("offre_partenaire.docx")


MAIL = """\
Objet : Offre d'emploi {{ offre.id }} – {{ offre.poste }}

Bonjour{% if partenaire.contact %} {{ partenaire.contact }}{% endif %},

{{ entreprise.raison_sociale }} propose {{ offre.postes }} « {{ offre.poste }} » ({{ offre.type_contrat }}{% if offre.lieu %}, {{ offre.lieu }}{% endif %}) dans le cadre d'une clause sociale d'insertion{% if a_marche %} (marché {{ marche.id }}, {{ donneur_ordre.nom }}){% endif %}.

Vous trouverez l'offre détaillée en pièce jointe. Merci de me proposer des candidats éligibles avant le {{ offre.date_limite }}.

Bien cordialement,

{% if facilitateur.nom %}{{ facilitateur.nom }}
{% endif %}{{ facilitateur.fonction }}{% if facilitateur.structure %}, {{ facilitateur.structure }}{% endif %}
{% if facilitateur.telephone or facilitateur.courriel %}""" + CONTACT + """
{% endif %}"""


def main(argv: list[str]) -> int:
    """Write every template into `templates/` (or the folder given as first argument)."""
    global OUT
    if argv:
        OUT = Path(argv[0])
    OUT.mkdir(parents=True, exist_ok=True)
    clause_condition()
    clause_critere()
    clause_reserved("clause_marche_reserve_siae.docx", "marché réservé aux SIAE", "L2113-13",
                    "aux structures d'insertion par l'activité économique mentionnées à l'article L5132-4 du code "
                    "du travail (entreprises d'insertion, entreprises de travail temporaire d'insertion, "
                    "associations intermédiaires, ateliers et chantiers d'insertion) et aux structures "
                    "équivalentes, qui emploient des travailleurs défavorisés.")
    clause_reserved("clause_marche_reserve_ea_esat.docx", "marché réservé aux EA et ESAT", "L2113-12",
                    "aux entreprises adaptées (article L5213-13 du code du travail), aux établissements et "
                    "services d'aide par le travail (article L344-2 du code de l'action sociale et des familles) "
                    "et aux structures équivalentes, qui emploient des travailleurs handicapés.")
    clause_insertion()
    releve()
    relance()
    attestation()
    bilan()
    offre()
    (OUT / "offre_courriel.txt").write_text(MAIL, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
