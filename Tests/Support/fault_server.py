#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 endpoint for teprov's end-to-end tests and benchmarks (stdlib only).

Two modes:
  --upstream URL   reverse proxy in front of a SCIM server (scim2-server speaks HTTP/1.0 and closes
                   every connection, so each request opens a new upstream connection). The request
                   path and Host header are forwarded unchanged, so resource locations point here.
  --stub           a small in-memory SCIM /Users store of its own (see StubUserStore), served with
                   keep-alive, for throughput benchmarks that scim2-server is too slow for.

Both modes keep client connections alive (HTTP/1.1), answer every request in its own thread, and
accept:
  --port N                 port to listen on (0: any free port; the ready line names it)
  --latency-ms N           sleep N ms in every SCIM request (per request, in its own thread)
  --rate-limit N           fixed-window bucket of N requests per --rate-window seconds (default 60);
                           windows are aligned on multiples of the window in epoch time. Every answer
                           carries X-Organization-Rate-Limit-Limit/-Remaining/-Reset (Reset = epoch
                           seconds of the window end, consistent with the Date header); an exhausted
                           bucket answers 429 with those headers and no Retry-After (like ThousandEyes).
  --competitor-share F     a background client takes that share of each window's tokens, spread
                           evenly over the window (needs --rate-limit)
  --bearer-token T         401 unless `Authorization: Bearer T` (repeatable)
  --detached               keep running when the parent process exits (default: exit with it, or
                           with --parent-pid P when given)

Rules (POST /_control/rules, a JSON list; see FaultRule for `match`, `times`, `probability`, `seed`):
  {"type": "status", "status": 503, "headers": {...}, "body": "..." | {...}}
                           answer this instead of forwarding (default body: a SCIM Error); the rule's
                           headers replace the rate-limit headers of the same name
  {"type": "latency", "ms": 50}          sleep before forwarding (adds to --latency-ms)
  {"type": "hang", "seconds": S}         hold the request S seconds, then close the connection without
                                         answering or forwarding (with "forward": true: forward after S)
  {"type": "drop_before"}                close the connection without forwarding
  {"type": "drop_after"}                 forward, then close the connection without answering
  {"type": "ignore_active"}              leave `active` out of PATCH and PUT bodies (a PUT keeps the
                                         stored value; a PATCH of only `active` is answered 204 here)
  {"type": "ignore_count"}               remove `count` from GET .../Users queries
  {"type": "cap_count", "max": N}        cap `count` of GET .../Users queries at N (set it when absent)
  {"type": "shrink_total", "by": N}      list answers report totalResults minus N x (how often this rule
                                         fired so far): with no `times`, the total shrinks page after page
Modifying actions add up; the first status/hang/drop_before that fires ends the evaluation. Order per
request: rate bucket (429), bearer token (401), --latency-ms, rules, then the upstream or the stub.

Control endpoints (never rate-limited, delayed, authenticated or counted):
  POST /_control/rules     replace the fault rules with the JSON list in the body (see FaultRule)
  GET  /_control/rules     the rules with how often each fired
  GET  /_control/stats     {"requests", "byMethod", "byStatus", "tooManyRequests", "injected",
                            "maxInFlight", "connections", "dropped", "competitorTokens", "competitorDenied"}:
                           every SCIM request counts (control requests do not); an answer is counted
                           before it is sent; "dropped" = closed without an answer; "connections" =
                           connections that carried a SCIM request; "maxInFlight" = most requests
                           being handled at once
  POST /_control/reset     clear stats and rules and refill the rate bucket; `?store=1` also empties
                           the stub's users
  POST /_control/users     (stub) add the users of the JSON list in the body, without any HTTP cost
  GET  /_control/users     (stub) every stored user, as a JSON list

Prints `fault_server: listening on http://127.0.0.1:PORT` once ready; SIGTERM/SIGINT stop it (exit 0);
exits 75 when the port is taken.
"""

import argparse
import email.utils
import errno
import http.client
import http.server
import json
import math
import os
import random
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse
import uuid

EXIT_PORT_IN_USE = 75
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
    "content-length", "date", "server",
}


def scim_error(status, detail, scim_type=None):
    body = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return body


class ScimFailure(Exception):
    """A SCIM error answer raised from deep inside the stub's request handling."""

    def __init__(self, status, detail, scim_type=None):
        super().__init__(detail)
        self.status = status
        self.body = scim_error(status, detail, scim_type)


# ---------------------------------------------------------------------------------------------
# Statistics


