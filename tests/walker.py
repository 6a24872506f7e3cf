"""The machinery of the scope walk: every URL pattern of the project, filled with ids of objects
that belong to someone else, called as a given user.

Nothing here knows the project's URLs by name: patterns are read from the resolver, a path parameter
`<int:activity_id>` is matched to the model `MainActivity` by its name, and a request body for an API
operation is built from the OpenAPI schema. A new URL is therefore walked the moment it exists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

NONEXISTENT_ID = "987654321"
# Plausible values for string parameters, so a view gets past its own parsing to the scope check.
STR_HINTS = {"fmt": "xlsx", "action": "approve", "kind": "summary", "format": "xlsx"}
_ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>")


@dataclass
class Route:
    name: str  # "campaigns:activity_edit"; for unnamed patterns the route text
    template: str  # "manage/campaigns/{campaign_id}/activities/{activity_id}/"
    params: list[tuple[str, str]]  # (name, converter: int / str / slug / path / uuid / regex)
    regexes: dict[str, str] = field(default_factory=dict)

    @property
    def is_api(self) -> bool:
        return self.template.startswith("api/")

    @property
    def namespace(self) -> str:
        return self.name.split(":")[0] if ":" in self.name else ""


def _regex_groups(regex: str) -> list[tuple[str, str, int, int]]:
    """(name, sub-pattern, start, end) of each named group, with balanced parentheses."""
    out = []
    for m in _REGEX_GROUP.finditer(regex):
        depth, i = 1, m.end()
        while i < len(regex) and depth:
            if regex[i] == "\\":
                i += 2
                continue
            depth += {"(": 1, ")": -1}.get(regex[i], 0)
            i += 1
        out.append((m.group(1), regex[m.end() : i - 1], m.start(), i))
    return out


def _pattern_text(pattern: Any, params: list, regexes: dict) -> str:
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        for conv, name in _ROUTE_PARAM.findall(route):
            params.append((name, conv or "str"))
        return _ROUTE_PARAM.sub(lambda m: "{" + m.group(2) + "}", route)
    if isinstance(pattern, RegexPattern):
        regex = pattern._regex
        pieces, last = [], 0
        for name, sub, start, end in _regex_groups(regex):
            pieces.append(regex[last:start])
            pieces.append("{" + name + "}")
            params.append((name, "int" if sub in (r"\d+", "[0-9]+") else "regex"))
            regexes[name] = sub
            last = end
        pieces.append(regex[last:])
        text = "".join(pieces).lstrip("^").rstrip("$")
        return re.sub(r"\\(.)", r"\1", text)
    return str(pattern)


def iter_routes(
    patterns: list | None = None,
    prefix: str = "",
    ns: tuple[str, ...] = (),
    params: tuple = (),
    regexes: dict | None = None,
) -> Iterator[Route]:
    """Every URL pattern of the project, recursively through include()s."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        own_params: list = list(params)
        own_regexes = dict(regexes or {})
        text = prefix + _pattern_text(p.pattern, own_params, own_regexes)
        if isinstance(p, URLResolver):
            yield from iter_routes(
                p.url_patterns,
                text,
                ns + ((p.namespace,) if p.namespace else ()),
                tuple(own_params),
                own_regexes,
            )
        else:
            name = ":".join([*ns, p.name]) if p.name else f"{':'.join(ns)}:{text}" if ns else text
            yield Route(name=name, template=text, params=own_params, regexes=own_regexes)


# --- which model does a parameter point at? ---------------------------------------------------------


def _admin_model(route: Route) -> type[models.Model] | None:
    if route.namespace != "admin":
        return None
    short = route.name.split(":", 1)[1]
    for model in admin.site._registry:
        if short.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def infer_model(param: str, route: Route) -> type[models.Model] | None:
    if param in ("pk", "id", "object_id"):
        return _admin_model(route)
    base = re.sub(r"_(id|pk)$", "", param).replace("_", "")
    everything = [m for m in apps.get_models() if not m._meta.proxy]
    app_label = route.namespace.replace("-", "_")
    for test in (lambda n: n == base, lambda n: n.endswith(base), lambda n: n.startswith(base)):
        found = [m for m in everything if test(m._meta.model_name)]
        if found:
            found.sort(key=lambda m: (m._meta.app_label != app_label, m._meta.model_name))
            return found[0]
    return None


