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

Sub BoutonRepererMarches(control As IRibbonControl)
    Dim chosen As Variant
    #If Mac Then
        chosen = Application.GetOpenFilename()
    #Else
        chosen = Application.GetOpenFilename("Fichiers DECP ou listes de rep" & ChrW(233) & "rage (*.json;*.csv;*.parquet;*.xlsx),*.json;*.csv;*.parquet;*.xlsx", , "Choisir un fichier DECP ou une liste de rep" & ChrW(233) & "rage")
    #End If
    If VarType(chosen) = vbBoolean Then Exit Sub
    RunPython "import clausexl.excel.marches as x; x.reperer_marches('" & HexUtf16(CStr(chosen)) & "')"
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

Sub BoutonExtrairePersonne(control As IRibbonControl)
    RunPython "import clausexl.excel.donnees_personnelles as x; x.extraire_personne()"
End Sub

Sub BoutonAnonymiser(control As IRibbonControl)
    RunPython "import clausexl.excel.donnees_personnelles as x; x.anonymiser()"
End Sub

Sub BoutonGuide(control As IRibbonControl)
    RunPython "import clausexl.excel.aide as x; x.guide()"
End Sub

' A chosen path as the hexadecimal of its UTF-16 code units (4 digits each): only 0-9 and A-F
' reach Python, whatever the path holds (accents, spaces, quotes), through cmd and AppleScript.
Private Function HexUtf16(text As String) As String
    Dim i As Long
    For i = 1 To Len(text)
        HexUtf16 = HexUtf16 & Right$("000" & Hex$(AscW(Mid$(text, i, 1)) And &HFFFF&), 4)
    Next i
End Function