class ServerStats:
    """Counters shared by every connection thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.requests = 0
            self.by_method = {}
            self.by_status = {}
            self.too_many = 0
            self.injected = 0
            self.in_flight = 0
            self.max_in_flight = 0
            self.connections = 0
            self.dropped = 0
            self.competitor_tokens = 0
            self.competitor_denied = 0

    def begin(self, method, new_connection):
        with self.lock:
            self.requests += 1
            self.by_method[method] = self.by_method.get(method, 0) + 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            if new_connection:
                self.connections += 1

    def end(self, status):
        with self.lock:
            self.in_flight -= 1
            if status is None:
                self.dropped += 1
                return
            key = str(status)
            self.by_status[key] = self.by_status.get(key, 0) + 1
            if status == 429:
                self.too_many += 1

    def add(self, name, amount=1):
        with self.lock:
            setattr(self, name, getattr(self, name) + amount)

    def snapshot(self):
        with self.lock:
            return {
                "requests": self.requests,
                "byMethod": dict(self.by_method),
                "byStatus": dict(self.by_status),
                "tooManyRequests": self.too_many,
                "injected": self.injected,
                "maxInFlight": self.max_in_flight,
                "connections": self.connections,
                "dropped": self.dropped,
                "competitorTokens": self.competitor_tokens,
                "competitorDenied": self.competitor_denied,
            }


# ---------------------------------------------------------------------------------------------
# Rate limit


class RateBucket:
    """A fixed-window token bucket: `limit` requests per window of `window` seconds, aligned on epoch time."""

    def __init__(self, limit, window):
        self.limit = limit
        self.window = window
        self.lock = threading.Lock()
        self.current_window = None
        self.remaining = limit

    def take(self):
        """(allowed, remaining after this request, epoch seconds of the window end)."""
        now = time.time()
        index = math.floor(now / self.window)
        with self.lock:
            if index != self.current_window:
                self.current_window = index
                self.remaining = self.limit
            if self.remaining > 0:
                self.remaining -= 1
                allowed = True
            else:
                allowed = False
            remaining = self.remaining
        reset = math.ceil((index + 1) * self.window)
        return allowed, remaining, reset

    def refill(self):
        with self.lock:
            self.current_window = None
            self.remaining = self.limit


def start_competitor(bucket, share, stats):
    """Spend `share` of each window's tokens at evenly spaced instants, like another API client would."""
    tokens_per_window = round(bucket.limit * share)
    if tokens_per_window <= 0:
        return
    spacing = bucket.window / tokens_per_window
    # Slot j of each window sits at (j + 0.5) * spacing after the window start, so slots form one
    # even sequence across windows.
    first = math.floor(time.time() / bucket.window) * bucket.window + spacing / 2

    def run():
        slot = first
        while True:
            now = time.time()
            if slot < now - spacing:  # fell far behind (suspended?): skip the missed slots
                slot += math.floor((now - slot) / spacing) * spacing
            if slot > now:
                time.sleep(slot - now)
            allowed, _, _ = bucket.take()
            stats.add("competitor_tokens" if allowed else "competitor_denied")
            slot += spacing

    threading.Thread(target=run, name="competitor", daemon=True).start()


# ---------------------------------------------------------------------------------------------
# Fault rules


class FaultRule:
    """One rule: `{"match": {"method", "path", "query"}, "action": {...}, "times": N | "probability": p, "seed": s}`.

    `match.path` is a regular expression searched in the request path (without the query string),
    `match.query` one searched in the raw query string, `match.method` compared without case; absent
    parts match everything. `times` limits how often the rule fires; `probability` (with `seed`,
    default 0) makes it fire at random, reproducibly.
    """

    ACTIONS = {
        "status", "latency", "hang", "drop_before", "drop_after", "ignore_active", "ignore_count",
        "cap_count", "shrink_total",
    }
    TERMINAL = {"status", "hang", "drop_before"}

    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("each rule must be a JSON object")
        match = spec.get("match") or {}
        if not isinstance(match, dict):
            raise ValueError("rule.match must be an object")
        self.spec = spec
        self.method = str(match["method"]).upper() if match.get("method") else None
        self.path = re.compile(match["path"]) if match.get("path") else None
        self.query = re.compile(match["query"]) if match.get("query") else None
        action = spec.get("action")
        if isinstance(action, str):
            action = {"type": action}
        if not isinstance(action, dict) or action.get("type") not in self.ACTIONS:
            raise ValueError(f"rule.action.type must be one of {sorted(self.ACTIONS)}")
        self.action = action
        self.kind = action["type"]
        self.times = int(spec["times"]) if spec.get("times") is not None else None
        self.probability = float(spec["probability"]) if spec.get("probability") is not None else None
        self.random = random.Random(spec.get("seed", 0))
        self.fired = 0
        self.lock = threading.Lock()

    def try_fire(self, method, path, query):
        """The 1-based count of this firing when the rule applies to the request, else None."""
        if self.method and self.method != method:
            return None
        if self.path and not self.path.search(path):
            return None
        if self.query and not self.query.search(query):
            return None
        with self.lock:
            if self.times is not None and self.fired >= self.times:
                return None
            if self.probability is not None and self.random.random() >= self.probability:
                return None
            self.fired += 1
            return self.fired

    def describe(self):
        return {**self.spec, "fired": self.fired}


class FaultPlan:
    """What the rules decided for one request."""

    def __init__(self):
        self.latency_ms = 0.0
        self.terminal = None
        self.drop_after = False
        self.ignore_active = False
        self.ignore_count = False
        self.cap_count = None
        self.shrink_total = 0


