#!/usr/bin/env bash
# catalogue.sh [FILE...] - the conformance catalogue, read from the case
# sources (tests/conformance/*.c by default).
#
# Prints one tab-separated line per case:
#     NAME  KIND  FILE:LINE  RULE
# where KIND is rc, hex, dec or fact (conf.h).  Every conf_rc/conf_hex/
# conf_dec/conf_fact call must start with two string literals, the name
# and the rule; a call that does not, a badly formed name, an empty rule
# or a name used twice is an error (exit 1), so the catalogue cannot
# silently miss a case.
set -euo pipefail
cd "$(dirname "$0")/../.."

files=("$@")
[[ ${#files[@]} -gt 0 ]] || files=(tests/conformance/*.c)

gawk '
    function lineof(text, pos,    pre) {
        pre = substr(text, 1, pos - 1)
        return gsub(/\n/, "", pre) + 1
    }
    BEGINFILE { text = "" }
    { text = text $0 "\n" }
    ENDFILE {
        if (FILENAME ~ /(^|\/)conf\.c$/)
            return_early = 1
        else
            return_early = 0
        rest = text; off = 0
        while (!return_early && match(rest, /conf_(rc|hex|dec|fact)[ \t\n]*\(/, m)) {
            at = off + RSTART
            start = RSTART; len = RLENGTH
            call = substr(rest, RSTART)
            kind = m[1]
            if (!match(call, /^conf_[a-z]+[ \t\n]*\([ \t\n]*"([^"]*)"[ \t\n]*,[ \t\n]*"([^"]*)"[ \t\n]*,/, c)) {
                printf "%s:%d: conf_%s without a literal name and rule\n",
                       FILENAME, lineof(text, at), kind > "/dev/stderr"
                bad = 1
            } else {
                name = c[1]; rule = c[2]
                where = FILENAME ":" lineof(text, at)
                if (name !~ /^[a-z0-9_]+\.[a-z0-9_]+(\.[a-z0-9_]+)+$/) {
                    printf "%s: bad case name \"%s\" (want hypercall.topic.what)\n",
                           where, name > "/dev/stderr"; bad = 1
                }
                if (rule ~ /^[ \t]*$/) {
                    printf "%s: case %s has no rule\n", where, name > "/dev/stderr"; bad = 1
                }
                if (name in seen) {
                    printf "%s: case %s already defined at %s\n",
                           where, name, seen[name] > "/dev/stderr"; bad = 1
                }
                seen[name] = where
                printf "%s\t%s\t%s\t%s\n", name, kind, where, rule
            }
            off += start + len - 1
            rest = substr(rest, start + len)
        }
    }
    END { exit bad }
' "${files[@]}"
