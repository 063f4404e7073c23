#!/usr/bin/env python3
"""Writes the fuzz tests' seed inputs from the fixture trees (run from the project directory).

Each fuzz test replays, in `mvn test`, the files in src/test/resources/<package>/<Class>Inputs/<method>/:
these seeds (named seed-*) and the inputs the fuzzer found (kept under other names). Re-run after
adding a fixture; it rewrites only seed-* files.
"""
import hashlib
import os
import re
import sys

FIX = "src/test/resources/fixtures"
RES = "src/test/resources/dev/rightsize"

# Parser targets: (class, method) -> file name patterns (regexes on the path inside a fixture).
TARGETS = {
    ("internal/NumbersFuzzTest", "numbersAndLimits"): [
        r"memory\.(max|high|swap\.max|current|peak|limit_in_bytes|soft_limit_in_bytes|memsw\.limit_in_bytes"
        r"|usage_in_bytes|max_usage_in_bytes|failcnt)$", r"cpu\.(cfs_quota_us|cfs_period_us|shares|weight)$",
        r"stats_isolated$", r"quota_aware$"],
    ("internal/CpuMaxFuzzTest", "cpuMax"): [r"cpu\.max$"],
    ("internal/CpuListFuzzTest", "cpuList"): [r"cpu/online$", r"cpuset\.cpus(\.effective)?$", r"cpuset\.effective_cpus$"],
    ("internal/KeyedFuzzTest", "keyed"): [r"proc/meminfo$", r"memory\.stat$", r"memory\.events$", r"cpu\.stat$",
                                          r"proc/self/status$", r"memory\.oom_control$"],
    ("internal/CpuinfoFuzzTest", "cpuinfoAndStat"): [r"proc/cpuinfo$", r"proc/stat$"],
    ("internal/SplittingFuzzTest", "splitting"): [r"proc/self/cgroup$", r"cgroup\.controllers$", r"proc/meminfo$"],
    ("internal/MountInfoFuzzTest", "mountinfo"): [r"proc/self/mountinfo$"],
    ("internal/CgroupMembershipFuzzTest", "cgroup"): [r"proc/self/cgroup$"],
    ("internal/LiveNumberFuzzTest", "number"): [r"memory\.(current|usage_in_bytes)$", r"cpuacct\.usage$"],
    ("internal/LiveKeyedFuzzTest", "keyed"): [r"memory\.stat$", r"memory\.events$", r"cpu\.stat$",
                                              r"memory\.oom_control$"],
}
# Per target, at most this many seeds (the smallest distinct files first).
MAX_SEEDS = 40


def fixture_files():
    for dirpath, _, names in os.walk(FIX):
        for n in names:
            p = os.path.join(dirpath, n)
            rel = os.path.relpath(p, FIX)
            if n in ("SCENARIO.md", "EXPECT", "SETUP", "README.md", "generate.py") or os.path.islink(p):
                continue
            yield rel, p


def clean(d):
    os.makedirs(d, exist_ok=True)
    for n in os.listdir(d):
        if n.startswith("seed-"):
            os.remove(os.path.join(d, n))


def write(d, name, data):
    # Long cgroup paths: keep the fixture name and the file's last two components, plus a hash.
    parts = name.split("/")
    short = "_".join(parts[:2] + parts[-2:]) if len(parts) > 4 else "_".join(parts)
    short = re.sub(r"[^A-Za-z0-9.,_-]", "_", short)[:120] + "-" + hashlib.sha1(name.encode()).hexdigest()[:8]
    with open(os.path.join(d, "seed-" + short), "wb") as f:
        f.write(data)


def main():
    files = sorted(fixture_files())
    for (cls, method), pats in TARGETS.items():
        d = os.path.join(RES, cls + "Inputs", method)
        clean(d)
        seen = {}
        for rel, p in files:
            if any(re.search(x, rel) for x in pats):
                data = open(p, "rb").read()
                if len(data) > 8192:
                    continue
                h = hashlib.sha1(data).hexdigest()
                if h not in seen:
                    seen[h] = (rel, data)
        chosen = sorted(seen.values(), key=lambda rd: (len(rd[1]), rd[0]))[:MAX_SEEDS]
        for rel, data in chosen:
            write(d, rel, data)
        print(f"{cls}#{method}: {len(chosen)} seeds")

    # Whole-root detection: one seed per slot, the slot's index byte then the file's content.
    src = open("src/test/java/dev/rightsize/DetectFuzzTest.java").read()
    consts = dict(re.findall(r'private static final String (\w+) = "([^"]+)";', src))
    k8s_pod = ("sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/"
               "kubepods-burstable-pod8c2f4a6e_1b3d_4f5a_9c7e_2d4b6f8a0c1e.slice")
    consts["K8S_POD"] = k8s_pod
    consts["K8S_CTR"] = k8s_pod + "/cri-containerd-3f4b2c1d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c.scope"
    slots = []
    for fx, path in re.findall(r'new Slot\((\w+), ((?:\w+ \+ )?"[^"]+")\)', src):
        if " + " in path:
            c, lit = path.split(" + ")
            path = consts[c] + lit.strip('"')
        else:
            path = path.strip('"')
        slots.append((consts[fx], path))
    d = os.path.join(RES, "DetectFuzzTestInputs", "wholeRoot")
    clean(d)
    for i, (fx, path) in enumerate(slots):
        data = open(os.path.join(FIX, fx, path), "rb").read()
        write(d, f"{i:02d}-{fx}-{path}", bytes([i]) + data)
    print(f"DetectFuzzTest#wholeRoot: {len(slots)} seeds")


if __name__ == "__main__":
    sys.exit(main())
