"""Request bodies the app reads by hand, refused in one line when they are hostile:
an edit is a small flat JSON object of text, ids and lists of names."""

from __future__ import annotations

import json
from typing import Any

from briefing_nlp.errors import InputError

MAX_DIGITS = 19  # ids are 64-bit: a longer number is no id
MAX_DEPTH = 4  # {"themes": [...]} is as deep as an edit goes


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise InputError(f"the edit holds a number of {len(text)} digits; ids are at most 19")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise InputError(f"the edit holds the number {text[:20]}..., too large to be anything")
    return value


def _constant(name: str) -> Any:
    raise InputError(f"the edit holds {name}, which is not JSON; send numbers as digits")


def parse_edit(raw: bytes) -> dict[str, Any]:
    """The edit in `raw`, a JSON object.

    Raises:
        InputError: not JSON, not an object, nested too deeply, a number too large, or
            text that is not valid Unicode (a lone surrogate).
    """
    try:
        body = json.loads(raw, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise InputError("the edit is nested too deeply; send one flat JSON object") from None
    except (ValueError, UnicodeDecodeError):
        raise InputError("send the edit as a JSON object") from None
    if not isinstance(body, dict):
        raise InputError("send the edit as a JSON object")
    _check(body, 1)
    return body


def _check(value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise InputError("the edit is nested too deeply; send one flat JSON object")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(
                "the edit's text holds a lone surrogate (broken Unicode); paste the text again"
            ) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)
