#!/usr/bin/env python3
"""Record what Alibaba Cloud's official Python SDKs send, as golden files.

For each product version below, every selected operation is called once per signature
variant through the official SDK, against an HTTP server on the loopback interface that
captures the request and answers 200. What the server saw is written to
tests/fixtures/golden/<product>-<version>.json, which the Rust tests replay without Python.

    python3 tests/oracle/record.py                 # record everything
    python3 tests/oracle/record.py --product cs    # one product
    python3 tests/oracle/record.py --check         # record in memory, compare with the files

The script creates (or reuses) a virtual environment with the pinned SDK versions of
tests/oracle/requirements.txt and re-runs itself inside it. See tests/oracle/README.md.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import http.server
import importlib
import importlib.metadata
import inspect
import json
import math
import os
import re
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
REQUIREMENTS = HERE / "requirements.txt"
VENV_MARKER = "ACSGEN_ORACLE_VENV"

# Fixed values that make a recording reproducible.
ACCESS_KEY_ID = "LTAI5tFakeOracleKey"
ACCESS_KEY_SECRET = "FakeOracleSecret"
REGION_ID = "cn-hangzhou"
DEFAULT_PORT = 47831
RECORDING_PYTHON = (3, 11)
FIXED_TIMESTAMP = "2024-06-24T00:00:00Z"  # x-acs-date (V3) and Timestamp (RPC V1)
FIXED_DATE = "Mon, 24 Jun 2024 00:00:00 GMT"  # date header (ROA V1)
FIXED_USER_AGENT = "AlibabaCloud (Linux; x86_64) Python/3.11 Core/{tea} TeaDSL/2"
RESPONSE_REQUEST_ID = "00000000-0000-0000-0000-0000000000AA"

# Signature variants. The first is what the SDK does with no signature option set (V3 for
# RPC and ROA alike); the others are selected with Config(signature_algorithm=...).
VARIANTS = [
    {"name": "ACS3-HMAC-SHA256", "config": {}},
    {"name": "V1-HMAC-SHA1", "config": {"signature_algorithm": "v2"}},
]

PRODUCTS = [
    # (product, version, PyPI package, selection rule)
    ("resourcemanager", "2020-03-31", "alibabacloud-resourcemanager20200331", "all"),
    ("resourcedirectorymaster", "2022-04-19", "alibabacloud-resourcedirectorymaster20220419", "all"),
    ("cms", "2019-01-01", "alibabacloud-cms20190101", "cms"),
    ("ecs", "2014-05-26", "alibabacloud-ecs20140526", "ecs"),
    ("cs", "2015-12-15", "alibabacloud-cs20151215", "all"),
]
# Packages whose versions are written into every golden file.
RUNTIME_PACKAGES = [
    "alibabacloud-tea-openapi",
    "darabonba-core",
    "alibabacloud-tea",
    "alibabacloud-credentials",
    "requests",
]
ECS_MIN_OPERATIONS = 64
CMS_PLAIN_OPERATIONS = 5
# Selected operations of the 2024-06 metadata that the pinned SDKs no longer have. They are
# listed under "operations_not_in_sdk" in the golden file; any other missing one is an error.
KNOWN_MISSING: dict[str, tuple[str, ...]] = {
    "cs/2015-12-15": ("CancelWorkflow", "DescirbeWorkflow", "DescribeWorkflows", "RemoveWorkflow", "StartWorkflow"),
}


class OracleError(Exception):
    pass


# ---------------------------------------------------------------------------------------
# Virtual environment
# ---------------------------------------------------------------------------------------


def pinned_requirements() -> dict[str, str]:
    pins = {}
    for line in REQUIREMENTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[normalize_dist(name)] = version
    return pins


def normalize_dist(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def ensure_venv(venv: Path) -> None:
    """Re-run this script inside `venv`, creating it and installing the pins if needed."""
    if os.environ.get(VENV_MARKER) == str(venv):
        return
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating virtual environment {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        check=True, capture_output=True, text=True,
    )
    installed = {normalize_dist(p["name"]): p["version"] for p in json.loads(probe.stdout)}
    wanted = pinned_requirements()
    if any(installed.get(name) != version for name, version in wanted.items()):
        print(f"installing {REQUIREMENTS.name} into {venv}", file=sys.stderr)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-r", str(REQUIREMENTS)],
            check=True,
        )
    env = dict(os.environ, **{VENV_MARKER: str(venv)})
    os.execve(str(python), [str(python), str(Path(__file__).resolve())] + sys.argv[1:], env)


def check_versions() -> dict[str, str]:
    wanted = pinned_requirements()
    wrong = []
    for name, version in wanted.items():
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            have = None
        if have != version:
            wrong.append(f"{name}: pinned {version}, installed {have}")
    if wrong:
        raise OracleError("installed packages differ from requirements.txt:\n  " + "\n  ".join(wrong))
    return wanted


# ---------------------------------------------------------------------------------------
# Determinism: clock, nonce and user agent
# ---------------------------------------------------------------------------------------

CURRENT = {"nonce": None}


def pin_sdk_utilities(python_booleans: bool) -> tuple[str, list[str]]:
    import Tea
    from alibabacloud_tea_openapi.utils import Utils

    def nonce() -> str:
        if CURRENT["nonce"] is None:
            raise OracleError("the SDK asked for a nonce outside a recorded call")
        return CURRENT["nonce"]

    user_agent = FIXED_USER_AGENT.format(tea=Tea.__version__)
    Utils.get_timestamp = staticmethod(lambda: FIXED_TIMESTAMP)
    Utils.get_date_utcstring = staticmethod(lambda: FIXED_DATE)
    Utils.get_nonce = staticmethod(nonce)
    # Utils.get_user_agent calls the name-mangled private Utils.__get_default_agent, whose
    # text depends on the machine (OS, CPU, Python patch level).
    setattr(Utils, "_Utils__get_default_agent", staticmethod(lambda: user_agent))
    normalizations = []
    if not python_booleans:
        # Utils._object_handler flattens query and form values with str(), which spells a
        # boolean "True"/"False"; the Go and Java SDKs send "true"/"false". JSON bodies and
        # json-style values are not affected (json.dumps already writes true/false).
        original = Utils._object_handler

        def object_handler(key, value, out):
            if isinstance(value, bool):
                value = "true" if value else "false"
            return original(key, value, out)

        Utils._object_handler = staticmethod(object_handler)
        normalizations.append("booleans in query and form values are sent as true/false, not Python's True/False")
    return user_agent, normalizations


def nonce_for(product: str, version: str, operation: str, variant: str) -> str:
    return hashlib.md5(f"{product}/{version}/{operation}/{variant}".encode()).hexdigest()


# ---------------------------------------------------------------------------------------
# Loopback server
# ---------------------------------------------------------------------------------------


class CaptureHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls

    def _capture(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        names = [k.lower() for k in self.headers.keys()]
        if len(names) != len(set(names)):
            self.server.problems.append(f"repeated header names: {names}")
        self.server.captured.append({
            "method": self.command,
            "target": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body,
        })
        payload = self.server.response_body
        self.send_response(200)
        self.send_header("content-type", "application/json;charset=utf-8")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _capture

    def log_message(self, format, *args):  # noqa: A002 - keep the server quiet
        pass


class LoopbackServer:
    def __init__(self, port: int):
        try:
            self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), CaptureHandler)
        except OSError as e:
            raise OracleError(f"cannot listen on 127.0.0.1:{port} ({e}); pick another with --port "
                              "(the port is part of the signed host header, so every golden file changes)")
        self.httpd.daemon_threads = True
        self.httpd.captured = []
        self.httpd.problems = []
        self.httpd.response_body = b"{}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def take(self) -> list[dict]:
        captured, self.httpd.captured = self.httpd.captured, []
        return captured


def describe_request(raw: dict) -> dict:
    target = raw["target"]
    path, sep, query = target.partition("?")
    headers = raw["headers"]
    body = raw["body"]
    try:
        body_text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise OracleError("request body is not UTF-8")
    content_type = headers.get("content-type", "")
    body_form = None
    body_json = None
    if content_type.startswith("application/x-www-form-urlencoded"):
        body_form = [list(p) for p in urllib.parse.parse_qsl(body_text, keep_blank_values=True, strict_parsing=bool(body_text))]
    elif content_type.startswith("application/json") and body_text:
        body_json = json.loads(body_text)
    return {
        "method": raw["method"],
        "path": path,
        "raw_query": query if sep else None,
        "query": [list(p) for p in urllib.parse.parse_qsl(query, keep_blank_values=True)],
        "headers": dict(sorted(headers.items())),
        "body": body_text if body else None,
        "body_form": body_form,
        "body_json": body_json,
    }


# ---------------------------------------------------------------------------------------
# Input values from the metadata
# ---------------------------------------------------------------------------------------

SYNTHETIC_STRING = "{name} é/%*~+&="  # a space, a non-ASCII letter and characters encoders treat differently
PATH_STRING = "{name} a/b%2F集 +~*"  # ROA path parameters: space, slash, a literal %2F, CJK, + ~ *


class ValueMaker:
    """The deterministic input-value rule (documented in README.md)."""

    MAX_DEPTH = 8

    def __init__(self, document: dict):
        self.schemas = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict, refs: tuple) -> tuple[dict, tuple] | tuple[None, tuple]:
        while "$ref" in schema:
            ref = schema["$ref"]
            if ref in refs:
                return None, refs  # recursive type: leave the member out
            refs = refs + (ref,)
            name = ref.rsplit("/", 1)[-1]
            if name not in self.schemas:
                raise OracleError(f"unresolved $ref {ref}")
            schema = self.schemas[name]
        return schema, refs

    def value(self, schema: dict, name: str, index: int = 0, refs: tuple = (), depth: int = 0):
        schema, refs = self.resolve(schema, refs)
        if schema is None or depth > self.MAX_DEPTH:
            return None
        kind = schema.get("type")
        if kind == "array":
            items = schema.get("items", {"type": "string"})
            values = [self.value(items, name, i, refs, depth + 1) for i in (0, 1)]
            return [v for v in values if v is not None]
        if kind == "object" or (kind is None and "properties" in schema):
            props = schema.get("properties")
            if props:
                out = {}
                for member, member_schema in props.items():
                    v = self.value(member_schema, member, index, refs, depth + 1)
                    if v is not None:
                        out[member] = v
                return out
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                return {f"key{i + 1}": self.value(extra, f"key{i + 1}", i, refs, depth + 1) for i in (0, 1)}
            return {"key": "value"}
        return self.scalar(schema, name, index)

    def scalar(self, schema: dict, name: str, index: int):
        kind = schema.get("type", "string")
        enum = [e for e in (schema.get("enum") or []) if e is not None]
        example = schema.get("example")
        value = self.from_example(kind, example)
        names = [str(e) for e in enum]
        if enum:
            # the example if it is one of the values, else the first; later items take the
            # following values (wrapping round), so that every item is a valid value
            start = names.index(str(example)) if value is not None and str(example) in names else 0
            converted = self.from_example(kind, enum[(start + index) % len(enum)])
            if converted is not None:
                return converted
        elif value is not None:
            return self.vary(kind, value, index)
        if kind == "integer":
            low = self.number(schema.get("minimum"))
            high = self.number(schema.get("maximum"))
            v = int(low) if low is not None and low > 1 else 1
            v += index
            if high is not None and v > high:
                v = int(high)
            return v
        if kind == "number":
            return 1.5 + index
        if kind == "boolean":
            return index == 0
        if kind == "any":
            return f"{name}-any"
        if schema.get("format") in ("iso8601", "iso8601_normal", "date-time"):
            return "2024-06-24T00:00:00Z"
        return self.vary("string", SYNTHETIC_STRING.format(name=name), index)

    @staticmethod
    def vary(kind: str, value, index: int):
        if index == 0:
            return value
        if kind == "string":
            return f"{value}-{index + 1}"
        if kind == "integer":
            return value + index
        if kind == "number":
            return value + index
        if kind == "boolean":
            return not value
        return value

    @staticmethod
    def number(text):
        try:
            return float(text) if text is not None else None
        except ValueError:
            return None

    @staticmethod
    def from_example(kind: str, example):
        """The example converted to `kind`, or None if it is absent or not of that type."""
        if example is None:
            return None
        text = str(example).strip()
        if kind == "string":
            return str(example) if text else None
        if kind == "integer":
            return int(text) if re.fullmatch(r"-?\d+", text) else None
        if kind == "number":
            try:
                v = float(text)
            except ValueError:
                return None
            return v if math.isfinite(v) else None
        if kind == "boolean":
            return {"true": True, "false": False}.get(text.lower())
        return None


def set_path(target: dict, name: str, value) -> bool:
    """Place a parameter under its (possibly dotted) wire name: A.B -> {A: {B: v}},
    A.1.B -> {A: [{B: v}]}. Returns False, changing nothing, if that wire name is already
    taken (the metadata also lists it inside a structured parameter)."""
    *parents, last = name.split(".")
    node = target
    for i, part in enumerate(parents):
        following = (parents + [last])[i + 1]
        node = child(node, part, [] if following.isdigit() else {}, name)
    if last.isdigit():  # AddAccount.1: one item of a list of scalars
        if not isinstance(node, list):
            raise OracleError(f"parameter {name}: index {last} on a non-list")
        if int(last) <= len(node):
            return False
        child(node, last, value, name)
        return True
    if isinstance(node.get(last), dict) and isinstance(value, dict):
        merge(node[last], value)
        return True
    if last in node:
        return False
    node[last] = value
    return True


def child(node, part: str, empty, name: str):
    if part.isdigit():
        if not isinstance(node, list):
            raise OracleError(f"parameter {name}: index {part} on a non-list")
        index = int(part) - 1
        if index == len(node):
            node.append(empty)
        elif index > len(node):
            raise OracleError(f"parameter {name}: items before {part} are missing")
        return node[index]
    if not isinstance(node, dict):
        raise OracleError(f"parameter {name}: member {part} of a non-object")
    return node.setdefault(part, empty)


def merge(into: dict, other: dict) -> None:
    for k, v in other.items():
        if isinstance(into.get(k), dict) and isinstance(v, dict):
            merge(into[k], v)
        elif k in into:
            raise OracleError(f"two parameters give a value for {k!r}")
        else:
            into[k] = v


def build_inputs(op: dict, maker: ValueMaker, style: str):
    """(params keyed by metadata name, path values, the from_map dict, skipped, shadowed).

    Dotted names are placed after the others, so that where the metadata lists a wire name
    both as a dotted parameter (DataDisk.1.Size) and inside a structured one (DataDisk, a
    repeatList), the structured one gives the value and the dotted one is "shadowed"."""
    params = {}
    path_values = {}
    from_map = {}
    skipped = []
    shadowed = []
    seen = set()
    parameters = [p for p in op.get("parameters", []) if not (p["name"] in seen or seen.add(p["name"]))]
    parameters.sort(key=lambda p: "." in p["name"])  # stable: dotted names last
    for p in parameters:
        name = p["name"]
        schema = p.get("schema", {})
        if schema.get("format") == "binary" or p["in"] not in ("path", "query", "formData", "body", "header"):
            skipped.append(name)
            continue
        if p["in"] == "path":
            path_values[name] = params[name] = PATH_STRING.format(name=name)
            continue
        value = maker.value(schema, name)
        if value is None:
            skipped.append(name)
            continue
        if style == "ROA" and p["in"] == "body" and isinstance(value, dict):
            merge(from_map, copy.deepcopy(value))  # the SDK spreads an object body's members
        elif not set_path(from_map, name, copy.deepcopy(value)):
            shadowed.append(name)
            continue
        params[name] = value
    return params, path_values, from_map, skipped, shadowed


# ---------------------------------------------------------------------------------------
# Operation selection
# ---------------------------------------------------------------------------------------


def param_features(op: dict) -> set[str]:
    features = set()
    for p in op.get("parameters", []):
        schema = p.get("schema", {})
        style = p.get("style")
        kind = schema.get("type")
        if style:
            features.add(style)
        if "." in p["name"]:
            features.add("dotted")
        if kind == "number":
            features.add("number")
        if kind == "array" and style == "repeatList":
            items = schema.get("items", {})
            features.add("repeatList-of-" + ("object" if "$ref" in items or items.get("type") == "object" else items.get("type", "?")))
        if p["in"] == "formData":
            features.add("formData")
    return features


def select_operations(rule: str, apis: dict) -> list[str]:
    names = sorted(apis)
    if rule == "all":
        return names
    if rule == "ecs":
        # Every operation with a json/flat style, a dotted name, a number or a repeatList of
        # integers; then, in name order, operations with a repeatList until there are
        # ECS_MIN_OPERATIONS; then the first five with no styled parameter at all.
        rare = {"json", "flat", "dotted", "number", "repeatList-of-integer"}
        chosen = [n for n in names if param_features(apis[n]) & rare]
        for n in names:
            if len(chosen) >= ECS_MIN_OPERATIONS:
                break
            if n not in chosen and "repeatList" in param_features(apis[n]):
                chosen.append(n)
        plain = [n for n in names if n not in chosen and not param_features(apis[n]) and apis[n].get("parameters")]
        chosen += plain[:5]
        return sorted(chosen)
    if rule == "cms":
        # formData parameters, GET as the only method, a json/flat style; plus the first five
        # others that have parameters, none of them styled.
        chosen = [n for n in names
                  if "formData" in param_features(apis[n])
                  or apis[n].get("methods") == ["get"]
                  or param_features(apis[n]) & {"json", "flat"}]
        plain = [n for n in names if n not in chosen and apis[n].get("parameters") and not param_features(apis[n])]
        return sorted(chosen + plain[:CMS_PLAIN_OPERATIONS])
    raise OracleError(f"unknown selection rule {rule}")


# ---------------------------------------------------------------------------------------
# Calling the SDK
# ---------------------------------------------------------------------------------------


def squash(name: str) -> str:
    return name.replace("_", "").lower()


def find_sdk_method(client, operation: str):
    wanted = squash(operation)
    # After a digit or an acronym the SDK drops the underscore: describe_clusters_v1with_options.
    matches = [m for m in dir(client)
               if m.endswith("with_options") and squash(m[: -len("with_options")]) == wanted]
    if len(matches) != 1:
        raise OracleError(f"{operation}: the SDK has {len(matches)} matching *_with_options methods ({matches})")
    return matches[0]


def missing_paths(given, got, prefix="") -> list[str]:
    """Paths present in `given` that the SDK model did not keep (compared through to_map)."""
    out = []
    if isinstance(given, dict):
        for k, v in given.items():
            path = f"{prefix}.{k}" if prefix else k
            if not isinstance(got, dict) or k not in got:
                out.append(path)
            else:
                out += missing_paths(v, got[k], path)
    elif isinstance(given, list):
        for i, v in enumerate(given):
            path = f"{prefix}.{i + 1}"
            if not isinstance(got, list) or i >= len(got):
                out.append(path)
            else:
                out += missing_paths(v, got[i], path)
    return out


def drop_path(tree, path: str) -> None:
    parts = path.split(".")
    node = tree
    for part in parts[:-1]:
        node = node[int(part) - 1] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node.pop(int(last) - 1)
    else:
        del node[last]


def response_body_for(op: dict) -> bytes:
    schema = (op.get("responses", {}).get("200") or {}).get("schema") or {}
    if schema.get("type") == "array":
        return b"[]"
    return json.dumps({"RequestId": RESPONSE_REQUEST_ID}).encode()


def unwrap(e: BaseException) -> str:
    inner = getattr(e, "inner_exception", None) or getattr(getattr(e, "last_context", None), "exception", None)
    if inner is not None and inner is not e:
        return f"{type(e).__name__}: {unwrap(inner)}"
    return f"{type(e).__name__}: {e}"


def keep_known_fields(request_class, from_map: dict) -> tuple[dict, list[str]]:
    """Drop from `from_map` what the SDK's request model does not keep; return it and the dropped paths."""
    if request_class is None:
        return {}, sorted(from_map)
    dropped = []
    while True:
        kept = request_class().from_map(copy.deepcopy(from_map)).to_map()
        lost = missing_paths(from_map, kept)
        if not lost:
            return from_map, dropped
        for path in reversed(lost):  # later list items first, so earlier indices stay valid
            drop_path(from_map, path)
        dropped += lost


