"""The configuration file: found, read with line numbers, validated, turned into a `Config`.

`.stridescan.yaml` (or `.stridescan.yml`), or the `[tool.stridescan]` table of
`pyproject.toml`; the nearest one in the scanned path's directory or above it counts. The file
is checked against `schemas/config.schema.json`, shipped in the package so editors can use
it too, and every error names the file, the line of the bad key and the valid choices.
jsonschema and the TOML reader are imported only when a file exists, so plain scans start fast.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from stridescan._frozen import dataclass
from stridescan.diagnostics import ParseError, UsageError
from stridescan.rules._meta import Severity
from stridescan.rules._registry import Rule

CONFIG_NAMES = (".stridescan.yaml", ".stridescan.yml")
PYPROJECT = "pyproject.toml"
_TOOL_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*stridescan\s*[\].]", re.MULTILINE)

JsonPath = tuple[str | int, ...]


class ConfigError(UsageError):
    """A configuration file stridescan cannot use; rendered as `path:line: error: ...`."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        shown = _shown(path)
        where = f"{shown}:{line}" if line is not None else shown
        super().__init__(f"{where}: error: {message}")
        self.path = path
        self.line = line
        self.message = message


def _shown(path: Path) -> str:
    """The path relative to the working directory when it is below it, as editors link it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (OSError, ValueError):
        return str(path)


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """What a configuration file says; None / empty means "not set, use the default"."""

    path: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()  # rule code, severity
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    fail_on: Severity | None = None
    fail_on_parse_error: bool | None = None
    require_suppression_reason: bool | None = None
    report_unused_suppressions: bool | None = None
    baseline: Path | None = None
    # (rule code, its options dataclass instance), sorted by code.
    rule_options: tuple[tuple[str, Any], ...] = ()

    @property
    def directory(self) -> Path | None:
        return self.path.parent if self.path is not None else None


def find_config(start: Path) -> Path | None:
    """The nearest config file in `start` (a file's directory) or any directory above it."""
    # realpath, not resolve(): it does not raise on a symbolic-link loop.
    directory = Path(os.path.realpath(start))
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        return _TOOL_TABLE.search(pyproject.read_text(encoding="utf-8")) is not None
    except (OSError, UnicodeDecodeError):
        return False


def load_config(path: Path, rules: Sequence[Rule]) -> Config:
    """Read and validate `path`; ConfigError names the file and line of the first problems."""
    try:
        from stridescan.sourcetext import read_source

        text = read_source(path)
    except ParseError as error:
        raise ConfigError(path, error.line, error.message) from None
    if path.name == PYPROJECT:
        data, lines = _read_pyproject(text, path)
    else:
        data, lines = _read_yaml(text, path)
    errors = sorted(_schema_errors(data, lines), key=lambda e: (e[0] or 0, e[1]))
    if not errors:
        errors = sorted(_name_errors(data, lines, rules), key=lambda e: (e[0] or 0, e[1]))
    if errors:
        line, message = errors[0]
        shown = _shown(path)
        extra = [f"{shown}:{n}: error: {m}" if n else f"{shown}: error: {m}" for n, m in errors[1:]]
        raise ConfigError(path, line, "\n".join([message, *extra]))
    return _to_config(data, path)


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Lines:
    """The line of each key or item by its JSON path; `fallback` when a path is unknown."""

    by_path: dict[JsonPath, int]
    fallback: int | None

    def of(self, path: JsonPath) -> int | None:
        for end in range(len(path), 0, -1):
            line = self.by_path.get(path[:end])
            if line is not None:
                return line
        return self.fallback


def _read_yaml(text: str, path: Path) -> tuple[Any, _Lines]:
    from stridescan.yamlsource import load_documents

    documents = list(load_documents(text))
    if not documents:
        return {}, _Lines({}, 1)
    first = documents[0]
    if first.error is not None:
        raise ConfigError(path, first.error.line, first.error.message)
    if len(documents) > 1:
        raise ConfigError(path, documents[1].start_line, "a config file holds one YAML document")
    lines: dict[JsonPath, int] = {}
    assert first.root is not None
    data = _plain(first.root, (), lines, path)
    return ({} if data is None else data), _Lines(lines, first.root.line)


def _plain(node: Any, at: JsonPath, lines: dict[JsonPath, int], path: Path) -> Any:
    """A YAML node as plain data, recording the line of every key and item."""
    from stridescan.yamlsource import Mapping, Scalar, Sequence

    if isinstance(node, Mapping):
        if node.duplicates:
            key = node.duplicates[0]
            raise ConfigError(path, key.line, f"key {key.value!r} is written twice")
        out: dict[str, Any] = {}
        for name, (key_node, value) in node.entries.items():
            key_path: JsonPath = (*at, name)
            lines[key_path] = key_node.line
            out[name] = _plain(value, key_path, lines, path)
        return out
    if isinstance(node, Sequence):
        items = []
        for index, item in enumerate(node.items):
            item_path: JsonPath = (*at, index)
            lines[item_path] = item.line
            items.append(_plain(item, item_path, lines, path))
        return items
    assert isinstance(node, Scalar)
    return _scalar(node)


def _scalar(node: Any) -> Any:
    if node.tag == "null":
        return None
    if node.tag == "bool":
        return node.as_bool()
    if node.tag == "int":
        try:
            return int(node.value, 0)
        except ValueError:
            return node.value
    if node.tag == "float":
        return float(node.value)
    return node.value


def _read_pyproject(text: str, path: Path) -> tuple[Any, _Lines]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) if found else text.count("\n") or 1
        raise ConfigError(path, line, f"invalid TOML: {error}") from None
    data = document.get("tool", {}).get("stridescan", {})
    header = _TOOL_TABLE.search(text)
    table_line = text.count("\n", 0, header.start()) + 1 if header else None
    return data, _Lines(dict(_toml_key_lines(text, data, table_line)), table_line)


