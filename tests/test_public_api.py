"""The public API of commlib 0.1.0 keeps working: every name, every parameter.

``tests/data/public_api_v0.1.0.json`` was written from commlib 0.1.0 before the
restructuring. A name may move to another module, a parameter may be renamed, but the
old spelling must still be accepted (as a deprecated alias that warns).
"""

import inspect
import json
from pathlib import Path

import pytest

import commlib as cl

SNAPSHOT = json.loads(
    (Path(__file__).parent / "data" / "public_api_v0.1.0.json").read_text(encoding="utf-8")
)


def _params(obj) -> dict[str, str]:
    return {p.name: p.kind.name for p in inspect.signature(obj).parameters.values()}


@pytest.mark.parametrize("name", sorted(SNAPSHOT))
def test_every_0_1_name_is_still_public(name):
    assert name in cl.__all__
    assert getattr(cl, name) is not None


@pytest.mark.parametrize("name", sorted(n for n, e in SNAPSHOT.items() if "params" in e))
def test_every_0_1_parameter_is_still_accepted(name):
    obj = getattr(cl, name)
    now = _params(obj)
    renamed = getattr(obj, "__deprecated_parameters__", {})
    if inspect.isclass(obj):
        renamed = {**renamed, **getattr(obj.__init__, "__deprecated_parameters__", {})}
    for spec in SNAPSHOT[name]["params"]:
        pname, kind = spec.split(":")
        if pname in renamed:
            assert renamed[pname] in now, f"{name}: {pname} -> {renamed[pname]} not a parameter"
            continue
        assert pname in now, f"{name}() lost parameter {pname!r}"
        if kind == "KEYWORD_ONLY":
            assert now[pname] in ("KEYWORD_ONLY", "POSITIONAL_OR_KEYWORD"), (name, pname)


@pytest.mark.parametrize("name", sorted(n for n, e in SNAPSHOT.items() if "members" in e))
def test_public_members_of_result_classes_remain(name):
    obj = getattr(cl, name)
    missing = set(SNAPSHOT[name]["members"]) - set(dir(obj))
    assert not missing, f"{name} lost {sorted(missing)}"


def test_one_export_list():
    # every public name resolves, and dir() shows exactly __all__
    for name in cl.__all__:
        getattr(cl, name)
    assert sorted(dir(cl)) == sorted(cl.__all__)


def test_type_checking_imports_match_the_lazy_table():
    import ast

    tree = ast.parse(Path(cl.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.dump(n))
    imported = {
        (node.module.removeprefix("commlib."), alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {(mod, name) for name, mod in cl._LAZY.items()}


def test_keyness_function_survives_importing_its_module():
    import commlib.keyness  # noqa: F401  (binds the module to commlib.keyness)

    assert callable(cl.keyness)
    assert "background" in inspect.signature(cl.keyness).parameters
