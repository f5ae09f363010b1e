"""The JSON the verbs print: `json.dumps(data, ensure_ascii=False, indent=2, default=str)`, written
faster.

With `indent`, the standard library encodes in Python, value by value (`heures --json` prints
230 000 values: a third of a second at ×1); without it, in C. The verbs' JSON is mostly lists of
flat records, so a container whose values are all plain (text, numbers, true/false/null) is
encoded in one C call, with separators that put each item on its own indented line; any other
container is walked here, and anything unusual (keys that are not text, values of other types)
goes back to the standard encoder. The text is the same, character for character
(`tests/test_json_text.py` compares them on random data and on a verb's output).
"""

from __future__ import annotations

import json
from typing import Any

_PLAIN = frozenset({str, int, float, bool, type(None)})
_STANDARD = json.JSONEncoder(ensure_ascii=False, indent=2, default=str)


def dumps(data: Any) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2, default=str)`."""
    return _encode(data, 0)


def _encode(value: Any, level: int) -> str:
    kind = type(value)
    if kind is dict:
        return _encode_dict(value, level)
    if kind is list or kind is tuple:
        return _encode_list(value, level)
    if kind in _PLAIN:
        return json.dumps(value, ensure_ascii=False)
    return _standard(value, level)


def _encode_dict(value: dict[Any, Any], level: int) -> str:
    if not value:
        return "{}"
    if any(type(k) is not str for k in value):
        return _standard(value, level)
    inner = "\n" + "  " * (level + 1)
    if set(map(type, value.values())) <= _PLAIN:
        flat = json.dumps(value, ensure_ascii=False, separators=("," + inner, ": "))
        return "{" + inner + flat[1:-1] + "\n" + "  " * level + "}"
    items = [json.dumps(k, ensure_ascii=False) + ": " + _encode(v, level + 1) for k, v in value.items()]
    return "{" + inner + ("," + inner).join(items) + "\n" + "  " * level + "}"


def _encode_list(value: list[Any] | tuple[Any, ...], level: int) -> str:
    if not value:
        return "[]"
    inner = "\n" + "  " * (level + 1)
    if set(map(type, value)) <= _PLAIN:
        flat = json.dumps(value, ensure_ascii=False, separators=("," + inner, ": "))
        return "[" + inner + flat[1:-1] + "\n" + "  " * level + "]"
    items = [_encode(v, level + 1) for v in value]
    return "[" + inner + ("," + inner).join(items) + "\n" + "  " * level + "]"


def _standard(value: Any, level: int) -> str:
    """The standard encoder's text for `value`, re-indented for its depth."""
    text = _STANDARD.encode(value)
    return text.replace("\n", "\n" + "  " * level) if level else text