class FaultRules:
    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []

    def replace(self, specs):
        if isinstance(specs, dict) and "rules" in specs:
            specs = specs["rules"]
        if not isinstance(specs, list):
            raise ValueError("the body must be a JSON list of rules")
        rules = [FaultRule(spec) for spec in specs]
        with self.lock:
            self.rules = rules
        return len(rules)

    def describe(self):
        with self.lock:
            return [rule.describe() for rule in self.rules]

    def plan(self, method, path, query, stats):
        """Fire the matching rules in order; the first terminal action ends the evaluation."""
        with self.lock:
            rules = list(self.rules)
        plan = FaultPlan()
        for rule in rules:
            count = rule.try_fire(method, path, query)
            if count is None:
                continue
            stats.add("injected")
            action = rule.action
            if rule.kind in FaultRule.TERMINAL:
                plan.terminal = action
                break
            if rule.kind == "latency":
                plan.latency_ms += float(action.get("ms", 0))
            elif rule.kind == "drop_after":
                plan.drop_after = True
            elif rule.kind == "ignore_active":
                plan.ignore_active = True
            elif rule.kind == "ignore_count":
                plan.ignore_count = True
            elif rule.kind == "cap_count":
                plan.cap_count = int(action.get("max", 0))
            elif rule.kind == "shrink_total":
                # Shrinks by `by` more each time it fires: page after page, the total goes down.
                plan.shrink_total += int(action.get("by", 1)) * count
        return plan


def strip_active_from_patch(body):
    """The PatchOp without any change of `active`; None when nothing else is left to send."""
    operations = body.get("Operations") if isinstance(body, dict) else None
    if not isinstance(operations, list):
        return body
    kept = []
    for operation in operations:
        if not isinstance(operation, dict):
            kept.append(operation)
            continue
        path = operation.get("path")
        if isinstance(path, str) and path.strip().lower().rsplit(":", 1)[-1] == "active":
            continue
        value = operation.get("value")
        if not path and isinstance(value, dict):
            value = {key: item for key, item in value.items() if key.lower().rsplit(":", 1)[-1] != "active"}
            if not value:
                continue
            operation = {**operation, "value": value}
        kept.append(operation)
    if not kept:
        return None
    return {**body, "Operations": kept}


def rewrite_count(query, plan):
    """The list query with `count` removed (ignore_count) or capped (cap_count)."""
    if not plan.ignore_count and plan.cap_count is None:
        return query
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    if plan.ignore_count:
        pairs = [(key, value) for key, value in pairs if key.lower() != "count"]
    else:
        wanted = next((value for key, value in pairs if key.lower() == "count"), None)
        try:
            count = min(int(wanted), plan.cap_count) if wanted is not None else plan.cap_count
        except ValueError:
            count = plan.cap_count
        pairs = [(key, value) for key, value in pairs if key.lower() != "count"] + [("count", str(count))]
    return urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)


# ---------------------------------------------------------------------------------------------
# Backends


class UpstreamBackend:
    """Forwards each request on a new connection to the upstream server (HTTP/1.0 servers close anyway)."""

    def __init__(self, url, timeout=30.0):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError("--upstream must be an http:// URL")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.timeout = timeout

    def send(self, method, target, headers, body):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                if name.lower() not in HOP_BY_HOP and name.lower() != "expect":
                    connection.putheader(name, value)
            if body or method in ("POST", "PUT", "PATCH"):
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body or None)
            response = connection.getresponse()
            data = response.read()
            kept = [(name, value) for name, value in response.getheaders() if name.lower() not in HOP_BY_HOP]
            return response.status, kept, data
        except OSError as error:
            body = scim_error(502, f"fault_server: upstream {self.host}:{self.port} failed: {error}")
            return 502, [("Content-Type", "application/scim+json")], json.dumps(body).encode()
        finally:
            connection.close()


# ---------------------------------------------------------------------------------------------
# The in-memory SCIM stub


CANONICAL_NAMES = {
    name.lower(): name
    for name in (
        "schemas", "id", "externalId", "meta", "userName", "name", "displayName", "nickName", "profileUrl",
        "title", "userType", "preferredLanguage", "locale", "timezone", "active", "password", "emails",
        "phoneNumbers", "ims", "photos", "addresses", "groups", "entitlements", "roles", "x509Certificates",
        "formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix",
        "value", "display", "type", "primary",
    )
}
PATH_PATTERN = re.compile(r"^(?P<attr>[A-Za-z_$][\w$-]*)(?:\[(?P<filter>[^\]]*)\])?(?:\.(?P<sub>[A-Za-z_$][\w$-]*))?$")
EQ_PATTERN = re.compile(
    r'^\s*(?P<attr>[A-Za-z_$][\w$.-]*)\s+eq\s+(?P<value>"(?:[^"\\]|\\.)*"|true|false|null|-?\d+)\s*$', re.IGNORECASE
)
CASE_EXACT = {"id", "externalid"}
SERVICE_PROVIDER_CONFIG = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    "patch": {"supported": True},
    "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
    "filter": {"supported": True, "maxResults": 1000},
    "changePassword": {"supported": False},
    "sort": {"supported": False},
    "etag": {"supported": True},
    "authenticationSchemes": [],
}


def key_in(container, name):
    """The key of `container` that names `name` (attribute names ignore case), else its canonical spelling."""
    lowered = name.lower()
    for key in container:
        if key.lower() == lowered:
            return key
    return CANONICAL_NAMES.get(lowered, name)


