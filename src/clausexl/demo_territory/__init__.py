"""A fictitious territory with three years (2017-2019) of social-clause activity.

Why: the facilitator (and every test, template and screenshot of the project) needs a workbook
that looks like real work without holding a single real person. The agglomeration, its communes,
its buyers and companies are invented; people's names are common French first and last names
combined at random; phones are ``02 99 00 xx xx`` and e-mails live on ``example.org`` /
``example.fr``.  Everything is drawn from ``random.Random(seed)``, so a seed always gives the
same rows.

Year 2018 is calibrated on the key figures of a real facilitator's 2018 activity (146
participants, 28 900 hours, 30 markets of which 55 % works, 14 buyers, 29 companies, about half
of them local) with the definitions of docs/calculs.md §3; 2017 is smaller and 2019 larger. The
reference date is 31 December 2019: statuses are consistent with it and a few things are left
due on that day (follow-ups at 6 months not yet recorded, a running market behind schedule, open
job offers).

Pure Python: the outer dict maps each table name of the schema (except ``T_Parametres``) to rows
keyed by the schema's column keys; :func:`demo_parameters` gives the ``T_Parametres`` values.

The package is cut along the generator's seams, one module a reading. ``rows`` runs the whole
seeded pass in order (the order of the draws is what makes a seed give the same rows).
``territory``, ``names``, ``siret``, ``trades`` and ``plan`` hold the invented data;
``records``, ``companies``, ``markets``, ``activity`` (contracts and hours), ``people``,
``calibration`` and ``calibration_targets`` build the linked records; ``market_rows``,
``participants``, ``pool``, ``follow_up``, ``offers``, ``partners`` and ``parameters`` turn
them into rows; ``dates`` and ``chance`` are the small calendar and random helpers; ``decp`` writes a
DECP open-data sample around the territory for ``reperer``.
"""

from __future__ import annotations

from .calibration_targets import CALIBRATED_YEAR
from .dates import REF_DATE, add_months
from .decp import decp_sample
from .parameters import demo_parameters
from .rows import demo_rows

__all__ = ["CALIBRATED_YEAR", "REF_DATE", "add_months", "decp_sample", "demo_parameters", "demo_rows"]