def call_arguments(name: str, sdk_method, request_class, from_map: dict, path_values: dict) -> list:
    """Positional arguments for an SDK *_with_options method, from its signature."""
    from darabonba.runtime import RuntimeOptions

    args = []
    for arg in inspect.signature(sdk_method).parameters:
        if arg in ("request", "tmp_req"):
            if request_class is None:
                raise OracleError(f"{name}: the SDK method takes a request but the SDK has no {name}Request")
            args.append(request_class().from_map(copy.deepcopy(from_map)))
        elif arg == "headers":
            args.append({})
        elif arg == "runtime":
            args.append(RuntimeOptions())
        else:  # a ROA path parameter: cluster_id for ClusterId
            match = [k for k in path_values if squash(k) == squash(arg)]
            if len(match) != 1:
                raise OracleError(f"{name}: no metadata path parameter for the SDK argument {arg!r}")
            args.append(path_values[match[0]])
    return args


def call_once(server: LoopbackServer, sdk_method, args: list, nonce: str) -> tuple[dict | None, str | None]:
    """Call the SDK; return what the server captured and the error, if any."""
    CURRENT["nonce"] = nonce
    error = None
    try:
        sdk_method(*args)
    except Exception as e:  # the SDK raised: recorded, and the run fails
        error = unwrap(e)
    finally:
        CURRENT["nonce"] = None
    captured = server.take()
    if server.httpd.problems:
        error = "; ".join(server.httpd.problems)
        server.httpd.problems.clear()
    if len(captured) != 1:
        error = error or f"expected one request, the server saw {len(captured)}"
    return (describe_request(captured[0]) if captured else None), error


