"""The `rule-options` configuration key: its JSON schema, its checks and its values.

The schema part is generated from the rules' option dataclasses; config.schema.json holds a
copy (editors read the file) that a test keeps equal to `schema_parts`, so a new option
cannot be forgotten there. Regular expressions are checked here, as the schema cannot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from stridescan.rules._options import option_fields
from stridescan.rules._registry import Rule

KEY = "rule-options"
# Options whose entries are regular expressions, checked when the file is loaded.
REGEX_OPTIONS = frozenset(("extra-names", "ignore-names"))


def configurable(rules: Sequence[Rule]) -> tuple[Rule, ...]:
    return tuple(rule for rule in rules if rule.options_type is not None)


def schema_parts(rules: Sequence[Rule]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The `rule-options` property and the `$defs` entries (one per options class) it uses."""
    properties: dict[str, Any] = {}
    definitions: dict[str, Any] = {}
    for rule in configurable(rules):
        assert rule.options_type is not None
        name = rule.options_type.__name__
        definitions[name] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {f.key: f.json_schema for f in option_fields(rule.options_type)},
        }
        for key in (rule.code, rule.slug):
            properties[key] = {"$ref": f"#/$defs/{name}"}
    described = {
        "description": "Options of the rules that have them, by rule code or slug "
        "(`stridescan explain CODE` lists a rule's options).",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
    return described, dict(sorted(definitions.items()))


def refreshed_schema_text(text: str, rules: Sequence[Rule]) -> str:
    """config.schema.json's text with the generated parts replaced and the hand-written rest
    kept as it is: the `rule-options` property (last) and the options `$defs` (first)."""
    import json

    def block(value: Any) -> str:
        return json.dumps(value, indent=2).replace("\n", "\n    ")

    described, definitions = schema_parts(rules)
    start = text.index(f'    "{KEY}": ')
    middle = text.index('\n  },\n  "$defs": {\n', start)
    end = text.index('    "severity": ', middle)
    generated = "".join(f'    "{name}": {block(value)},\n' for name, value in definitions.items())
    return (
        f'{text[:start]}    "{KEY}": {block(described)}\n  }},\n  "$defs": {{\n'
        f"{generated}{text[end:]}"
    )


def value_errors(
    data: dict[str, Any], rules: Sequence[Rule]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, message) for a rule configured twice or a regular expression that is invalid;
    the schema has already checked names and types."""
    from stridescan.rules._registry import find_rule

    seen: dict[str, str] = {}
    for name, values in data.get(KEY, {}).items():
        found = find_rule(name)
        assert found is not None
        if found.code in seen:
            yield (KEY, name), f"{KEY}: {name!r} and {seen[found.code]!r} both name {found.code}"
        seen[found.code] = name
        for key in REGEX_OPTIONS & set(values):
            for index, expression in enumerate(values[key]):
                try:
                    re.compile(expression)
                except re.error as error:
                    yield (
                        (KEY, name, key, index),
                        f"{KEY}.{name}.{key}[{index}]: {expression!r} is not a valid regular "
                        f"expression ({error})",
                    )


def configured_options(data: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """(rule code, options instance) for each rule the file configures, by code."""
    from stridescan.rules._registry import find_rule

    found_options = []
    for name, values in data.get(KEY, {}).items():
        found = find_rule(name)
        assert found is not None and found.options_type is not None
        fields = {field.key: field for field in option_fields(found.options_type)}
        arguments = {
            fields[key].name: tuple(value) if isinstance(value, list) else value
            for key, value in values.items()
        }
        found_options.append((found.code, found.options_type(**arguments)))
    return tuple(sorted(found_options, key=lambda item: item[0]))


def options_markdown(rule: Rule) -> str:
    """A rule's options as a Markdown table, or "" when it has none."""
    if rule.options_type is None:
        return ""
    rows = [
        f"| `{f.key}` | {f.type_name} | `{_shown(f.default)}` | {f.doc} |"
        for f in option_fields(rule.options_type)
    ]
    return "\n".join(
        [
            f"Set under `{KEY}: {{{rule.slug}: ...}}` in the configuration file.",
            "",
            "| option | type | default | description |",
            "|---|---|---|---|",
            *rows,
        ]
    )


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(str(item) for item in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


if __name__ == "__main__":  # refresh both copies of the schema after changing an option
    from pathlib import Path

    from stridescan.rules._registry import all_rules

    top = Path(__file__).resolve().parents[2]
    for schema_path in (top / "schemas", Path(__file__).parent / "schemas"):
        target = schema_path / "config.schema.json"
        if not target.is_file():
            continue
        fresh = refreshed_schema_text(target.read_text(encoding="utf-8"), all_rules())
        target.write_text(fresh, encoding="utf-8")