def parse_eq(text):
    """(attribute, value) of `attr eq "value"`, or None."""
    match = EQ_PATTERN.match(text or "")
    if not match:
        return None
    return match.group("attr"), json.loads(match.group("value"))


def same_value(attribute, stored, wanted):
    if isinstance(stored, str) and isinstance(wanted, str) and attribute.lower() not in CASE_EXACT:
        return stored.lower() == wanted.lower()
    return stored == wanted


def normalized(key, value):
    """Entra sends booleans as strings ("False"); store them as booleans like scim2-server does."""
    if key == "active" and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def version_number(tag):
    """The n of W/"n" (weak comparison, as scim2-server does)."""
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    return tag.strip('"')


def apply_path(user, path, kind, value):
    """Apply one PATCH operation with a path to `user` (modified in place)."""
    container = user
    head = path.split("[", 1)[0]
    if head.lower().startswith("urn:") and ":" in head:
        cut = head.rfind(":")
        urn, path = path[:cut], path[cut + 1 :]
        if urn.lower() != USER_SCHEMA.lower():
            key = key_in(user, urn)
            container = dict(user.get(key) or {})
            user[key] = container
            if urn not in user.setdefault("schemas", [USER_SCHEMA]):
                user["schemas"].append(urn)
    match = PATH_PATTERN.match(path.strip())
    if not match:
        raise ScimFailure(400, f"unsupported path {path!r}", "invalidPath")
    attr, flt, sub = match.group("attr"), match.group("filter"), match.group("sub")
    key = key_in(container, attr)
    if key in ("id", "meta"):
        raise ScimFailure(400, f"'{key}' is read-only", "mutability")
    if flt is None and sub is None:
        if kind == "remove":
            container.pop(key, None)
        elif kind == "add" and isinstance(container.get(key), list):
            container[key] = container[key] + (value if isinstance(value, list) else [value])
        elif kind == "add" and isinstance(container.get(key), dict) and isinstance(value, dict):
            merged = dict(container[key])
            for name, item in value.items():
                merged[key_in(merged, name)] = item
            container[key] = merged
        else:
            container[key] = normalized(key, value)
        return
    if flt is None:
        parent = dict(container.get(key) or {}) if isinstance(container.get(key), dict) else {}
        if kind == "remove":
            parent.pop(key_in(parent, sub), None)
        else:
            parent[key_in(parent, sub)] = value
        container[key] = parent
        return
    condition = parse_eq(flt)
    if condition is None:
        raise ScimFailure(400, f"unsupported value filter {flt!r}", "invalidFilter")
    filter_attr, filter_value = condition
    items = [dict(item) if isinstance(item, dict) else item for item in (container.get(key) or [])]
    hits = [
        index for index, item in enumerate(items)
        if isinstance(item, dict) and same_value(filter_attr, item.get(key_in(item, filter_attr)), filter_value)
    ]
    if kind == "remove":
        if sub:
            for index in hits:
                items[index].pop(key_in(items[index], sub), None)
        else:
            items = [item for index, item in enumerate(items) if index not in hits]
    elif not hits:
        if kind == "replace":
            raise ScimFailure(400, f"no value of '{attr}' matches the path filter", "noTarget")
        entry = {key_in({}, filter_attr): filter_value}  # add: Entra expects the entry to be created
        if sub:
            entry[key_in(entry, sub)] = value
        elif isinstance(value, dict):
            entry.update(value)
        items.append(entry)
    else:
        for index in hits:
            if sub:
                items[index][key_in(items[index], sub)] = value
            elif isinstance(value, dict):
                for name, item in value.items():
                    items[index][key_in(items[index], name)] = item
    container[key] = items


def apply_patch(user, body):
    """The user after the PatchOp `body` (atomic: raises before anything is stored)."""
    operations = body.get("Operations") if isinstance(body, dict) else None
    if not isinstance(operations, list):
        raise ScimFailure(400, "the PatchOp needs an Operations list", "invalidSyntax")
    patched = json.loads(json.dumps(user))
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimFailure(400, "each operation must be an object", "invalidSyntax")
        kind = str(operation.get("op", "")).lower()
        if kind not in ("add", "replace", "remove"):
            raise ScimFailure(400, f"unknown op {operation.get('op')!r}", "invalidValue")
        path = operation.get("path")
        value = operation.get("value")
        if path:
            apply_path(patched, str(path), kind, value)
        elif kind == "remove":
            raise ScimFailure(400, "Remove operation requires a path", "noTarget")
        elif isinstance(value, dict):
            for name, item in value.items():
                if name.lower().startswith("urn:") and isinstance(item, dict):  # a whole extension object
                    for member, member_value in item.items():
                        apply_path(patched, f"{name}:{member}", kind, member_value)
                else:
                    apply_path(patched, name, kind, item)
        else:
            raise ScimFailure(400, "an operation without path needs an object value", "invalidValue")
    return patched