def record_product(product: str, version: str, package: str, rule: str, metadata: Path,
                   server: LoopbackServer, port: int, pins: dict, user_agent: str,
                   normalizations: list[str]) -> tuple[dict, list[str]]:
    from alibabacloud_tea_openapi import utils_models as open_api_models

    doc_path = metadata / product / version / "api-docs.json"
    if not doc_path.exists():
        raise OracleError(f"metadata not found: {doc_path}")
    raw_doc = doc_path.read_bytes()
    document = json.loads(raw_doc)
    style = document["info"]["style"]
    apis = document["apis"]
    maker = ValueMaker(document)
    module_name = package.replace("-", "_")
    client_module = importlib.import_module(f"{module_name}.client")
    models = importlib.import_module(f"{module_name}.models")

    endpoint = f"127.0.0.1:{port}"
    clients = {}
    for variant in VARIANTS:
        config = open_api_models.Config(
            access_key_id=ACCESS_KEY_ID,
            access_key_secret=ACCESS_KEY_SECRET,
            region_id=REGION_ID,
            endpoint=endpoint,
            protocol="http",
            **variant["config"],
        )
        clients[variant["name"]] = client_module.Client(config)

    operations = {}
    problems = []
    missing_operations = []
    for name in select_operations(rule, apis):
        op = apis[name]
        try:
            method_name = find_sdk_method(clients[VARIANTS[0]["name"]], name)
        except OracleError as e:
            missing_operations.append(name)
            if name not in KNOWN_MISSING.get(f"{product}/{version}", ()):
                problems.append(f"{product}/{version} {name}: {e}")
            continue
        params, path_values, from_map, skipped, shadowed = build_inputs(op, maker, style)
        request_class = getattr(models, f"{name}Request", None)
        from_map, not_in_sdk = keep_known_fields(request_class, from_map)

        entry = {"input": from_map, "sdk_method": method_name}
        if params != from_map:
            entry["params"] = params
        if path_values:
            entry["path_params"] = path_values
        if not_in_sdk:
            entry["not_in_sdk"] = sorted(not_in_sdk)
        if skipped:
            entry["skipped_params"] = skipped
        if shadowed:
            entry["shadowed_params"] = shadowed

        recordings = []
        for variant in VARIANTS:
            sdk_method = getattr(clients[variant["name"]], method_name)
            args = call_arguments(name, sdk_method, request_class, from_map, path_values)
            server.httpd.response_body = response_body_for(op)
            recording = {"signature": variant["name"], "config": variant["config"]}
            request, error = call_once(server, sdk_method, args, nonce_for(product, version, name, variant["name"]))
            if request is not None:
                recording["request"] = request
            if error:
                recording["error"] = error
                problems.append(f"{product}/{version} {name} [{variant['name']}]: {error}")
            recordings.append(recording)
        entry["signature"] = recordings[0]["signature"]
        entry["request"] = recordings[0].get("request")
        if "error" in recordings[0]:
            entry["error"] = recordings[0]["error"]
        entry["alternates"] = recordings[1:]
        operations[name] = entry

    golden = {
        "product": product,
        "version": version,
        "style": style,
        "sdk": {package: pins[normalize_dist(package)],
                **{p: pins[normalize_dist(p)] for p in RUNTIME_PACKAGES}},
        "recorded_with": {
            "python": f"{sys.version_info.major}.{sys.version_info.minor}",
            "metadata": f"{product}/{version}/api-docs.json",
            "metadata_sha256": hashlib.sha256(raw_doc).hexdigest(),
            "endpoint": endpoint,
            "protocol": "http",
            "region_id": REGION_ID,
            "access_key_id": ACCESS_KEY_ID,
            "access_key_secret": ACCESS_KEY_SECRET,
            "timestamp": FIXED_TIMESTAMP,
            "date": FIXED_DATE,
            "nonce": "md5 hex of '<product>/<version>/<Operation>/<signature>'",
            "user_agent": user_agent,
            "normalizations": normalizations,
            "response_request_id": RESPONSE_REQUEST_ID,
            "signatures": {v["name"]: v["config"] for v in VARIANTS},
        },
        "operations": operations,
        "operations_not_in_sdk": missing_operations,
    }
    for name in KNOWN_MISSING.get(f"{product}/{version}", ()):
        if name not in missing_operations:
            problems.append(f"{product}/{version} {name}: listed in KNOWN_MISSING but the SDK has it now")
    return golden, problems


