"""The verbs' JSON, written faster, is the standard library's text character for character."""

from __future__ import annotations

import datetime as dt
import enum
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bad_workbooks import base_rows
from clausexl.cli.json_text import dumps
from clausexl.verbs.heures import heures
from workbooks import make_workbook


def standard(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


class Code(str, enum.Enum):
    ERREUR = "erreur"


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                    st.dates(), st.just(Code.ERREUR), st.just(Path("a/b.xlsx")))
keys = st.one_of(st.text(max_size=5), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
trees = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(st.text(max_size=5), inner, max_size=4),
    st.dictionaries(keys, inner, max_size=3)), max_leaves=25)


@settings(max_examples=400, deadline=None)
@given(trees)
def test_same_text_as_the_standard_encoder(data: Any) -> None:
    assert dumps(data) == standard(data)


def test_same_text_on_a_verbs_output(tmp_path: Path) -> None:
    """Lists of flat records with text, numbers, null and nested lists: the shapes the verbs print."""
    data = heures(make_workbook(tmp_path, base_rows()), dt.date(2018, 12, 31)).to_dict()
    assert data["marches"] and data["mois"]
    assert dumps(data) == standard(data)
    assert dumps({"constats": [], "erreurs": 0, "é": [{"a": [1, {"b": None}]}, {}]}) == \
        standard({"constats": [], "erreurs": 0, "é": [{"a": [1, {"b": None}]}, {}]})