# --- filling the parameters ---------------------------------------------------------------------------


@dataclass
class Filled:
    values: dict[str, str]
    sources: dict[str, str]  # param → "Campaign#12" or "fallback"


def _related_first(model: type[models.Model], pks: list, chosen: dict[type, Any]) -> Any:
    """The first of `pks` (in pool order) that points at the objects already chosen (activity → its campaign)."""
    qs = model._default_manager.filter(pk__in=pks)
    for fk in model._meta.get_fields():
        target = getattr(fk, "related_model", None)
        if getattr(fk, "many_to_one", False) and target in chosen and chosen[target] is not None:
            narrowed = qs.filter(**{fk.name: chosen[target]})
            if narrowed.exists():
                qs = narrowed
    found = set(qs.values_list("pk", flat=True))
    first = next((pk for pk in pks if pk in found), None)
    return model._default_manager.get(pk=first) if first is not None else None


def _str_value(param: str, pool: dict[str, list], chosen: dict[type, Any], app_label: str) -> str | None:
    """A real value for a string parameter: a hint, or a field of that name on an object of the pool."""
    if param in STR_HINTS:
        return STR_HINTS[param]
    labels = sorted(pool, key=lambda label: label.split(".")[0] != app_label)
    for label in labels:
        model = apps.get_model(label)
        names = [
            f.name for f in model._meta.concrete_fields if f.name == param or f.name.endswith("_" + param)
        ]
        if names:
            obj = _related_first(model, pool[label], chosen)
            value = getattr(obj, names[0], None) if obj is not None else None
            if value:
                return str(value)
    return None


def fill(
    route: Route, pool: dict[str, list], *, first_from: dict[str, list] | None = None, prefer: Any = None
) -> Filled:
    """Values for every parameter of `route` from `pool` ({"app.model": [pks]}).

    With `first_from`, the first parameter comes from that pool instead (our own campaign, say) and
    the rest from `pool`: an object of someone else reached through one of ours.
    """
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    chosen: dict[type, Any] = {}
    for i, (param, conv) in enumerate(route.params):
        source = first_from if (first_from is not None and i == 0) else pool
        is_id = conv in ("int", "path", "regex") or (conv == "str" and re.search(r"(_id|pk)$", param))
        model = infer_model(param, route) if is_id else None
        pks = source.get(model._meta.label_lower, []) if model is not None else []
        obj = None
        if model is not None and pks:
            obj = prefer(model, _related_first(model, pks, chosen), pks) if prefer else None
            obj = obj or _related_first(model, pks, chosen)
        if obj is not None:
            chosen[model] = obj
            values[param], sources[param] = str(obj.pk), f"{model.__name__}#{obj.pk}"
        elif model is not None and pks:
            values[param], sources[param] = NONEXISTENT_ID, "gone"  # deleted by an earlier call of the walk
        elif conv == "uuid":
            values[param], sources[param] = "00000000-0000-4000-8000-000000000000", "fallback"
        elif conv in ("str", "slug", "path", "regex") and not is_id:
            value = _str_value(param, source, chosen, route.namespace.replace("-", "_"))
            values[param], sources[param] = (value, "value") if value else ("no-such-thing", "fallback")
        else:
            values[param], sources[param] = NONEXISTENT_ID, "fallback"
        if route.regexes.get(param) and not re.fullmatch(route.regexes[param], values[param]):
            alternatives = route.regexes[param].split("|")
            values[param] = alternatives[0].strip("()")
    return Filled(values, sources)