def render(golden: dict) -> str:
    """Pretty JSON with sorted keys; a list of scalars (a query pair, say) stays on one line."""

    def emit(value, indent: str) -> str:
        inner = indent + "  "
        if isinstance(value, dict):
            if not value:
                return "{}"
            items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {emit(value[k], inner)}" for k in sorted(value)]
            return "{\n" + ",\n".join(items) + "\n" + indent + "}"
        if isinstance(value, list):
            if all(not isinstance(v, (dict, list)) for v in value):
                return json.dumps(value, ensure_ascii=False)
            return "[\n" + ",\n".join(inner + emit(v, inner) for v in value) + "\n" + indent + "]"
        return json.dumps(value, ensure_ascii=False)

    text = emit(golden, "") + "\n"
    if json.loads(text) != golden:
        raise OracleError("rendering changed the data")
    return text


README = HERE / "README.md"
LIST_BEGIN = "<!-- operations:begin (written by record.py) -->"
LIST_END = "<!-- operations:end -->"


def operations_section(goldens: list[dict]) -> str:
    lines = [LIST_BEGIN, ""]
    for g in goldens:
        ops = sorted(g["operations"])
        lines.append(f"**{g['product']} {g['version']}** ({g['style']}, {len(ops)} operations): "
                     + ", ".join(f"`{o}`" for o in ops) + ".")
        if g["operations_not_in_sdk"]:
            lines.append("")
            lines.append("Selected but not in the SDK: " + ", ".join(f"`{o}`" for o in g["operations_not_in_sdk"]) + ".")
        lines.append("")
    lines.append(LIST_END)
    return "\n".join(lines)


