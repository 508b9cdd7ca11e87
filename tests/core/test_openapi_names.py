"""The OpenAPI document names each schema once, and each operation documents the body its
view parses: two schemas sharing a name made the document show the floor's call for the
phone channel's endpoint, so an integrator following it got 422."""

from __future__ import annotations

import typing
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from kefu.api import api


def _operations() -> Iterator[tuple[str, Any]]:
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield f"{prefix.rstrip('/')}{path}", operation


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def _reachable(model: type[BaseModel], seen: set[type[BaseModel]]) -> None:
    if model in seen:
        return
    seen.add(model)
    for field in model.model_fields.values():
        for inner in _models_in(field.annotation):
            _reachable(inner, seen)


def _schemas_of(operation: Any) -> set[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    for params in operation.models:
        for field in params.model_fields.values():
            for model in _models_in(field.annotation):
                _reachable(model, seen)
    for response in (operation.response_models or {}).values():
        if not isinstance(response, type) or not issubclass(response, BaseModel):
            continue
        for field in response.model_fields.values():
            for model in _models_in(field.annotation):
                _reachable(model, seen)
    return seen


def test_every_component_name_belongs_to_one_schema() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for _path, operation in _operations():
        for model in _schemas_of(operation):
            owners[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    shared = {name: sorted(classes) for name, classes in owners.items() if len(classes) > 1}
    assert shared == {}
    # And the document really lists them: nothing was folded away.
    components = api.get_openapi_schema()["components"]["schemas"]
    assert set(owners) - {"Input"} <= set(components)


def test_each_operation_documents_the_body_its_view_parses() -> None:
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    checked = 0
    for path, operation in _operations():
        bodies = [
            model
            for params in operation.models
            if getattr(params, "__ninja_param_source__", None) == "body"
            for field in params.model_fields.values()
            for model in _models_in(field.annotation)
        ]
        if not bodies:
            continue
        (parsed,) = bodies
        full_path = "/api/v1" + path
        documented = None
        for documented_path, methods in document["paths"].items():
            if documented_path.rstrip("/") == full_path.rstrip("/"):
                for method in operation.methods:
                    documented = methods[method.lower()]["requestBody"]["content"]
        assert documented is not None, f"{operation.methods} {full_path} is not documented"
        reference = next(iter(documented.values()))["schema"]["$ref"]
        name = reference.rsplit("/", 1)[-1]
        assert name == parsed.__name__, f"{operation.methods} {full_path}"
        expected = parsed.model_json_schema(ref_template="#/components/schemas/{model}")
        assert set(components[name].get("properties", {})) == set(expected.get("properties", {})), (
            f"{operation.methods} {full_path}"
        )
        assert set(components[name].get("required", [])) == set(expected.get("required", []))
        checked += 1
    assert checked > 40