def url_of(route: Route, values: dict[str, str]) -> str:
    return "/" + re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], route.template)


# --- API operations and bodies from the OpenAPI schema -----------------------------------------------


@dataclass
class Endpoint:
    route: Route
    method: str
    name: str  # the URL name, or for the API the operation's view name ("api-v1:update_event")
    operation: dict | None = None


def endpoints(schema: dict, *, writes_only: bool = False) -> list[Endpoint]:
    """Every (URL, method) to call: pages by GET and POST, API operations as the OpenAPI lists them."""
    out: list[Endpoint] = []
    seen_api: set[str] = set()
    routes = list(iter_routes())
    for route in routes:
        ops = schema["paths"].get("/" + route.template) if route.is_api else None
        if not ops:
            for method in ("post",) if writes_only else ("get", "post"):
                out.append(Endpoint(route, method, route.name))
            continue
        if route.template in seen_api:
            continue
        seen_api.add(route.template)
        names = [r.name for r in routes if r.template == route.template]
        for method, op in ops.items():
            if method not in ("get", "post", "put", "patch", "delete") or (writes_only and method == "get"):
                continue
            op_id = op.get("operationId", "")
            name = next((n for n in names if op_id.endswith("_" + n.split(":")[-1])), f"api-v1:{op_id}")
            out.append(Endpoint(route, method, name, op))
    return out


def node_ref(ref: str) -> list[str]:
    return ref.lstrip("#/").split("/")


def example_of(schema: dict, node: dict) -> Any:
    """A minimal valid value for a JSON schema node (required properties only)."""
    if "$ref" in node:
        target = schema
        for part in node_ref(node["$ref"]):
            target = target[part]
        return example_of(schema, target)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [o for o in node[key] if o.get("type") != "null"]
            return example_of(schema, options[0]) if options else None
    if "default" in node:
        return node["default"]
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        return {
            k: example_of(schema, v)
            for k, v in node.get("properties", {}).items()
            if k in node.get("required", [])
        }
    if kind == "array":
        return [example_of(schema, node.get("items", {})) for _ in range(node.get("minItems", 0))]
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "number":
        return max(1, node.get("minimum", 1))
    if kind == "boolean":
        return False
    fmt = node.get("format")
    return {
        "date": "2023-05-20",
        "date-time": "2023-05-20T09:00:00+08:00",
        "time": "17:30:00",
        "email": "someone@example.org",
        "uuid": "00000000-0000-4000-8000-000000000000",
    }.get(fmt, "x" * max(1, node.get("minLength", 1)))


def request_kwargs(schema: dict, operation: dict | None) -> dict[str, Any]:
    """Body (JSON or multipart) and required query parameters for one API operation."""
    if not operation:
        return {}
    kwargs: dict[str, Any] = {}
    query = {
        p["name"]: example_of(schema, p.get("schema", {}))
        for p in operation.get("parameters", [])
        if p.get("in") == "query" and p.get("required")
    }
    if query:
        kwargs["QUERY_STRING"] = "&".join(f"{k}={v}" for k, v in query.items())
    content = (operation.get("requestBody") or {}).get("content", {})
    if "application/json" in content:
        kwargs["data"] = json.dumps(example_of(schema, content["application/json"]["schema"]))
        kwargs["content_type"] = "application/json"
    elif "multipart/form-data" in content:
        from django.core.files.uploadedfile import SimpleUploadedFile

        body = example_of(schema, content["multipart/form-data"]["schema"]) or {}
        props = _props(schema, content["multipart/form-data"]["schema"])
        for name, spec in props.items():
            if spec.get("format") == "binary":
                body[name] = SimpleUploadedFile("walk.txt", b"scope walk", content_type="text/plain")
        kwargs["data"] = body
    return kwargs


def _props(schema: dict, node: dict) -> dict:
    if "$ref" in node:
        target = schema
        for part in node_ref(node["$ref"]):
            target = target[part]
        return _props(schema, target)
    return node.get("properties", {})
