"""The columns of the consolidated DECP files (`decp.parquet`, its CSV twin) a market is made of.

Read by `adapters.decp_tabular`, merged and classified by `core.decp_frame`. This module imports nothing:
the early read's thread (`adapters.decp_early`) takes it while the main thread imports pandas.
"""

#: The columns without which a market cannot be read…
REQUIRED = ("uid", "id", "acheteur_id", "objet", "montant", "dateNotification")
#: … and those read when the file has them.
OPTIONAL = (
    "acheteur_nom", "acheteur_categorie", "acheteur_departement_code", "lieuExecution_code",
    "lieuExecution_typeCode", "codeCPV", "ccag", "nature", "type", "procedure", "dureeMois",
    "considerationsSociales", "titulaire_id", "titulaire_typeIdentifiant", "donneesActuelles",
)
