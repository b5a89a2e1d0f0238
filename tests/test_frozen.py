"""Value classes (frozen.py) behave as the frozen, slotted dataclasses they replace."""

from __future__ import annotations

import copy
import pickle

import pytest

from rencontres.core.model import Action, Person, Problem
from rencontres.core.values import FrozenInstanceError, field, frozen, replace


def test_init_defaults_repr_and_keywords():
    p = Person("Zoë Lefèvre", role="présidente")
    assert (p.name, p.organization, p.role, p.email) == ("Zoë Lefèvre", "", "présidente", "")
    assert repr(p) == "Person(name='Zoë Lefèvre', organization='', role='présidente', email='')"
    with pytest.raises(TypeError):
        Person()  # the name has no default
    with pytest.raises(TypeError):
        Person("a", nickname="b")


def test_frozen_and_slotted():
    p = Person("a")
    with pytest.raises(FrozenInstanceError):
        p.name = "b"
    with pytest.raises(AttributeError):
        del p.name
    with pytest.raises(AttributeError):
        p.nickname = "b"
    assert not hasattr(p, "__dict__")
    assert Person.__match_args__ == ("name", "organization", "role", "email")


def test_equality_and_hash_over_compared_fields_of_the_same_class():
    assert Person("a", "b") == Person("a", "b") and hash(Person("a", "b")) == hash(Person("a", "b"))
    assert Person("a", "b") != Person("a", "c")
    assert len({Person("a"), Person("a"), Person("b")}) == 2
    here, there = Problem("x.toml", 3, "error", "m", key=("a",)), Problem("x.toml", 3, "error", "m")
    assert here == there and hash(here) == hash(there)  # `key` is not compared

    @frozen
    class Other:
        name: str
        organization: str = ""
        role: str = ""
        email: str = ""

    assert Other("a") != Person("a")


def test_pickle_copy_and_replace():
    a = Action("Envoyer le compte rendu", owner="Zoë", done=True)
    assert pickle.loads(pickle.dumps(a)) == a
    assert copy.copy(a) == a and copy.deepcopy(a) == a
    b = replace(a, owner="")
    assert (b.task, b.owner, b.done) == (a.task, "", True) and a.owner == "Zoë"
    with pytest.raises(TypeError, match="no field 'ownr'"):
        replace(a, ownr="")


def test_mutable_with_fresh_factory_defaults():
    @frozen(mutable=True)
    class Tally:
        name: str
        seen: list = field(default_factory=list)
        count: int = 0

    one, two = Tally("a"), Tally("b")
    one.seen.append(1)
    one.count += 1
    assert two.seen == [] and one == Tally("a", [1], 1)
    with pytest.raises(TypeError):
        hash(one)


def test_declaration_errors():
    with pytest.raises(TypeError, match="without a default"):
        @frozen
        class Bad:
            a: int = 0
            b: int

    class Base:
        pass

    with pytest.raises(TypeError, match="no base class"):
        @frozen
        class Derived(Base):
            a: int
