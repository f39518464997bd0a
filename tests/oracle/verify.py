#!/usr/bin/env python3
"""Check the golden files against an independent implementation of the three signatures.

Standard library only; no SDK needed. For every recorded request it recomputes the
signature from what was on the wire (method, path, query, headers, body) and the fake
secret, and compares it with the recorded one. It documents exactly what each signature
covers, and catches a golden file that was edited by hand or recorded inconsistently.

    python3 tests/oracle/verify.py [tests/fixtures/golden/*.json]
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
from pathlib import Path
from urllib.parse import quote

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "golden"


def percent(text: str) -> str:
    """RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ is %XX (UTF-8)."""
    return quote(text, safe="~")


def acs3_hmac_sha256(request: dict, secret: str) -> str:
    """ACS3-HMAC-SHA256 (the V3 signature, the SDK's default for RPC and ROA)."""
    headers = request["headers"]
    body = (request["body"] or "").encode("utf-8")
    payload_hash = hashlib.sha256(body).hexdigest()
    if headers["x-acs-content-sha256"] != payload_hash:
        raise AssertionError("x-acs-content-sha256 is not the SHA-256 of the body")
    auth = headers["authorization"]
    algorithm, _, rest = auth.partition(" ")
    fields = dict(part.split("=", 1) for part in rest.split(","))
    signed = fields["SignedHeaders"].split(";")
    canonical_uri = request["path"] or "/"  # as sent: path parameters already percent-encoded
    # Query: decoded pairs, sorted by name, each side re-encoded with percent().
    canonical_query = "&".join(f"{k}={percent(v)}" for k, v in sorted(request["query"]))
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in signed)
    canonical_request = "\n".join([
        request["method"], canonical_uri, canonical_query, canonical_headers, ";".join(signed), payload_hash,
    ])
    string_to_sign = f"{algorithm}\n{hashlib.sha256(canonical_request.encode()).hexdigest()}"
    signature = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()
    # Every header the SDK set before signing is signed; the transport adds the rest.
    unsigned = sorted(set(headers) - set(signed) - {"authorization"})
    if not set(unsigned) <= {"accept-encoding", "content-length"}:
        raise AssertionError(f"unexpected unsigned headers {unsigned}")
    return f"{algorithm} Credential={fields['Credential']},SignedHeaders={';'.join(signed)},Signature={signature}"


def rpc_hmac_sha1(request: dict, secret: str) -> str:
    """RPC V1: HMAC-SHA1 over the sorted query and form parameters, sent as Signature."""
    params = [(k, v) for k, v in request["query"] if k != "Signature"] + [tuple(p) for p in (request["body_form"] or [])]
    canonical = "&".join(f"{percent(k)}={percent(v)}" for k, v in sorted(params))
    string_to_sign = f"{request['method']}&{percent('/')}&{percent(canonical)}"
    digest = hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def roa_hmac_sha1(request: dict, access_key_id: str, secret: str) -> str:
    """ROA V1: HMAC-SHA1 over method, four headers, the x-acs-* headers and the resource."""
    headers = request["headers"]
    lines = [request["method"]] + [headers.get(h, "") for h in ("accept", "content-md5", "content-type", "date")]
    acs = "".join(f"{k}:{headers[k]}\n" for k in sorted(headers) if k.startswith("x-acs-"))
    resource = request["path"]
    if request["query"]:
        # Decoded values, not re-encoded; an empty value leaves just the name.
        resource += "?" + "&".join(k if v == "" else f"{k}={v}" for k, v in sorted(request["query"]))
    string_to_sign = "\n".join(lines) + "\n" + acs + resource
    digest = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return f"acs {access_key_id}:{base64.b64encode(digest).decode()}"


def check_file(path: Path) -> int:
    golden = json.loads(path.read_text())
    access_key_id = golden["recorded_with"]["access_key_id"]
    secret = golden["recorded_with"]["access_key_secret"]
    style = golden["style"]
    failures = 0
    checked = 0
    for name, op in sorted(golden["operations"].items()):
        recordings = [{"signature": op["signature"], "request": op["request"]}] + op["alternates"]
        for rec in recordings:
            request = rec["request"]
            try:
                if rec["signature"] == "ACS3-HMAC-SHA256":
                    expected, got = acs3_hmac_sha256(request, secret), request["headers"]["authorization"]
                elif style == "RPC":
                    expected, got = rpc_hmac_sha1(request, secret), dict(request["query"])["Signature"]
                else:
                    expected, got = roa_hmac_sha1(request, access_key_id, secret), request["headers"]["authorization"]
                if expected != got:
                    raise AssertionError(f"signature {got} != recomputed {expected}")
                checked += 1
            except (AssertionError, KeyError) as e:
                failures += 1
                print(f"{path.name} {name} [{rec['signature']}]: {e}", file=sys.stderr)
    print(f"{path.name}: {checked} signatures recomputed, {failures} mismatches")
    return failures


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(GOLDEN.glob("*.json"))
    if not paths:
        print("no golden files", file=sys.stderr)
        return 2
    return 1 if sum(check_file(p) for p in paths) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