class StubUserStore:
    """An in-memory /Users store with the behaviour teprov relies on (see the module docstring of StubBackend)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.users = {}
        self.ids_by_name = {}

    def clear(self):
        with self.lock:
            self.users = {}  # id -> resource, in creation order
            self.ids_by_name = {}  # lower-cased userName -> id

    def dump(self):
        with self.lock:
            return list(self.users.values())

    def _stamp(self, user, location_base, version, created=None):
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        user["meta"] = {
            "resourceType": "User",
            "created": created or now,
            "lastModified": now,
            "location": f"{location_base}/{user['id']}",
            "version": f'W/"{version}"',
        }

    def _checked_name(self, resource, own_id=None):
        name = resource.get(key_in(resource, "userName"))
        if not isinstance(name, str) or not name.strip():
            raise ScimFailure(400, "Field 'userName' is required but value is missing, null or empty", "invalidValue")
        holder = self.ids_by_name.get(name.lower())
        if holder is not None and holder != own_id:
            raise ScimFailure(
                409, "One or more of the attribute values are already in use or are reserved", "uniqueness"
            )
        return name

    def _canonical(self, resource):
        if not isinstance(resource, dict):
            raise ScimFailure(400, "the body must be a JSON object", "invalidSyntax")
        user = {}
        for name, value in resource.items():
            key = key_in(user, name)
            if key not in ("id", "meta"):
                user[key] = normalized(key, value)
        user.setdefault("schemas", [USER_SCHEMA])
        return user

    def create(self, resource, location_base):
        user = self._canonical(resource)
        with self.lock:
            name = self._checked_name(user)
            user = {"schemas": user.pop("schemas"), "id": uuid.uuid4().hex, **user}
            self._stamp(user, location_base, 1)
            self.users[user["id"]] = user
            self.ids_by_name[name.lower()] = user["id"]
            return user

    def get(self, user_id):
        with self.lock:
            user = self.users.get(user_id)
        if user is None:
            raise ScimFailure(404, f"User {user_id!r} not found")
        return user

    def _check_version(self, user, if_match):
        if if_match is None or if_match.strip() == "*":
            return
        current = version_number(user["meta"]["version"])
        if all(version_number(tag) != current for tag in if_match.split(",")):
            raise ScimFailure(412, "Failed to update. Resource has changed on the server")

    def _store(self, old, new, location_base):
        """Replace `old` by `new` (same id), bumping the version when something changed."""
        version = int(version_number(old["meta"]["version"]))
        comparable = {key: value for key, value in new.items() if key != "meta"}
        if comparable != {key: value for key, value in old.items() if key != "meta"}:
            version += 1
        self._stamp(new, location_base, version, created=old["meta"]["created"])
        self.ids_by_name.pop(old[key_in(old, "userName")].lower(), None)
        self.ids_by_name[new[key_in(new, "userName")].lower()] = new["id"]
        self.users[new["id"]] = new
        return new

    def patch(self, user_id, body, if_match, location_base):
        with self.lock:
            user = self.users.get(user_id)
            if user is None:
                raise ScimFailure(404, f"User {user_id!r} not found")
            self._check_version(user, if_match)
            patched = apply_patch(user, body)
            self._checked_name(patched, own_id=user_id)
            return self._store(user, patched, location_base)

    def replace(self, user_id, resource, if_match, location_base):
        replacement = self._canonical(resource)
        with self.lock:
            user = self.users.get(user_id)
            if user is None:
                raise ScimFailure(404, f"User {user_id!r} not found")
            self._check_version(user, if_match)
            self._checked_name(replacement, own_id=user_id)
            replacement = {"schemas": replacement.pop("schemas"), "id": user_id, **replacement}
            return self._store(user, replacement, location_base)

    def delete(self, user_id, if_match):
        with self.lock:
            user = self.users.get(user_id)
            if user is None:
                raise ScimFailure(404, f"User {user_id!r} not found")
            self._check_version(user, if_match)
            del self.users[user_id]
            self.ids_by_name.pop(user[key_in(user, "userName")].lower(), None)

    def query(self, filter_text, start_index, count):
        """(totalResults, page) for `filter` (`attr eq "value"` or none), 1-based `start_index`, `count`."""
        with self.lock:
            if not filter_text:
                matches = list(self.users.values())
            else:
                condition = parse_eq(filter_text)
                if condition is None:
                    raise ScimFailure(400, f"unsupported filter {filter_text!r} (only: attribute eq value)", "invalidFilter")
                attribute, wanted = condition
                if attribute.lower() == "username" and isinstance(wanted, str):
                    found = self.ids_by_name.get(wanted.lower())
                    matches = [self.users[found]] if found else []
                else:
                    matches = [user for user in self.users.values() if self._has(user, attribute, wanted)]
        return len(matches), matches[start_index - 1 : start_index - 1 + count]

    @staticmethod
    def _has(user, attribute, wanted):
        values = [user]
        for part in attribute.split("."):
            next_values = []
            for value in values:
                item = value.get(key_in(value, part)) if isinstance(value, dict) else None
                next_values.extend(item if isinstance(item, list) else [item])
            values = next_values
        return any(same_value(part, value, wanted) for value in values if value is not None)


class StubBackend:
    """Serves /Users, /Users/{id} and /ServiceProviderConfig, with or without the /v2 prefix.

    POST 201 (409 on a userName taken, compared without case; 400 without userName), GET by id
    (404), list with filter `attr eq "value"` (userName without case, externalId and id exactly),
    startIndex/count (default and maximum 1000, creation order), PATCH (add/replace/remove, paths
    `attr`, `attr.sub`, `attr[sub eq "v"].sub`, extension URNs, ops without path; 204), PUT (200),
    DELETE (204); meta.version W/"n" counts each resource's changes, If-Match mismatch gives 412.
    """

    ROUTE = re.compile(r"^(?P<prefix>/v2)?/(?P<kind>Users|ServiceProviderConfig)(?:/(?P<id>[^/]+))?/?$", re.IGNORECASE)

    def __init__(self):
        self.store = StubUserStore()

    def send(self, method, target, headers, body):
        try:
            status, extra, payload = self._route(method, target, headers, body)
        except ScimFailure as failure:
            status, extra, payload = failure.status, [], failure.body
        response_headers = [("Content-Type", "application/scim+json"), *extra]
        data = b"" if payload is None else json.dumps(payload, separators=(",", ":")).encode()
        return status, response_headers, data

    def _route(self, method, target, headers, body):
        split = urllib.parse.urlsplit(target)
        route = self.ROUTE.match(split.path)
        if not route:
            raise ScimFailure(404, f"No resource type found at {split.path!r}")
        if route.group("kind").lower() == "serviceproviderconfig":
            if method != "GET":
                raise ScimFailure(405, "ServiceProviderConfig is read-only")
            return 200, [], SERVICE_PROVIDER_CONFIG
        host = next((value for name, value in headers if name.lower() == "host"), "127.0.0.1")
        location_base = f"http://{host}{route.group('prefix') or ''}/Users"
        if_match = next((value for name, value in headers if name.lower() == "if-match"), None)
        user_id = route.group("id")
        if user_id is None:
            if method == "GET":
                return 200, [], self._list(split.query)
            if method == "POST":
                user = self.store.create(self._json(body), location_base)
                return 201, [("Location", user["meta"]["location"]), ("ETag", user["meta"]["version"])], user
            raise ScimFailure(405, f"{method} is not allowed on /Users")
        if method == "GET":
            user = self.store.get(user_id)
            return 200, [("ETag", user["meta"]["version"])], user
        if method == "PATCH":
            user = self.store.patch(user_id, self._json(body), if_match, location_base)
            return 204, [("ETag", user["meta"]["version"])], None
        if method == "PUT":
            user = self.store.replace(user_id, self._json(body), if_match, location_base)
            return 200, [("ETag", user["meta"]["version"])], user
        if method == "DELETE":
            self.store.delete(user_id, if_match)
            return 204, [], None
        raise ScimFailure(405, f"{method} is not allowed on /Users/{{id}}")

    @staticmethod
    def _json(body):
        try:
            return json.loads(body or b"null")
        except ValueError as error:
            raise ScimFailure(400, f"Invalid JSON: {error}", "invalidSyntax") from None

    def _list(self, query):
        parameters = {key.lower(): value for key, value in urllib.parse.parse_qsl(query, keep_blank_values=True)}
        try:
            start_index = max(int(parameters.get("startindex", "1")), 1)
            count = min(max(int(parameters.get("count", "1000")), 0), 1000)
        except ValueError:
            raise ScimFailure(400, "startIndex and count must be integers", "invalidValue") from None
        total, page = self.store.query(parameters.get("filter"), start_index, count)
        return {
            "schemas": [LIST_SCHEMA], "totalResults": total, "startIndex": start_index,
            "itemsPerPage": len(page), "Resources": page,
        }

    def seed(self, resources, location_base):
        created = conflicts = 0
        for resource in resources:
            try:
                self.store.create(resource, location_base)
                created += 1
            except ScimFailure:
                conflicts += 1
        return {"created": created, "conflicts": conflicts}


# ---------------------------------------------------------------------------------------------
# HTTP front


class FaultHTTPServer(http.server.ThreadingHTTPServer):
    """One daemon thread per connection, a deep listen backlog, and no reverse DNS lookup at bind."""

    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(self, address, backend, options):
        self.backend = backend
        self.stats = ServerStats()
        self.rules = FaultRules()
        self.latency = options.latency_ms / 1000.0
        self.tokens = set(options.bearer_token)
        self.bucket = RateBucket(options.rate_limit, options.rate_window) if options.rate_limit else None
        super().__init__(address, FaultHandler)

    def server_bind(self):
        # HTTPServer.server_bind calls socket.getfqdn, which can stall on hosts with slow DNS.
        http.server.socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the client went away (e.g. it timed out on a hang): nothing to report
        super().handle_error(request, client_address)


class FaultHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault_server"
    disable_nagle_algorithm = True
    timeout = 300  # idle keep-alive connections are closed after 5 minutes

    def setup(self):
        super().setup()
        self.counted_connection = False
        self.counting = False

    def log_message(self, format, *args):  # noqa: A002 (signature of the base class)
        pass

    def do_GET(self):
        self.handle_any()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    # -- plumbing -----------------------------------------------------------------------------

    def read_body(self):
        length = self.headers.get("Content-Length")
        if length:
            return self.rfile.read(int(length))
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return b""

    def respond(self, status, headers, body):
        """Write the whole answer in one send (status line, headers, body); returns `status`."""
        if isinstance(body, (dict, list)):
            body = json.dumps(body, separators=(",", ":")).encode()
            if not any(name.lower() == "content-type" for name, _ in headers):
                headers = [("Content-Type", "application/scim+json"), *headers]
        elif isinstance(body, str):
            body = body.encode()
        reason = self.responses.get(status, ("Unknown",))[0]
        lines = [f"HTTP/1.1 {status} {reason}", f"Date: {email.utils.formatdate(usegmt=True)}", "Server: fault_server"]
        lines += [f"{name}: {value}" for name, value in headers]
        if status in (204, 304):
            body = b""
        else:
            lines.append(f"Content-Length: {len(body)}")
        if self.command == "HEAD":
            body = b""
        if self.close_connection:
            lines.append("Connection: close")
        self.finish_counting(status)
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace") + body)
        return status

    def drop(self):
        """Close the connection without answering; returns None (no status)."""
        self.finish_counting(None)
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return None

    # -- requests -----------------------------------------------------------------------------

    def handle_any(self):
        split = urllib.parse.urlsplit(self.path)
        if split.path.startswith("/_control/"):
            self.handle_control(split.path, split.query)
            return
        self.server.stats.begin(self.command, not self.counted_connection)
        self.counted_connection = True
        self.counting = True
        try:
            self.serve(split.path, split.query)
        except ConnectionError:
            raise
        except Exception as error:  # a bug here must not kill the connection silently
            self.respond(500, [], scim_error(500, f"fault_server: {type(error).__name__}: {error}"))
        finally:
            self.finish_counting(None)

    def finish_counting(self, status):
        """Count the answer before it is sent, so a client that reads the stats next sees it."""
        if self.counting:
            self.counting = False
            self.server.stats.end(status)

    def serve(self, path, query):
        server = self.server
        body = self.read_body()
        rate_headers = []
        if server.bucket:
            allowed, remaining, reset = server.bucket.take()
            rate_headers = [
                ("X-Organization-Rate-Limit-Limit", str(server.bucket.limit)),
                ("X-Organization-Rate-Limit-Remaining", str(remaining)),
                ("X-Organization-Rate-Limit-Reset", str(reset)),
            ]
            if not allowed:
                detail = "Exhausted rate limit for the organization"
                return self.respond(429, rate_headers, scim_error(429, detail))
        if server.tokens:
            scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
            if scheme.lower() != "bearer" or token.strip() not in server.tokens:
                detail = "Authorization failure. The authorization header is invalid or missing"
                return self.respond(401, [("WWW-Authenticate", 'Bearer realm="SCIM"'), *rate_headers],
                                    scim_error(401, detail))
        if server.latency:
            time.sleep(server.latency)
        plan = server.rules.plan(self.command, path, query, server.stats)
        if plan.latency_ms:
            time.sleep(plan.latency_ms / 1000.0)
        if plan.terminal is not None:
            action = plan.terminal
            if action["type"] == "status":
                return self.injected_status(action, rate_headers)
            if action["type"] == "drop_before":
                return self.drop()
            if action["type"] == "hang":
                time.sleep(float(action.get("seconds", 30)))
                if not action.get("forward"):
                    return self.drop()
        headers = self.headers.items()
        if plan.ignore_active and self.command in ("PATCH", "PUT"):
            body, early = self.without_active(path, body, headers)
            if early is not None:
                return self.respond(early[0], early[1] + rate_headers, early[2])
        if self.command == "GET" and path.rstrip("/").lower().endswith("/users"):
            query = rewrite_count(query, plan)
        target = path + ("?" + query if query else "")
        status, response_headers, data = server.backend.send(self.command, target, headers, body)
        if plan.shrink_total and status == 200:
            data = shrink_total(data, plan.shrink_total)
        if plan.drop_after:
            return self.drop()
        return self.respond(status, response_headers + rate_headers, data)

    def injected_status(self, action, rate_headers):
        status = int(action.get("status", 500))
        custom = [(str(name), str(value)) for name, value in (action.get("headers") or {}).items()]
        overridden = {name.lower() for name, _ in custom}
        headers = [(name, value) for name, value in rate_headers if name.lower() not in overridden] + custom
        body = action.get("body")
        if body is None:
            body = scim_error(status, f"fault_server: injected {status}")
        elif not any(name.lower() == "content-type" for name, _ in headers):
            headers.append(("Content-Type", "application/scim+json" if isinstance(body, (dict, list)) else "text/plain"))
        return self.respond(status, headers, body)

    def without_active(self, path, body, headers):
        """(body to forward, None) with `active` left out, or (None, answer) when nothing is left to send."""
        try:
            document = json.loads(body or b"null")
        except ValueError:
            return body, None
        if not isinstance(document, dict):
            return body, None
        backend = self.server.backend
        if self.command == "PATCH":
            stripped = strip_active_from_patch(document)
            if stripped is not None:
                return json.dumps(stripped).encode(), None
            # Only `active` was to change: answer like a server that accepted and ignored it.
            status, current_headers, data = backend.send("GET", path, headers, b"")
            if status != 200:
                return None, (status, current_headers, data)
            tags = [(name, value) for name, value in current_headers if name.lower() == "etag"]
            return None, (204, tags, b"")
        active_keys = [key for key in document if key.lower() == "active"]
        if not active_keys:
            return body, None
        status, _, data = backend.send("GET", path, headers, b"")
        current = json.loads(data) if status == 200 and data else {}
        for key in active_keys:
            del document[key]
        if isinstance(current, dict) and "active" in current:
            document["active"] = current["active"]
        return json.dumps(document).encode(), None

    # -- control ------------------------------------------------------------------------------

    def handle_control(self, path, query):
        server = self.server
        body = self.read_body()
        stub = server.backend if isinstance(server.backend, StubBackend) else None
        try:
            if path == "/_control/stats" and self.command == "GET":
                return self.respond(200, [], server.stats.snapshot())
            if path == "/_control/rules" and self.command == "GET":
                return self.respond(200, [], server.rules.describe())
            if path == "/_control/rules" and self.command in ("POST", "PUT"):
                count = server.rules.replace(json.loads(body or b"[]"))
                return self.respond(200, [], {"rules": count})
            if path == "/_control/reset" and self.command == "POST":
                server.stats.reset()
                server.rules.replace([])
                if server.bucket:
                    server.bucket.refill()
                if stub and "store=1" in query:
                    stub.store.clear()
                return self.respond(200, [], {"reset": True})
            if path == "/_control/users" and stub and self.command == "GET":
                return self.respond(200, [], stub.store.dump())
            if path == "/_control/users" and stub and self.command == "POST":
                resources = json.loads(body or b"[]")
                if not isinstance(resources, list):
                    raise ValueError("the body must be a JSON list of users")
                host = self.headers.get("Host") or "127.0.0.1"
                return self.respond(200, [], stub.seed(resources, f"http://{host}/v2/Users"))
        except (ValueError, re.error) as error:
            return self.respond(400, [], {"error": str(error)})
        return self.respond(404, [], {"error": f"no control endpoint {self.command} {path}"})


def shrink_total(data, amount):
    try:
        document = json.loads(data)
    except ValueError:
        return data
    if isinstance(document, dict) and isinstance(document.get("totalResults"), int):
        document["totalResults"] = max(document["totalResults"] - amount, 0)
        return json.dumps(document, separators=(",", ":")).encode()
    return data


def exit_when_parent_dies(parent):
    """Leave no orphan server when the test process is killed (it cannot run its clean-up then).

    `parent` is the pid the caller passed (--parent-pid), so a parent that died while this script was
    still importing is noticed too; without it, the parent at the time of this call.
    """
    parent = parent or os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--upstream", metavar="URL", help="reverse-proxy to this http:// SCIM server")
    mode.add_argument("--stub", action="store_true", help="serve an in-memory SCIM /Users store")
    parser.add_argument("--port", type=int, required=True, help="port to listen on (0: any free port)")
    parser.add_argument("--hostname", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="sleep this long in every SCIM request")
    parser.add_argument("--rate-limit", type=int, default=0, help="requests allowed per window (0: no limit)")
    parser.add_argument("--rate-window", type=float, default=60.0, help="rate-limit window in seconds (default 60)")
    parser.add_argument("--competitor-share", type=float, default=0.0, help="share of each window another client takes")
    parser.add_argument("--bearer-token", action="append", default=[], metavar="TOKEN", help="required token (repeatable)")
    parser.add_argument("--upstream-timeout", type=float, default=30.0, help="seconds to wait for the upstream")
    parser.add_argument("--detached", action="store_true", help="keep running when the parent process exits")
    parser.add_argument("--parent-pid", type=int, help="pid of the process that starts this one: exit when it is gone")
    options = parser.parse_args()
    if options.rate_window <= 0:
        parser.error("--rate-window must be positive")
    if options.competitor_share and not options.rate_limit:
        parser.error("--competitor-share needs --rate-limit")
    if not 0 <= options.competitor_share < 1:
        parser.error("--competitor-share must be at least 0 and below 1")

    try:
        backend = StubBackend() if options.stub else UpstreamBackend(options.upstream, options.upstream_timeout)
    except ValueError as error:
        parser.error(str(error))
    try:
        server = FaultHTTPServer((options.hostname, options.port), backend, options)
    except OSError as error:
        print(f"fault_server: cannot listen on {options.hostname}:{options.port}: {error}", file=sys.stderr, flush=True)
        sys.exit(EXIT_PORT_IN_USE if error.errno == errno.EADDRINUSE else 1)

    def stop(signum, frame):
        raise SystemExit(0)

    # A child inherits its parent's blocked signals; libdispatch worker threads (which start the test
    # servers) block SIGTERM, so unblock it or `stop()` would have to fall back to SIGKILL.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if not options.detached:
        exit_when_parent_dies(options.parent_pid)
    if server.bucket and options.competitor_share:
        start_competitor(server.bucket, options.competitor_share, server.stats)
    print(f"fault_server: listening on http://{options.hostname}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
