#!/usr/bin/env bash
# run.sh [--logs DIR] [--no-boot] xl|xen|diff
#
# Runs the conformance suite: each group is one boot of the same guest
# binary (its boot mode is the group's guest command line) as dom0.
#
#   xl    on xen-like; one row per case that does not give Xen's recorded
#         answer, then "conformance on xen-like: N passed, N failed"
#   xen   the same binaries on real Xen 4.17
#   diff  both, then one row per case where the two hypervisors answer
#         differently (case, xen-like answer, Xen answer), ending with
#         "N agree, N differ"
#
# Cases come from the sources (catalogue.sh), so a case that never
# reported (a crash, a skipped scenario) counts as failed / differing, and
# a fact in a log that no source declares is an error too.  A group that
# real Xen cannot run says why below; its cases are counted apart.
#
# --logs DIR   where the serial logs go (default build/conformance); the
#              logs are named <xl|xen>-<log>.log as tests/run-all.sh names
#              them, so `--no-boot` can judge the logs `make test` made.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

logs=build/conformance
boot=1
while [[ $# -gt 1 ]]; do
    case $1 in
        --logs) logs=$2; shift 2 ;;
        --no-boot) boot=0; shift ;;
        *) break ;;
    esac
done
what=${1:-}
[[ $what == xl || $what == xen || $what == diff ]] ||
    { echo "usage: $0 [--logs DIR] [--no-boot] xl|xen|diff" >&2; exit 2; }

XL=build/xen-like
XEN=build/oracle/xen-4.17.elf
GUEST=build/guest-kernel/guest-kernel
CMDLINE="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot dom0_mem=32M"

# group  log-name  domain  guest-cmdline: one boot each, the same guest
# binary; `domain` is whose console lines hold the group's answers.
groups=(
    "boot    direct d0 hello"   # the boot ABI: start_info, layout, registers
    "abi     abi    d0 abi"     # hypercalls other than the PV-MMU, CPU rules
    "mmu     mmu    d0 mmu"     # mmu_update, mmuext_op, multicall, uvm
    "timer   timer  d0 timer"   # set_timer_op, vcpu_op timers, event channels
    "xsa     xsa    d0 xsa"     # the PV-MMU advisories' triggers, safe outcomes
    "gnttab  gnttab d0 gnttab"  # grant tables: dom0 granting to itself
    "foreign three  d2 attack"  # an unprivileged domU against the others
)
# The extra domains of a group's boot (boot.sh module pairs), after dom0.
declare -A domains=(
    [foreign]="domU mem=32M -- init|domU mem=16M -- attack"
)
# Groups real Xen cannot run, with the reason ("group reason").
xl_only=(
    "foreign needs unprivileged domUs next to dom0; Xen 4.17 builds those only through its toolstack (xl in a dom0 userland), which this rig does not have"
)

mkdir -p "$logs"
catalogue=$(bash tests/conformance/catalogue.sh) ||
    { echo "conformance: the catalogue does not parse (see above)" >&2; exit 1; }

run_group() {   # HV-TAG HV-IMAGE GROUP-LINE
    local tag=$1 image=$2 g log dom mode res d0=() extra=() m
    read -r g log dom mode <<<"$3"
    # dom0 runs the group unless the answers come from a domU.
    if [[ $dom == d0 ]]; then d0=("$GUEST" "$mode"); else d0=("$GUEST" "hello"); fi
    if [[ -n ${domains[$g]:-} ]]; then
        IFS='|' read -ra m <<<"${domains[$g]}"
        for x in "${m[@]}"; do extra+=("$GUEST" "$x"); done
    fi
    res=$(bash tests/harness/boot.sh --timeout 240 "$logs/$tag-$log.log" "$image" \
          "$CMDLINE" "${d0[@]}" "${extra[@]}" 2>&1 | tail -1)
    printf '   %-4s %-6s %s\n' "$tag" "$g" "$res"
}

is_xl_only() {
    local x
    for x in "${xl_only[@]}"; do [[ ${x%% *} == "$1" ]] && return 0; done
    return 1
}

# group_lines LOG DOM: the console lines of domain DOM, prefix removed
# (dom0 writes raw lines, as on Xen; other domains' carry "(dN) ").
group_lines() {
    tr -d '\r' <"$1" 2>/dev/null | if [[ $2 == d0 ]]; then
        grep -vE '^\((d[1-9][0-9]*|XEN)\) ' | sed -E 's/^\(d0\) //'
    else
        sed -nE "s/^\\($2\\) //p"
    fi
}

