"""Rule options: the typed, frozen dataclasses a configurable rule's check receives.

A rule never reads configuration; it declares `@rule(..., options=SomeOptions)` and takes a
second parameter `options: SomeOptions`. The engine hands it the instance built from the
config file's `rule-options`, or the defaults. Each field is declared with `option()` so the
config schema, `stridescan explain` and docs/rules.md can show its type, default and meaning.
"""

from __future__ import annotations

import dataclasses
import typing
from functools import lru_cache
from typing import Any

from stridescan._frozen import dataclass

# The field types an option may have, and how the config schema and the docs name them.
OPTION_TYPES: dict[Any, tuple[dict[str, Any], str]] = {
    tuple[str, ...]: ({"type": "array", "items": {"type": "string", "minLength": 1}}, "list"),
    bool: ({"type": "boolean"}, "boolean"),
    int: ({"type": "integer"}, "integer"),
    str: ({"type": "string"}, "string"),
}


def option(default: Any, doc: str) -> Any:
    """A dataclass field with its default and the one-line description users see."""
    return dataclasses.field(default=default, metadata={"doc": doc})


@dataclass(frozen=True, slots=True, kw_only=True)
class OptionField:
    """One option as users write it: `key` is the kebab-case name in the config file."""

    name: str
    key: str
    annotation: Any
    default: Any
    doc: str

    @property
    def type_name(self) -> str:
        return OPTION_TYPES[self.annotation][1]

    @property
    def json_schema(self) -> dict[str, Any]:
        return {"description": self.doc, **OPTION_TYPES[self.annotation][0]}


def option_fields(options_type: type[Any]) -> tuple[OptionField, ...]:
    """The options of a class; TypeError when it is not a frozen dataclass of `option()`s of
    a supported type, so a mistake fails at import time, not in a user's scan."""
    where = f"options class {options_type.__name__}"
    params = getattr(options_type, "__dataclass_params__", None)
    if params is None or not params.frozen:
        raise TypeError(f"{where} must be a frozen dataclass")
    hints = typing.get_type_hints(options_type)
    found = []
    for item in dataclasses.fields(options_type):
        annotation = hints[item.name]
        if annotation not in OPTION_TYPES:
            raise TypeError(f"{where}: field {item.name!r} has an unsupported type {annotation}")
        if item.default is dataclasses.MISSING or not item.metadata.get("doc"):
            raise TypeError(f"{where}: field {item.name!r} must be declared with option()")
        found.append(
            OptionField(
                name=item.name,
                key=item.name.replace("_", "-"),
                annotation=annotation,
                default=item.default,
                doc=item.metadata["doc"],
            )
        )
    return tuple(found)


@lru_cache(maxsize=64)  # asked for each container, of the same few option values
def _names(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(value.strip().upper().removeprefix("CAP_") for value in values)


@dataclass(frozen=True, slots=True, kw_only=True)
class CapabilityOptions:
    allowed: tuple[str, ...] = option(
        (), "Capabilities never reported when added, e.g. NET_ADMIN (the CAP_ prefix is optional)."
    )

    @property
    def allowed_names(self) -> frozenset[str]:
        return _names(self.allowed)


@dataclass(frozen=True, slots=True, kw_only=True)
class SecretNameOptions:
    extra_names: tuple[str, ...] = option(
        (),
        "More words or regular expressions that, like PASSWORD or TOKEN, mark a variable "
        "name as a secret when they end it (PIN flags DB_PIN); case is ignored.",
    )
    ignore_names: tuple[str, ...] = option(
        (),
        "Regular expressions matching whole variable names never reported, "
        "e.g. PUBLIC_.*_KEY; case is ignored.",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SecretFileOptions:
    extra_files: tuple[str, ...] = option(
        (),
        "More globs of build-context files that hold secrets, matched against the file name "
        "or its whole path (*.tfvars, config/prod/*).",
    )
    ignore_files: tuple[str, ...] = option(
        (),
        "Globs of files never reported, matched the same way (test/fixtures/*.pem).",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class TrustedRegistryOptions:
    trusted_registries: tuple[str, ...] = option(
        (),
        "Registries (registry.example.com) or registry paths (ghcr.io/acme) whose tags you "
        "control; their images are not reported. Docker Hub is docker.io.",
    )
