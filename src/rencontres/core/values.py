"""Value classes as `@dataclass(frozen=True, slots=True)` makes them, at a tenth of the cost.

Python 3.11's `dataclasses` compiles each generated method with its own `exec`: about
1.4 ms a class, and a command that renders one record imports some forty of them, which
was a fifth of its run. `frozen` compiles only `__init__` (the others are shared
closures) and keeps the
semantics the project relies on: keyword or positional `__init__` with defaults, a
`__repr__`, `__eq__` and `__hash__` over the compared fields (same class only), no
assignment after `__init__`, `__slots__`, `__match_args__`, pickling as `cls(*fields)`
(cheap to load: an archive's cache holds hundreds of thousands of these, see cache.py),
and `replace(obj, **changes)` (also `copy.replace` on Python 3.13+).
`mutable` gives the same class without the freezing and without a hash.
Type checkers read both as dataclasses (`typing.dataclass_transform`).

No imports of ours: model.py and the document tree are declared with it.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")

_MISSING = object()


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen value."""


class _Field:
    __slots__ = ("default", "compare")

    def __init__(self, default: Any, compare: bool) -> None:
        self.default, self.compare = default, compare


def field(*, default: Any = _MISSING, default_factory: Any = None, compare: bool = True) -> Any:
    """A field's default (immutable), or what makes one (a mutable one), and whether `==`
    and `hash` look at it."""
    return _Field(default if default_factory is None else _Factory(default_factory), compare)


class _Factory:
    """A default made afresh for each object."""

    __slots__ = ("make",)

    def __init__(self, make: Any) -> None:
        self.make = make


def _refuse_set(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")  # i18n: a bug's


def _refuse_delete(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")  # i18n: a bug's


@overload
def frozen(cls: type[T], /) -> type[T]: ...
@overload
def frozen(cls: None = None, /, *, mutable: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def frozen(cls: type | None = None, /, *, mutable: bool = False) -> Any:
    """Make `cls` (annotated fields, defaults as class attributes) a value class."""
    if cls is None:
        return lambda c: frozen(c, mutable=mutable)
    if cls.__bases__ != (object,):
        raise TypeError(f"{cls.__qualname__}: a value class has no base class")
    names = tuple(cls.__dict__.get("__annotations__", {}))
    defaults: dict[str, Any] = {}
    compared = []
    for name in names:
        given = cls.__dict__.get(name, _MISSING)
        compare = True
        if isinstance(given, _Field):
            given, compare = given.default, given.compare
        if given is not _MISSING:
            defaults[name] = given
        elif defaults:
            raise TypeError(f"{cls.__qualname__}: field {name!r} without a default follows one with")
        if compare:
            compared.append(name)
    body = {k: v for k, v in cls.__dict__.items()
            if k not in names and k not in ("__dict__", "__weakref__")}
    body["__slots__"] = body["__match_args__"] = names
    new: Any = type(cls)(cls.__name__, (), body)
    new.__init__ = _init(new, names, defaults)
    every, key = _getter(names), _getter(tuple(compared))

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    def __reduce__(self: Any) -> tuple:
        return new, every(self)

    def __replace__(self: Any, /, **changes: Any) -> Any:
        values = [changes.pop(n, v) for n, v in zip(names, every(self), strict=True)]
        if changes:
            raise TypeError(f"{new.__qualname__} has no field {next(iter(changes))!r}")
        return new(*values)

    new.__eq__, new.__reduce__, new.__replace__, new.__repr__ = \
        __eq__, __reduce__, __replace__, _repr
    if mutable:
        new.__hash__ = None
    else:
        new.__hash__ = lambda self: hash(key(self))
        new.__setattr__, new.__delattr__ = _refuse_set, _refuse_delete
    return new


@dataclass_transform(field_specifiers=(field,))
def mutable(cls: type[T], /) -> type[T]:
    """The same value class, but its fields may be assigned (and it has no hash)."""
    return frozen(cls, mutable=True)  # type: ignore[call-overload]


def _getter(names: tuple[str, ...]) -> Any:
    """The fields' values as a tuple."""
    if not names:
        return lambda _: ()
    get = attrgetter(*names)
    return get if len(names) > 1 else lambda obj: (get(obj),)


def _init(cls: type, names: tuple[str, ...], defaults: dict[str, Any]) -> Any:
    """`__init__`, the one method compiled: it runs for every object parsed or unpickled."""
    env: dict[str, Any] = {f"_d_{n}": v for n, v in defaults.items()}
    env.update({f"_set_{n}": getattr(cls, n).__set__ for n in names})
    made = [n for n, v in defaults.items() if isinstance(v, _Factory)]
    env.update({f"_d_{n}": _MISSING for n in made})
    env.update({f"_make_{n}": defaults[n].make for n in made})
    params = "".join(f", {n}=_d_{n}" if n in defaults else f", {n}" for n in names)
    lines = [f"def __init__(self{params}):",
             *(f"    {n} = _make_{n}() if {n} is _d_{n} else {n}" for n in made),
             *(f"    _set_{n}(self, {n})" for n in names), "    pass"]
    exec("\n".join(lines), env)  # noqa: S102 - our own source, made of field names
    return env["__init__"]


def _repr(self: Any) -> str:
    fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__match_args__)
    return f"{self.__class__.__qualname__}({fields})"


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of the value `obj` with these fields changed."""
    return obj.__replace__(**changes)  # type: ignore[attr-defined]