# answers TAG: "name<TAB>value<TAB>ok|fail|crash" for every case reported
# in the TAG's logs (CR and the (dN) prefix removed).  A case whose
# scenario never finished its KTAP line is still judged by its fact.
answers() {
    local tag=$1 g log dom mode
    for line in "${groups[@]}"; do
        read -r g log dom mode <<<"$line"
        [[ $tag == xen ]] && is_xl_only "$g" && continue
        group_lines "$logs/$tag-$log.log" "$dom"
    done | gawk '
        /^# fact abi\./ {
            kv = substr($0, 12); i = index(kv, "=")
            v[substr(kv, 1, i - 1)] = substr(kv, i + 1)
        }
        /^# conf-fail / { bad[$3] = 1 }
        END { for (k in v) printf "%s\t%s\t%s\n", k, v[k], (k in bad) ? "fail" : "ok" }'
}

judge() {   # TAG LABEL: rows for failures, then the summary; returns 1 on any failure
    local tag=$1 label=$2
    gawk -F'\t' -v label="$label" '
        FNR == NR { cat[$1] = 1; order[++n] = $1; next }
        { got[$1] = $2; st[$1] = $3 }
        END {
            for (i = 1; i <= n; i++) {
                k = order[i]
                if (!(k in got)) { printf "FAIL %s: no answer (the scenario did not run)\n", k; f++ }
                else if (st[k] == "fail") { printf "FAIL %s: answered %s\n", k, got[k]; f++ }
                else p++
            }
            for (k in got) if (!(k in cat)) { printf "FAIL %s: in a log but in no source\n", k; f++ }
            printf "conformance on %s: %d passed, %d failed\n", label, p, f
            exit f > 0
        }' <(printf '%s\n' "$catalogue" | cut -f1) <(answers "$tag")
}

if [[ $boot -eq 1 ]]; then
    echo "== conformance: ${#groups[@]} groups, $(grep -c . <<<"$catalogue") cases"
    if [[ $what != xen ]]; then
        for line in "${groups[@]}"; do run_group xl "$XL" "$line"; done
    fi
    if [[ $what != xl ]]; then
        [[ -r $XEN ]] || { echo "conformance: no real Xen at $XEN (run make oracle)" >&2; exit 1; }
        for line in "${groups[@]}"; do
            is_xl_only "${line%% *}" || run_group xen "$XEN" "$line"
        done
    fi
fi

case $what in
    xl) judge xl xen-like ;;
    xen) judge xen "real Xen 4.17" ;;
    diff)
        # case  xen-like  Xen: one row per disagreement; cases of groups
        # Xen cannot run are counted apart.
        only=$(for x in "${xl_only[@]}"; do
                   g=${x%% *}
                   for line in "${groups[@]}"; do
                       read -r gg log dom _ <<<"$line"
                       [[ $gg == "$g" ]] && group_lines "$logs/xl-$log.log" "$dom"
                   done
               done | sed -nE 's/^# fact abi\.([^=]+)=.*/\1/p')
        why=$(for x in "${xl_only[@]}"; do printf '%s: %s; ' "${x%% *}" "${x#* }"; done)
        gawk -F'\t' -v only="$only" -v why="${why%; }" '
            BEGIN { n = split(only, o, "\n"); for (i = 1; i <= n; i++) if (o[i] != "") xo[o[i]] = 1 }
            ARGIND == 1 { order[++nc] = $1; next }
            ARGIND == 2 { xl[$1] = $2; next }
            ARGIND == 3 { xen[$1] = $2; next }
            END {
                for (i = 1; i <= nc; i++) {
                    k = order[i]
                    if (k in xo) { xlonly++; continue }
                    a = (k in xl) ? xl[k] : "(no answer)"
                    b = (k in xen) ? xen[k] : "(no answer)"
                    if ((k in xl) && (k in xen) && a == b) agree++
                    else { printf "%-64s xen-like=%s  Xen=%s\n", k, a, b; differ++ }
                }
                if (xlonly) printf "%d cases run on xen-like only (%s)\n", xlonly, why
                printf "%d agree, %d differ\n", agree, differ
                exit differ > 0
            }' <(printf '%s\n' "$catalogue" | cut -f1) <(answers xl) <(answers xen)
        ;;
esac
