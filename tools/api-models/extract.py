#!/usr/bin/env python3
"""Extract trimmed AWS API models from a pinned botocore wheel.

Writes, into crates/terminal/api/ (or --out):
  <service>.json      metadata + the listed operations + the shapes reachable
                      from them, with documentation and unused keys removed
  <service>.waiters.json  the ECS and EKS waiters the terminal supports
  cli-names.json      AWS CLI command / flag names (xform_name(name, '-'))
  LICENSE, NOTICE     copied from the wheel's dist-info

Usage:
  python3 tools/api-models/extract.py [--cache-dir DIR] [--out DIR] [--strict]

The wheel botocore-<VERSION>-py3-none-any.whl is looked for in --cache-dir,
/tmp and /tmp/botocore-dl; if absent it is fetched with
`pip3 download --no-deps botocore==<VERSION>` into the cache dir. Its sha256 is
checked against the pinned value so the output is reproducible.

Stdlib only. xform_name is taken from the wheel's own botocore/__init__.py
(which imports only stdlib modules), so the names match the pinned version
exactly; if a locally installed botocore is importable it is used as a
cross-check.
"""

import argparse
import difflib
import gzip
import hashlib
import json
import os
import subprocess
import sys
import types
import zipfile

BOTOCORE_VERSION = "1.44.8"
WHEEL_NAME = f"botocore-{BOTOCORE_VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "76342a76c338701db80dcb8afe1c9bd079283d6fffbb9d881442abb02a215043"

# The services whose models the terminal reads (crates/terminal/src/api.rs).
VENDORED = {"ecs", "iam", "ec2", "sts", "application-autoscaling", "ecr", "eks",
            "organizations", "s3", "kms", "secretsmanager", "elbv2"}

SERVICES = {
    "ecs": [
        "CreateCluster", "DeleteCluster", "DescribeClusters", "ListClusters",
        "RegisterTaskDefinition", "DeregisterTaskDefinition",
        "DescribeTaskDefinition", "ListTaskDefinitions",
        "ListTaskDefinitionFamilies", "CreateService", "UpdateService",
        "DeleteService", "DescribeServices", "ListServices", "RunTask",
        "StopTask", "DescribeTasks", "ListTasks", "CreateCapacityProvider",
        "DescribeCapacityProviders", "PutClusterCapacityProviders",
        "ListContainerInstances", "DescribeContainerInstances",
        "UpdateContainerInstancesState",
    ],
    "application-autoscaling": [
        "RegisterScalableTarget", "PutScalingPolicy", "DescribeScalingPolicies",
        "DescribeScalingActivities", "DescribeScalableTargets",
    ],
    "iam": [
        "CreateRole", "DeleteRole", "GetRole", "ListRoles", "PutRolePolicy",
        "GetRolePolicy", "ListRolePolicies", "AttachRolePolicy",
        "DetachRolePolicy", "ListAttachedRolePolicies", "CreateInstanceProfile",
        "AddRoleToInstanceProfile", "GetInstanceProfile",
        "SimulatePrincipalPolicy", "SimulateCustomPolicy",
        "UpdateAssumeRolePolicy", "CreatePolicy", "GetPolicy",
        "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary",
    ],
    "ecr": [
        "CreateRepository", "DeleteRepository", "DescribeRepositories",
        "PutImageTagMutability", "PutImageScanningConfiguration",
        "DescribeImages", "ListImages", "BatchGetImage", "StartImageScan",
        "DescribeImageScanFindings", "PutLifecyclePolicy", "GetLifecyclePolicy",
        "GetAuthorizationToken", "SetRepositoryPolicy", "GetRepositoryPolicy",
        "DeleteRepositoryPolicy",
    ],
    "eks": [
        "CreateCluster", "DescribeCluster", "ListClusters", "DeleteCluster",
        "CreateNodegroup", "DescribeNodegroup", "ListNodegroups",
        "UpdateNodegroupConfig", "DeleteNodegroup", "CreateFargateProfile",
        "DescribeFargateProfile", "ListFargateProfiles",
        "DeleteFargateProfile", "CreateAccessEntry", "DescribeAccessEntry",
        "ListAccessEntries", "AssociateAccessPolicy", "DeleteAccessEntry",
    ],
    "sts": ["GetCallerIdentity"],
    "organizations": [
        "CreatePolicy", "AttachPolicy", "DetachPolicy", "ListPolicies",
        "DescribePolicy",
    ],
    # Resource policies only: the buckets', keys' and secrets' own
    # operations are not simulated.
    "s3": ["PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy"],
    "kms": ["PutKeyPolicy", "GetKeyPolicy"],
    "secretsmanager": [
        "PutResourcePolicy", "GetResourcePolicy", "DeleteResourcePolicy",
        "UpdateSecret",
    ],
    "ec2": [
        "DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups",
        "AllocateAddress", "ReleaseAddress", "DescribeAddresses",
        "CreateNatGateway", "DeleteNatGateway", "DescribeNatGateways",
    ],
    # Load balancers as resources that bill: no listeners or target groups.
    "elbv2": ["CreateLoadBalancer", "DeleteLoadBalancer", "DescribeLoadBalancers"],
}

