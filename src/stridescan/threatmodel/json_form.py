"""The threat model as JSON, for other tools; `schemas/threat-model.schema.json` documents it.

The document is the model's data classes field by field (enums as their values, tuples as
arrays), so it holds exactly what the Markdown and HTML forms show and cannot drift from
them; keys keep the data classes' order and the output ends with a newline, so it diffs well.
"""

from __future__ import annotations

import dataclasses
import enum
import json

from stridescan.threatmodel.report import PublishedPort, ThreatModel

SCHEMA_ID = "https://github.com/stridescan/stridescan/blob/main/schemas/threat-model.schema.json"

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def to_json(value: object) -> JsonValue:
    """A data class tree as plain JSON values."""
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        return [to_json(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, JsonValue] = {
            f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
        if isinstance(value, PublishedPort):
            out["label"] = value.label
        return out
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def document(model: ThreatModel) -> dict[str, JsonValue]:
    body = to_json(model)
    assert isinstance(body, dict)
    return {"$schema": SCHEMA_ID, **body}


def render(model: ThreatModel) -> str:
    return json.dumps(document(model), indent=2, ensure_ascii=False) + "\n"
