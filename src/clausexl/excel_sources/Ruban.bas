Attribute VB_Name = "Ruban"
' Ribbon callbacks of the "Clauses sociales" tab (customUI14.xml).
' No business logic here: each button only hands one call to Python through xlwings.
' Kept in step with src/clausexl/excel/buttons.py (checked by tests/test_workbook_build.py).
Option Explicit

Sub BoutonVerifierSaisie(control As IRibbonControl)
    RunPython "import clausexl.excel.saisie as x; x.verifier_saisie()"
End Sub

Sub BoutonAFaire(control As IRibbonControl)
    RunPython "import clausexl.excel.saisie as x; x.a_faire()"
End Sub

Sub BoutonCalculerHeures(control As IRibbonControl)
    RunPython "import clausexl.excel.heures as x; x.calculer_heures()"
End Sub

Sub BoutonRedigerClause(control As IRibbonControl)
    RunPython "import clausexl.excel.documents as x; x.rediger_clause()"
End Sub

Sub BoutonCourriersSuivi(control As IRibbonControl)
    RunPython "import clausexl.excel.documents as x; x.courriers_suivi()"
End Sub

Sub BoutonAttestations(control As IRibbonControl)
    RunPython "import clausexl.excel.documents as x; x.attestations()"
End Sub

Sub BoutonRelevesARemplir(control As IRibbonControl)
    RunPython "import clausexl.excel.releves as x; x.releves_a_remplir()"
End Sub

Sub BoutonImporterReleves(control As IRibbonControl)
    RunPython "import clausexl.excel.releves as x; x.importer_releves()"
End Sub

Sub BoutonProposerCandidats(control As IRibbonControl)
    RunPython "import clausexl.excel.offres as x; x.proposer_candidats()"
End Sub

Sub BoutonDiffuserOffre(control As IRibbonControl)
    RunPython "import clausexl.excel.offres as x; x.diffuser_offre()"
End Sub

Sub BoutonSyntheseAnnee(control As IRibbonControl)
    RunPython "import clausexl.excel.bilan as x; x.synthese_annee()"
End Sub

Sub BoutonGuide(control As IRibbonControl)
    RunPython "import clausexl.excel.aide as x; x.guide()"
End Sub