WAITERS = {
    "ecs": ["ServicesStable", "TasksRunning", "TasksStopped"],
    # Those whose Describe operation Dockyard simulates.
    "eks": ["ClusterActive", "FargateProfileActive", "NodegroupActive"],
}

METADATA_KEYS = ("apiVersion", "endpointPrefix", "serviceId", "protocol",
                 "signingName", "targetPrefix", "jsonVersion")
SHAPE_KEYS = ("type", "members", "member", "key", "value", "required", "enum",
              "min", "max", "exception", "error", "flattened",
              "timestampFormat", "box", "sensitive")
MEMBER_KEYS = ("shape", "locationName", "idempotencyToken", "deprecated")
REF_KEYS = ("shape", "locationName")  # list member, map key / value
ERROR_KEYS = ("code", "httpStatusCode", "senderFault")

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "..", "crates",
                                            "terminal", "api"))


def log(msg):
    print(msg, file=sys.stderr)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def find_wheel(cache_dir):
    dirs = [d for d in (cache_dir, "/tmp", "/tmp/botocore-dl") if d]
    for d in dirs:
        p = os.path.join(d, WHEEL_NAME)
        if os.path.isfile(p):
            return p
    target = cache_dir or "/tmp/botocore-dl"
    os.makedirs(target, exist_ok=True)
    log(f"downloading {WHEEL_NAME} into {target}")
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                    "--only-binary", ":all:", f"botocore=={BOTOCORE_VERSION}",
                    "-d", target], check=True)
    p = os.path.join(target, WHEEL_NAME)
    if not os.path.isfile(p):
        sys.exit(f"error: pip did not produce {p}")
    return p


class Wheel:
    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())

    def read(self, name):
        return self.zip.read(name)

    def load_json(self, base):
        """Load base + '.json' or base + '.json.gz'."""
        if base + ".json" in self.names:
            return json.loads(self.read(base + ".json"))
        if base + ".json.gz" in self.names:
            return json.loads(gzip.decompress(self.read(base + ".json.gz")))
        raise KeyError(base)

    def api_version(self, service):
        """Latest API version directory that has a service-2 model (this is
        what botocore's loader picks)."""
        prefix = f"botocore/data/{service}/"
        versions = set()
        for n in self.names:
            if n.startswith(prefix):
                parts = n[len(prefix):].split("/")
                if len(parts) == 2 and parts[1].startswith("service-2.json"):
                    versions.add(parts[0])
        if not versions:
            sys.exit(f"error: service {service!r} not in botocore "
                     f"{BOTOCORE_VERSION}")
        return max(versions)

    def dist_info_file(self, *candidates):
        di = f"botocore-{BOTOCORE_VERSION}.dist-info/"
        for c in candidates:
            if di + c in self.names:
                return self.read(di + c)
        return None


def load_xform_name(wheel):
    """Return botocore.xform_name from the pinned wheel's __init__.py."""
    src = wheel.read("botocore/__init__.py").decode("utf-8")
    mod = types.ModuleType("_pinned_botocore")
    mod.__file__ = "botocore/__init__.py"
    exec(compile(src, "botocore/__init__.py", "exec"), mod.__dict__)
    return mod.xform_name


def compact(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False) + "\n"


def pick(d, keys):
    return {k: d[k] for k in keys if k in d}


def trim_shape(shape):
    out = pick(shape, SHAPE_KEYS)
    if "members" in out:
        out["members"] = {name: pick(ref, MEMBER_KEYS)
                          for name, ref in out["members"].items()}
    for k in ("member", "key", "value"):
        if k in out:
            out[k] = pick(out[k], REF_KEYS)
    if "error" in out:
        out["error"] = pick(out["error"], ERROR_KEYS)
    return out


def reachable(shapes, roots):
    seen = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        if name not in shapes:
            sys.exit(f"error: dangling shape reference {name!r}")
        seen.add(name)
        s = shapes[name]
        for ref in s.get("members", {}).values():
            stack.append(ref["shape"])
        for k in ("member", "key", "value"):
            if k in s:
                stack.append(s[k]["shape"])
    return seen


def near_names(name, candidates):
    close = difflib.get_close_matches(name, candidates, n=5, cutoff=0.6)
    low = name.lower()
    sub = [c for c in candidates if low in c.lower() or c.lower() in low]
    return sorted(set(close) | set(sub[:5]))


