"""`dataclass(frozen=True, slots=True)` for the model, built without compiling six methods.

`dataclasses` writes each generated method (`__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__`, `__delattr__`) as source text and compiles it with `exec`: about 0.6 ms per
class, most of `stridescan.model`'s import and so of a one-file scan's start-up. Here
`dataclasses` still processes the fields (so `fields`, `replace`, `is_dataclass` and
`__match_args__` work as before) but generates nothing; `__init__` alone is compiled, when
the class's first instance is made (or its signature is asked for), and the other methods
are shared functions over each class's field getter.
Behaviour is the standard library's: the same signature, equality, hash values (so set
order), repr, `FrozenInstanceError`, and pickled state.

Only frozen, slotted classes with plain fields are built this way; any other form (not
frozen, `__post_init__`, `InitVar`, `init=False` fields, inheritance, other options) takes
the standard path. Modules import `dataclass` from here in place of `dataclasses`; type
checkers see `dataclasses.dataclass` itself.
"""

from __future__ import annotations

import dataclasses
import operator
import reprlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

_C = TypeVar("_C", bound=type)


def frozen_dataclass(
    cls: _C | None = None,
    /,
    *,
    frozen: bool = False,
    slots: bool = False,
    kw_only: bool = False,
    **options: Any,
) -> Any:
    """Decorate like `dataclasses.dataclass`; frozen, slotted classes are built cheaply."""

    def wrap(cls: _C) -> _C:
        if frozen and slots and not options and _plain(cls):
            return _build(cls, kw_only)
        return cast(
            _C, dataclasses.dataclass(cls, frozen=frozen, slots=slots, kw_only=kw_only, **options)
        )

    return wrap if cls is None else wrap(cls)


if TYPE_CHECKING:
    # mypy's dataclass support keys on this name, so type checking sees plain dataclasses.
    from dataclasses import dataclass as dataclass
else:
    dataclass = frozen_dataclass


_GENERATED = frozenset(
    (
        "__post_init__",
        "__init__",
        "__repr__",
        "__eq__",
        "__hash__",
        "__setattr__",
        "__delattr__",
        "__getstate__",
        "__setstate__",
    )
)


def _plain(cls: type) -> bool:
    """Whether the class needs nothing beyond fields: other forms keep the standard path."""
    if not _GENERATED.isdisjoint(cls.__dict__):
        return False  # a method of its own, which dataclasses keeps or refuses
    if any(dataclasses.is_dataclass(base) for base in cls.__mro__[1:]):
        return False  # inherited fields and the frozen-inheritance checks
    for value in cls.__dict__.values():
        if isinstance(value, dataclasses.Field) and not value.init:
            return False
    annotations = getattr(cls, "__annotations__", {})
    return not any("InitVar" in str(annotation) for annotation in annotations.values())


def _build(cls: _C, kw_only: bool) -> _C:
    undocumented = not cls.__doc__
    if undocumented:
        cls.__doc__ = "-"  # dataclasses would run `inspect.signature` on a class with no init
    new = cast(
        _C,
        dataclasses.dataclass(
            cls, init=False, repr=False, eq=False, frozen=False, slots=True, kw_only=kw_only
        ),
    )
    params = new.__dict__["__dataclass_params__"]
    params.init = params.repr = params.eq = params.frozen = True
    fields = dataclasses.fields(new)
    names = tuple(f.name for f in fields)
    compared = _getter(tuple(f.name for f in fields if f.compare))
    hashed = _getter(tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))
    shown = tuple(f.name for f in fields if f.repr)
    for name, method in (
        ("__init__", _first_init(new, fields)),
        ("__repr__", _make_repr(shown)),
        ("__eq__", _make_eq(compared)),
        ("__hash__", _make_hash(hashed)),
        ("__setattr__", _make_setattr(new, frozenset(names))),
        ("__delattr__", _make_delattr(new, frozenset(names))),
        ("__getstate__", _make_getstate(names)),
        ("__setstate__", _make_setstate(new, names)),
    ):
        method.__qualname__ = f"{new.__qualname__}.{name}"
        setattr(new, name, method)
    new.__signature__ = _CompileOnLookup()  # type: ignore[attr-defined]
    if undocumented:
        import inspect  # only for the two model classes without a docstring

        signature = str(inspect.signature(new)).replace(" -> None", "")
        new.__doc__ = new.__name__ + signature
    return new


def _getter(names: tuple[str, ...]) -> Callable[[object], tuple[Any, ...]]:
    """A function returning the named fields as a tuple, as the generated methods build it."""
    if not names:
        return lambda _: ()
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    many: Callable[[object], tuple[Any, ...]] = operator.attrgetter(*names)
    return many