def updated_readme(goldens: list[dict]) -> str | None:
    """README.md with its operation list replaced, or None if the markers are missing."""
    text = README.read_text() if README.exists() else ""
    start, end = text.find(LIST_BEGIN), text.find(LIST_END)
    if start < 0 or end < start:
        return None
    return text[:start] + operations_section(goldens) + text[end + len(LIST_END):]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--metadata", type=Path, default=REPO.parent / "shared" / "metadata" / "2024-06",
                        help="folder of <product>/<version>/api-docs.json (default: ../shared/metadata/2024-06 from the repository root)")
    parser.add_argument("--venv", type=Path, default=REPO / "target" / "oracle-venv",
                        help="virtual environment with the pinned SDKs (created if missing; default: target/oracle-venv)")
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "fixtures" / "golden")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"loopback port (default {DEFAULT_PORT}; it is part of the signed host header)")
    parser.add_argument("--product", action="append", help="record only this product (repeatable)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a golden file would change")
    parser.add_argument("--python-booleans", action="store_true",
                        help="leave the SDK's True/False spelling of booleans in query and form values as it is "
                             "(for inspection; the golden files are recorded without this)")
    parser.add_argument("--no-venv", action="store_true", help="use the running interpreter as it is")
    parser.add_argument("--any-python", action="store_true",
                        help="record with a Python other than 3.11 (the golden files then change)")
    args = parser.parse_args()
    if sys.version_info[:2] != RECORDING_PYTHON and not args.any_python:
        print(f"error: record with Python {'.'.join(map(str, RECORDING_PYTHON))} (this is "
              f"{sys.version.split()[0]}), or pass --any-python", file=sys.stderr)
        return 2

    if not args.no_venv:
        ensure_venv(args.venv.resolve())
    for var in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        os.environ.pop(var, None)
    os.environ["NO_PROXY"] = "127.0.0.1"

    try:
        pins = check_versions()
        user_agent, normalizations = pin_sdk_utilities(args.python_booleans)
        products = [p for p in PRODUCTS if not args.product or p[0] in args.product]
        if args.product and len(products) != len(set(args.product)):
            raise OracleError(f"unknown product in {args.product}; known: {[p[0] for p in PRODUCTS]}")
        all_problems = []
        stale = []
        goldens = []
        with LoopbackServer(args.port) as server:
            for product, version, package, rule in products:
                golden, problems = record_product(product, version, package, rule, args.metadata.resolve(),
                                                  server, args.port, pins, user_agent, normalizations)
                all_problems += problems
                goldens.append(golden)
                text = render(golden)
                path = args.out / f"{product}-{version}.json"
                old = path.read_text() if path.exists() else None
                state = "unchanged" if old == text else ("changed" if old is not None else "new")
                if args.check:
                    if state != "unchanged":
                        stale.append(str(path))
                elif state != "unchanged":
                    path.parent.mkdir(parents=True, exist_ok=True)
                    tmp = path.with_suffix(".json.tmp")
                    tmp.write_text(text)
                    tmp.replace(path)
                print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: "
                      f"{len(golden['operations'])} operations, {state}")
        if not args.product:
            readme = updated_readme(goldens)
            if readme is None:
                raise OracleError(f"{README} lacks the operation-list markers")
            if readme != README.read_text():
                if args.check:
                    stale.append(str(README))
                else:
                    README.write_text(readme)
                    print(f"{README.relative_to(REPO)}: operation list updated")
    except OracleError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if all_problems:
        print(f"error: {len(all_problems)} call(s) failed (recorded under \"error\"):", file=sys.stderr)
        for p in all_problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    if stale:
        print("error: golden files would change: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
