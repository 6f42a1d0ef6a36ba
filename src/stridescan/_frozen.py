"""`dataclass(frozen=True, slots=True)` for the model, built without compiling six methods.

`dataclasses` writes each generated method (`__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__`, `__delattr__`) as source text and compiles it with `exec`: about 0.6 ms per
class, most of `stridescan.model`'s import and so of a one-file scan's start-up. Here
`dataclasses` still processes the fields (so `fields`, `replace`, `is_dataclass` and
`__match_args__` work as before) but generates nothing; `__init__` alone is compiled, when
the class's first instance is made (or its signature is asked for), and the other methods
are shared functions over each class's field getter. A frozen instance can store its fields
only through slot descriptors, one slow call each; `__init__` of a class with more fields,
`builder`'s functions (for the parsers, which build model objects by the hundred thousand)
and `replace` store them as plain attributes of a twin class of the same layout instead, and
then give the instance its own class.
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
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

_C = TypeVar("_C", bound=type)
_P = ParamSpec("_P")
_T = TypeVar("_T")


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
    _FAST[new] = fields
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
    _INITS[cls] = __init__
    return __init__


# The classes built here, with their fields: what `builder` accepts.
_FAST: dict[type, tuple[dataclasses.Field[Any], ...]] = {}

# Classes whose compiled `__init__` is still to come: their placeholder and fields.
_PENDING: dict[type, tuple[Callable[..., None], tuple[dataclasses.Field[Any], ...]]] = {}

# The `__init__` made here for each class, placeholder or compiled: one put in its place
# afterwards (model.py's for `Location` and `Located`) is the one `replace` has to run.
_INITS: dict[type, Callable[..., None]] = {}


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
            _INITS[cls] = init
        return init


_INSTALLING = threading.Lock()


class _CompileOnLookup:
    """`__signature__` of a class built here: `inspect.signature` reads it first, and it
    compiles the real `__init__` then (None tells inspect to go on as usual), so signatures
    and `help()` show the fields, as they do for standard dataclasses."""

    def __get__(self, instance: object, owner: type) -> None:
        if owner in _PENDING:
            _install_init(owner)


# From this many fields on, `__init__` stores them as a twin (see `builder`). Turning the
# instance into its twin and back costs about what three slot descriptor calls do, but the
# twin and the longer `__init__` cost start-up time for each class instantiated: a one-file
# scan gains from them only on the few large classes (Container, Workload, Stage, ...).
_TWIN_FIELDS = 10


def _make_init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """Compile `__init__`: each field stored through its slot descriptor, like model.py's, or,
    for a class with more fields, stored as plain attributes while the instance is its twin
    (see `builder`). An instance of a subclass, of another layout, takes the descriptors."""
    namespace: dict[str, Any] = {}
    params, values = _parameters(fields, namespace)
    twin = _twin(cls) if len(fields) >= _TWIN_FIELDS else None
    if twin is None:
        body = []
        for f, value in zip(fields, values, strict=True):
            namespace[f"__set_{f.name}"] = cls.__dict__[f.name].__set__
            body.append(f"    __set_{f.name}(self, {value})")
    else:
        # Builtins by names of their own: a field may be called `type` (its parameter would
        # hide the builtin). `__setstate__` stores a list of values through the descriptors.
        namespace.update(
            __cls=cls,
            __twin=twin,
            __become=object.__setattr__,
            __type_of=type,
            __through_descriptors=cls.__dict__["__setstate__"],
        )
        body = [
            "    if __type_of(self) is __cls:",
            '        __become(self, "__class__", __twin)',
            *(f"        self.{f.name} = {value}" for f, value in zip(fields, values, strict=True)),
            "        self.__class__ = __cls",
            "    else:",
            f"        __through_descriptors(self, ({', '.join(values)},))",
        ]
    source = f"def __init__({', '.join(['self', *params])}):\n" + ("\n".join(body) or "    pass")
    exec(source + "\n", namespace)  # the source holds only the class's own field names
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


def builder(cls: Callable[_P, _T]) -> Callable[_P, _T]:
    """A function taking what `cls` takes and returning what it does, about three times as fast.

    For the parsers, which build model objects by the hundred thousand. A frozen class can
    store its fields only through its slot descriptors' `__set__` (one call through a method
    wrapper per field, since its own `__setattr__` refuses), and a class call hands keywords
    over as a dict. The function builds an instance of a twin class instead, with the same
    slots and an ordinary `__setattr__`, stores the fields as plain attributes, and then makes
    it an instance of `cls` by `__class__` assignment, which Python allows between classes of
    the same layout. What comes out is an ordinary, frozen instance of `cls`.

    Only for classes built by this module's fast path (frozen, slotted, plain fields). Like
    `__init__`, the function is compiled on its first call (a parser module asks for several
    at import, and a one-file scan builds few of them); its signature is the class's from then.
    """
    built = cast(type, cls)
    made = _BUILDERS.get(built)
    if made is None:
        if built not in _FAST:
            raise TypeError(f"{built.__qualname__} is not a frozen, slotted class built by _frozen")
        namespace: dict[str, Any] = {"__compile": lambda: _compile_builder(built, namespace)}
        exec(_PLACEHOLDER, namespace)
        made = _BUILDERS[built] = namespace["build"]
        made.__qualname__ = made.__name__ = f"build_{built.__name__}"
        made.__module__ = built.__module__
    return cast(Callable[_P, _T], made)


# A builder until its first call, which compiles the real one and becomes it; it shares the
# real one's globals (the namespace it runs in), so taking over its code is enough.
_PLACEHOLDER = "def build(*args, **kwargs):\n    return __compile()(*args, **kwargs)\n"

# One builder per class, whichever modules ask for it.
_BUILDERS: dict[type, Callable[..., Any]] = {}


def _compile_builder(cls: type, namespace: dict[str, Any]) -> Callable[..., Any]:
    """Compile `cls`'s builder into `namespace` and turn the placeholder there into it."""
    twin = _twin(cls)
    if twin is None:
        raise TypeError(f"{cls.__qualname__} cannot be built through a twin of its layout")
    fields = _FAST[cls]
    placeholder = namespace["build"]
    namespace.update(__twin=twin, __cls=cls)
    params, values = _parameters(fields, namespace)
    body = [
        "    self = __twin()",
        *(f"    self.{f.name} = {value}" for f, value in zip(fields, values, strict=True)),
        "    self.__class__ = __cls",
        "    return self",
    ]
    source = f"def build({', '.join(params)}):\n" + "\n".join(body) + "\n"
    exec(source, namespace)  # the source holds only the class's own field names
    compiled: Callable[..., Any] = namespace["build"]
    placeholder.__code__ = compiled.__code__
    placeholder.__defaults__ = compiled.__defaults__
    placeholder.__kwdefaults__ = compiled.__kwdefaults__
    placeholder.__annotations__ = {f.name: f.type for f in fields}  # the class's parameters
    namespace["build"] = placeholder
    return compiled