def extract_service(wheel, service, op_names, xform_name, missing, dropped):
    version = wheel.api_version(service)
    model = wheel.load_json(f"botocore/data/{service}/{version}/service-2")
    all_ops = model["operations"]
    shapes = model["shapes"]

    ops = {}
    cli = {}
    roots = []
    for op in op_names:
        if op not in all_ops:
            near = near_names(op, list(all_ops))
            log(f"WARNING: {service}: operation {op!r} not found in "
                f"{service} {version}; near names: {', '.join(near) or '(none)'}")
            missing.append(f"{service}:{op}")
            continue
        src = all_ops[op]
        entry = {"errors": [e["shape"] for e in src.get("errors", [])]}
        for k in ("input", "output"):
            if k in src:
                entry[k] = src[k]["shape"]
                roots.append(src[k]["shape"])
                for extra in src[k]:
                    if extra not in ("shape", "documentation"):
                        dropped.add(f"operation.{k}.{extra}")
        roots.extend(entry["errors"])
        ops[op] = entry

        params = {}
        if "input" in src:
            for m in shapes[src["input"]["shape"]].get("members", {}):
                params[m] = xform_name(m, "-")
        cli[op] = {"cli": xform_name(op, "-"), "params": params}

    keep = reachable(shapes, roots)
    out_shapes = {}
    for name in keep:
        s = shapes[name]
        for k in s:
            if k not in SHAPE_KEYS and k != "documentation":
                dropped.add(f"shape.{k}")
        for ref in s.get("members", {}).values():
            for k in ref:
                if k not in MEMBER_KEYS and k != "documentation":
                    dropped.add(f"member.{k}")
        out_shapes[name] = trim_shape(s)

    meta = pick(model["metadata"], METADATA_KEYS)
    out = {"metadata": meta, "operations": ops, "shapes": out_shapes}
    log(f"{service} {version}: {len(ops)}/{len(op_names)} operations, "
        f"{len(out_shapes)}/{len(shapes)} shapes")
    return version, out, cli


def extract_waiters(wheel, service, version, names, missing):
    data = wheel.load_json(f"botocore/data/{service}/{version}/waiters-2")
    out = {}
    for n in names:
        if n not in data["waiters"]:
            near = near_names(n, list(data["waiters"]))
            log(f"WARNING: {service}: waiter {n!r} not found; near names: "
                f"{', '.join(near) or '(none)'}")
            missing.append(f"{service}:waiter:{n}")
            continue
        out[n] = data["waiters"][n]
    return {"version": data["version"], "waiters": out}


def write(path, text):
    data = text.encode("utf-8") if isinstance(text, str) else text
    with open(path, "wb") as f:
        f.write(data)
    log(f"wrote {path} ({len(data)} bytes)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache-dir", help="directory holding / receiving the wheel")
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory")
    ap.add_argument("--strict", action="store_true",
                    help="exit non-zero if any operation or waiter is missing")
    args = ap.parse_args()

    wheel_path = find_wheel(args.cache_dir)
    digest = sha256(wheel_path)
    if digest != WHEEL_SHA256:
        sys.exit(f"error: {wheel_path} sha256 {digest} != pinned {WHEEL_SHA256}")
    wheel = Wheel(wheel_path)
    xform_name = load_xform_name(wheel)

    try:  # optional cross-check against a locally installed botocore
        from botocore import xform_name as local_xform
    except ImportError:
        local_xform = None

    os.makedirs(args.out, exist_ok=True)
    missing = []
    dropped = set()
    cli_names = {}
    versions = {}
    for service, ops in SERVICES.items():
        version, model, cli = extract_service(wheel, service, ops, xform_name,
                                              missing, dropped)
        versions[service] = version
        cli_names[service] = cli
        # Only the models the terminal speaks are vendored; the others'
        # names still go into cli-names.json for the name test.
        if service in VENDORED:
            write(os.path.join(args.out, f"{service}.json"), compact(model))

    for service, names in WAITERS.items():
        w = extract_waiters(wheel, service, versions[service], names, missing)
        write(os.path.join(args.out, f"{service}.waiters.json"), compact(w))

    if local_xform is not None:
        for service, ops in cli_names.items():
            for op, e in ops.items():
                pairs = [(op, e["cli"])] + list(e["params"].items())
                for name, cli in pairs:
                    if local_xform(name, "-") != cli:
                        log(f"WARNING: installed botocore xform_name({name!r}) "
                            f"= {local_xform(name, '-')!r}, pinned = {cli!r}")
    write(os.path.join(args.out, "cli-names.json"), compact(cli_names))

    lic = wheel.dist_info_file("LICENSE.txt", "licenses/LICENSE.txt", "LICENSE")
    if lic is None:
        sys.exit("error: no LICENSE in the wheel's dist-info; take it from the "
                 "sdist (pip3 download --no-deps --no-binary :all: "
                 f"botocore=={BOTOCORE_VERSION})")
    write(os.path.join(args.out, "LICENSE"), lic)
    notice = wheel.dist_info_file("NOTICE", "licenses/NOTICE", "NOTICE.txt")
    if notice is not None:
        write(os.path.join(args.out, "NOTICE"), notice)

    if dropped:
        log("keys dropped from reachable shapes/operations (besides "
            "documentation): " + ", ".join(sorted(dropped)))
    if missing:
        log("MISSING: " + ", ".join(missing))
        if args.strict:
            sys.exit(1)


if __name__ == "__main__":
    main()