def _first_init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """An `__init__` that compiles the real one on the class's first instance.

    A scan instantiates a fraction of its classes, and model.py gives `Location` and
    `Located` hand-written ones: compiling every class's at import was most of its cost.
    """

    def __init__(self: object, *args: Any, **kwargs: Any) -> None:
        _install_init(cls)(self, *args, **kwargs)

    __init__.__module__ = cls.__module__
    _PENDING[cls] = (__init__, fields)
    return __init__


# Classes whose compiled `__init__` is still to come: their placeholder and fields.
_PENDING: dict[type, tuple[Callable[..., None], tuple[dataclasses.Field[Any], ...]]] = {}


def _install_init(cls: type) -> Callable[..., None]:
    """The class's compiled `__init__`, put in place of the placeholder if it still is."""
    with _INSTALLING:  # two threads' first instances: the second waits and takes the first's
        pending = _PENDING.pop(cls, None)
        if pending is None:
            installed: Callable[..., None] = cls.__dict__["__init__"]
            return installed
        placeholder, fields = pending
        init = _make_init(cls, fields)
        init.__qualname__ = f"{cls.__qualname__}.__init__"
        if cls.__dict__.get("__init__") is placeholder:
            type.__setattr__(cls, "__init__", init)
        return init


_INSTALLING = threading.Lock()


class _CompileOnLookup:
    """`__signature__` of a class built here: `inspect.signature` reads it first, and it
    compiles the real `__init__` then (None tells inspect to go on as usual), so signatures
    and `help()` show the fields, as they do for standard dataclasses."""

    def __get__(self, instance: object, owner: type) -> None:
        if owner in _PENDING:
            _install_init(owner)


def _make_init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """Compile `__init__`, storing each field through its slot descriptor like model.py's."""
    namespace: dict[str, Any] = {"__factory_marker": _FACTORY}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for f in fields:
        setter = f"__set_{f.name}"
        namespace[setter] = cls.__dict__[f.name].__set__
        param = f.name
        value = f.name
        if f.default is not dataclasses.MISSING:
            namespace[f"__default_{f.name}"] = f.default
            param = f"{f.name}=__default_{f.name}"
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"__factory_{f.name}"] = f.default_factory
            param = f"{f.name}=__factory_marker"
            value = f"__factory_{f.name}() if {f.name} is __factory_marker else {f.name}"
        (keyword if f.kw_only else positional).append(param)
        body.append(f"    {setter}(self, {value})")
    params = ["self", *positional]
    if keyword:
        params += ["*", *keyword]
    source = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(source, namespace)  # the source holds only the class's own field names
    init: Callable[..., None] = namespace["__init__"]
    init.__module__ = cls.__module__
    # What the generated `__init__` is annotated with, for `inspect.signature` and the docs.
    init.__annotations__ = {f.name: f.type for f in fields} | {"return": None}
    return init


class _FactoryMarker:
    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _FactoryMarker()


def _make_repr(names: tuple[str, ...]) -> Callable[[object], str]:
    @reprlib.recursive_repr(fillvalue="...")
    def __repr__(self: object) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({inner})"

    return __repr__


def _make_eq(compared: Callable[[object], tuple[Any, ...]]) -> Callable[[object, object], Any]:
    def __eq__(self: object, other: object) -> Any:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    return __eq__


def _make_hash(hashed: Callable[[object], tuple[Any, ...]]) -> Callable[[object], int]:
    def __hash__(self: object) -> int:
        return hash(hashed(self))

    return __hash__


_super: Any = super  # mypy cannot follow `super` over a class known only at run time


def _make_setattr(cls: type, names: frozenset[str]) -> Callable[[object, str, object], None]:
    def __setattr__(self: object, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        _super(cls, self).__setattr__(name, value)

    return __setattr__


def _make_delattr(cls: type, names: frozenset[str]) -> Callable[[object, str], None]:
    def __delattr__(self: object, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        _super(cls, self).__delattr__(name)

    return __delattr__


def _make_getstate(names: tuple[str, ...]) -> Callable[[object], list[Any]]:
    def __getstate__(self: object) -> list[Any]:
        return [getattr(self, name) for name in names]

    return __getstate__


def _make_setstate(cls: type, names: tuple[str, ...]) -> Callable[[object, list[Any]], None]:
    setters = tuple(cls.__dict__[name].__set__ for name in names)

    def __setstate__(self: object, state: list[Any]) -> None:
        for setter, value in zip(setters, state, strict=False):
            setter(self, value)

    return __setstate__