def _replace(obj: Any, /, **changes: Any) -> Any:
    """`dataclasses.replace`, three to six times as fast for the classes built here.

    For linking and Compose merging, which copy workloads and containers of a few dozen
    fields to change one. The standard function lists the fields, gathers every value into
    keyword arguments and calls the class; since a class built here has no `__post_init__`,
    no `InitVar` and no `init=False` field, and its `__init__` only stores what it is given,
    copying the slots into a twin (see `builder`) and storing the changes there makes the
    same object. Any other class, one whose `__init__` was put in place after it was built,
    and a change naming something that is not a field (the standard error) go through
    `dataclasses.replace`.
    """
    copy = _REPLACERS.get(type(obj))
    if copy is None:
        copy = _replacer(type(obj))
        if copy is None:
            return dataclasses.replace(obj, **changes)
    return copy(obj, changes)


_replace.__name__ = _replace.__qualname__ = "replace"  # in the error a bad call raises

if TYPE_CHECKING:
    # mypy checks the changes given to `dataclasses.replace` against the class's fields.
    from dataclasses import replace as replace
else:
    replace = _replace

# Each class's copy, compiled on its first `replace`; None where the standard one must run.
_REPLACERS: dict[type, Callable[[Any, dict[str, Any]], Any] | None] = {}


def _replacer(cls: type) -> Callable[[Any, dict[str, Any]], Any] | None:
    """Compile the copy `replace` uses for `cls`, taking the object and the changes.
    None for a class that must take the standard path."""
    if cls not in _FAST or cls in _REPLACERS:
        return None
    twin = _twin(cls)
    if twin is None or cls.__dict__.get("__init__") is not _INITS.get(cls):
        _REPLACERS[cls] = None
        return None
    names = [f.name for f in _FAST[cls]]
    namespace: dict[str, Any] = {
        "__twin": twin,
        "__cls": cls,
        "__fields": frozenset(names),
        "__dataclasses": dataclasses,
    }
    # A short function, as its compilation is paid by a scan replacing only a few objects.
    body = [
        "    if not __changes.keys() <= __fields:",
        "        return __dataclasses.replace(__obj, **__changes)",
        "    __new = __twin()",
        *(f"    __new.{name} = __obj.{name}" for name in names),
        "    for __name, __value in __changes.items():",
        "        setattr(__new, __name, __value)",
        "    __new.__class__ = __cls",
        "    return __new",
    ]
    exec("def replace(__obj, __changes):\n" + "\n".join(body) + "\n", namespace)
    copy: Callable[[Any, dict[str, Any]], Any] = namespace["replace"]
    copy.__qualname__ = f"replace_{cls.__name__}"
    copy.__module__ = cls.__module__
    _REPLACERS[cls] = copy
    return copy


def _twin(cls: type) -> type | None:
    """The class's twin: the same slots on the same bases (a generic class keeps `Generic`),
    so the same layout, but the ordinary `__setattr__`; made once per class. None when
    Python refuses to turn one into the other (a base of a layout of its own)."""
    if cls in _TWINS:
        return _TWINS[cls]
    slots = cls.__dict__["__slots__"]
    bases = cls.__dict__.get("__orig_bases__", cls.__bases__)
    twin: type | None = types.new_class(
        f"_{cls.__name__}Twin", bases, exec_body=lambda body: body.update(__slots__=slots)
    )
    try:
        twin().__class__ = cls  # type: ignore[misc]
    except TypeError:
        twin = None
    _TWINS[cls] = twin
    return twin


_TWINS: dict[type, type | None] = {}


def _parameters(
    fields: tuple[dataclasses.Field[Any], ...], namespace: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """The parameter list of a compiled `__init__` or builder, and the expression giving each
    field's value; the defaults and factories it names are put in `namespace`."""
    namespace["__factory_marker"] = _FACTORY
    positional: list[str] = []
    keyword: list[str] = []
    values: list[str] = []
    for f in fields:
        param = value = f.name
        if f.default is not dataclasses.MISSING:
            namespace[f"__default_{f.name}"] = f.default
            param = f"{f.name}=__default_{f.name}"
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"__factory_{f.name}"] = f.default_factory
            param = f"{f.name}=__factory_marker"
            value = f"__factory_{f.name}() if {f.name} is __factory_marker else {f.name}"
        (keyword if f.kw_only else positional).append(param)
        values.append(value)
    return positional + (["*", *keyword] if keyword else []), values