def _toml_key_lines(text: str, data: Any, table_line: int | None) -> Iterator[tuple[JsonPath, int]]:
    """Best-effort lines of the table's top-level keys: `key =` after the table header, or a
    `[tool.stridescan.key]` sub-table; other paths fall back to the table's line."""
    if not isinstance(data, dict) or table_line is None:
        return
    lines = text.splitlines()
    for key in data:
        quoted = re.escape(key)
        sub_table = re.compile(rf"^\s*\[\s*tool\.stridescan\.\"?{quoted}\"?\s*\]")
        assignment = re.compile(rf"^\s*\"?{quoted}\"?\s*=")
        for number, line in enumerate(lines[table_line - 1 :], start=table_line):
            if sub_table.match(line) or assignment.match(line):
                yield (key,), number
                break


# --- validation ----------------------------------------------------------------------------


def schema() -> dict[str, Any]:
    """The configuration schema shipped in the package."""
    import json
    from importlib.resources import files

    text = files("stridescan").joinpath("schemas/config.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _schema_errors(data: Any, lines: _Lines) -> Iterator[tuple[int | None, str]]:
    from jsonschema import Draft202012Validator

    document = schema()
    properties = document["properties"]
    for error in Draft202012Validator(document).iter_errors(data):
        at: JsonPath = tuple(error.absolute_path)
        where = _dotted(at)
        if error.validator == "additionalProperties" and not at:
            for key in sorted(set(error.instance) - set(properties)):
                valid = ", ".join(properties)
                yield lines.of((key,)), f"unknown key {key!r}; valid keys: {valid}"
        elif error.validator == "additionalProperties" and at[0] == "rule-options":
            known = error.schema.get("properties", {})
            what = "a rule with options" if len(at) == 1 else "an option of this rule"
            for key in sorted(set(error.instance) - set(known)):
                valid = ", ".join(known)
                yield lines.of((*at, key)), f"{where}: {key!r} is not {what}; valid: {valid}"
        elif error.validator == "enum":
            choices = ", ".join(str(choice) for choice in error.validator_value)
            yield lines.of(at), f"{where} is {error.instance!r}; valid choices: {choices}"
        elif error.validator == "type":
            wanted = error.validator_value
            wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
            got = _json_type(error.instance)
            yield (
                lines.of(at),
                f"{where or 'the configuration'} must be {_article(wanted)}, not {got}",
            )
        elif "propertyNames" in error.schema_path:
            name = error.instance
            problem = "is not a rule code or slug" if at == ("severity",) else "is not valid"
            yield lines.of((*at, name)), f"{where}: {name!r} {problem}"
        else:
            yield lines.of(at), f"{where or 'the configuration'}: {error.message}"


def _name_errors(
    data: dict[str, Any], lines: _Lines, rules: Sequence[Rule]
) -> Iterator[tuple[int | None, str]]:
    """Selectors and rule names the catalogue does not know; the schema cannot list them."""
    from stridescan.rules._registry import find_rule
    from stridescan.selection import VALID_CHOICES, SelectorError, resolve

    for key in ("select", "ignore"):
        for index, selector in enumerate(data.get(key, ())):
            try:
                resolve(selector, rules)
            except SelectorError:
                at: JsonPath = (key, index)
                yield (
                    lines.of(at),
                    f"{_dotted(at)}: {selector!r} names no rule; valid: {VALID_CHOICES}",
                )
    for name in data.get("severity", {}):
        if find_rule(name) is None:
            yield (
                lines.of(("severity", name)),
                f"severity: no rule {name!r}; use a rule code or slug (`stridescan rules`)",
            )
    from stridescan.rule_options import value_errors

    for at, message in value_errors(data, rules):
        yield lines.of(at), message
    for pattern, selectors in data.get("per-path-ignores", {}).items():
        for index, selector in enumerate(selectors):
            try:
                resolve(selector, rules)
            except SelectorError:
                item: JsonPath = ("per-path-ignores", pattern, index)
                yield (
                    lines.of(item),
                    f"{_dotted(item)}: {selector!r} names no rule; valid: {VALID_CHOICES}",
                )


def _dotted(path: JsonPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"the string {value!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def _article(json_type: str) -> str:
    names = {"array": "a list", "object": "a mapping", "boolean": "true or false"}
    return names.get(json_type, f"a {json_type}")


# --- conversion ----------------------------------------------------------------------------


def _to_config(data: dict[str, Any], path: Path) -> Config:
    from stridescan.rule_options import configured_options
    from stridescan.rules._registry import find_rule

    severities = []
    for name, level in data.get("severity", {}).items():
        found = find_rule(name)
        assert found is not None  # checked by _name_errors
        severities.append((found.code, Severity(level)))
    baseline = data.get("baseline")
    return Config(
        path=path,
        select=tuple(data["select"]) if "select" in data else None,
        ignore=tuple(data.get("ignore", ())),
        severity=tuple(severities),
        per_path_ignores=tuple(
            (pattern, tuple(selectors))
            for pattern, selectors in data.get("per-path-ignores", {}).items()
        ),
        exclude=tuple(data.get("exclude", ())),
        fail_on=Severity(data["fail-on"]) if "fail-on" in data else None,
        fail_on_parse_error=data.get("fail-on-parse-error"),
        require_suppression_reason=data.get("require-suppression-reason"),
        report_unused_suppressions=data.get("report-unused-suppressions"),
        baseline=path.parent / baseline if baseline is not None else None,
        rule_options=configured_options(data),
    )
