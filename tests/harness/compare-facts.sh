#!/usr/bin/env bash
# compare-facts.sh LOG_A LOG_B [KEY...]
#
# Compares "# fact KEY=VALUE" lines of two guest logs, typically the same
# guest on real Xen (LOG_A) and on xen-like (LOG_B).  Every KEY must be
# present in both logs with the same value.  Without KEYs, every fact whose
# key starts with "abi." in either log is compared: by the convention in
# docs/testing.md those must agree on any Xen-compatible hypervisor, while
# "local." facts (machine addresses, version strings) may differ.
#
# Prints one line per key (same/DIFF/MISSING) and exits 0 only if all agree;
# 1 otherwise; 2 on usage errors.
set -euo pipefail

[[ $# -ge 2 ]] || { echo "usage: $0 LOG_A LOG_B [KEY...]" >&2; exit 2; }
a=$1 b=$2
shift 2
for f in "$a" "$b"; do
    [[ -r $f ]] || { echo "compare-facts.sh: cannot read $f" >&2; exit 2; }
done

# All facts of a log as KEY=VALUE lines (prefix and CR removed; the last
# value wins if a key is repeated).
facts() {
    tr -d '\r' <"$1" | sed -n -E 's/^(\(d[0-9]+\) )?# fact ([^=]+)=(.*)$/\2=\3/p'
}
fa=$(facts "$a")
fb=$(facts "$b")

# value KEY FACTS: prints the value, or returns 1 if the key is absent.
value() {
    awk -v k="$1" '
        index($0, k "=") == 1 { v = substr($0, length(k) + 2); found = 1 }
        END { if (!found) exit 1; print v }' <<<"$2"
}

keys=("$@")
if [[ ${#keys[@]} -eq 0 ]]; then
    mapfile -t keys < <(printf '%s\n%s\n' "$fa" "$fb" | sed -n 's/^\(abi\.[^=]*\)=.*/\1/p' | sort -u)
    [[ ${#keys[@]} -gt 0 ]] || { echo "compare-facts.sh: no abi.* facts in either log" >&2; exit 1; }
fi

bad=0
for k in "${keys[@]}"; do
    if ! va=$(value "$k" "$fa"); then
        echo "MISSING $k in $a"; bad=1; continue
    fi
    if ! vb=$(value "$k" "$fb"); then
        echo "MISSING $k in $b"; bad=1; continue
    fi
    if [[ $va == "$vb" ]]; then
        echo "same    $k=$va"
    else
        echo "DIFF    $k: '$va' vs '$vb'"
        bad=1
    fi
done
exit $bad
