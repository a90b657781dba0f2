#!/usr/bin/env bash
# run-all.sh - everything `make test` runs, in order, with one verdict line
# per check and, last, exactly "N passed, N failed".
#
#   1. host unit tests (the hypervisor's pure-C files under ASan/UBSan);
#   2. boot tests: the same guest binary on xen-like and on real Xen 4.17,
#      through both boot paths (QEMU -kernel/multiboot1 and GRUB/multiboot2),
#      each KTAP case counted, and the ABI facts compared across them;
#   3. hostile input: bad dom0 images, a missing module, unknown options,
#      guests that fault without handlers.  Each must end in a clear,
#      logged refusal or domain crash, never a hang or a hypervisor panic.
#
# Every QEMU run has its own timeout and is killed by PID (tests/harness).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. tests/harness/exit-codes.sh

out=build/test
rm -rf "$out"
mkdir -p "$out"
XL=build/xen-like
XEN_ELF=build/oracle/xen-4.17.elf
XEN_GZ=build/oracle/xen-4.17.gz
GUEST=build/guest-kernel/guest-kernel
XL_CMDLINE="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot dom0_mem=32M"
XEN_CMDLINE="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot dom0_mem=32M"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }
check() { local name=$1; shift; if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name"; fi; }
# log_has FILE ERE: does the serial log (CR stripped) have a matching line?
# grep reads to the end (no -q): under pipefail, a grep -q that matched early
# closes the pipe and tr's SIGPIPE (141) failed the check at random.
log_has() { tr -d '\r' <"$1" | grep -E "$2" >/dev/null; }

# ---------------------------------------------------------------------------
echo "== host unit tests (ASan/UBSan)"
if make --no-print-directory host-test >"$out/host.log" 2>&1; then :; fi
# Each host binary ends with "NAME: N passed, N failed"; all are summed.
lines=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$out/host.log")
nbin=$(grep -c . <<<"$lines")
if [[ -n $lines ]]; then
    while read -r l; do
        hp=$(sed -E 's/^[a-z-]+: ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$l")
        hf=$(sed -E 's/^[a-z-]+: ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$l")
        passed=$((passed + hp))
        failed=$((failed + hf))
        echo "$l"
    done <<<"$lines"
    grep -E '^not ok' "$out/host.log" | sed 's/^/FAIL host: /'
fi
# Two binaries (unit tests, PV-MMU core on the simulator) must both report.
if [[ $nbin -lt 2 ]]; then
    fail "host tests" "a host test binary gave no result line (build or sanitizer failure, see $out/host.log)"
fi

# ---------------------------------------------------------------------------
# boot NAME [boot.sh options] HV HVCMDLINE GUEST GUESTCMDLINE
#   runs one boot, records its outcome in $out/NAME.outcome
boot() {
    local name=$1; shift
    local res
    res=$(bash tests/harness/boot.sh "$@" 2>&1 | tail -1)
    echo "$res" >"$out/$name.outcome"
    echo "   $name: $res"
}
outcome_is() { [[ $(cut -d' ' -f1 "$out/$1.outcome") == "$2" ]]; }
# KTAP cases of a log, each counted as one test.
ktap_cases() {
    local name=$1 log=$out/$1.log verdict
    bash tests/harness/ktap.sh "$log" >"$out/$name.ktap" 2>&1
    verdict=$?
    while read -r l; do
        case $l in
            "ok "*) pass "$name: $(cut -d' ' -f3- <<<"$l")" ;;
            "not ok "*) fail "$name: $(cut -d' ' -f4- <<<"$l")" ;;
        esac
    done < <(sed -E 's/^ +//' "$out/$name.ktap" | grep -E '^(not )?ok [0-9]+ ')
    if [[ $verdict -eq 0 ]]; then pass "$name: KTAP verdict"; else
        fail "$name: KTAP verdict" "$(tail -1 "$out/$name.ktap")"; fi
}

echo "== hello guest on xen-like and on real Xen 4.17"
boot xl-direct --timeout 60 "$out/xl-direct.log" "$XL" "$XL_CMDLINE" "$GUEST" "hello"
check "xen-like direct (multiboot1): powers off" outcome_is xl-direct poweroff
ktap_cases xl-direct
boot xl-grub --iso --timeout 90 "$out/xl-grub.log" "$XL" "$XL_CMDLINE" "$GUEST" "hello"
check "xen-like GRUB (multiboot2): powers off" outcome_is xl-grub poweroff
ktap_cases xl-grub
boot xen-direct --timeout 120 "$out/xen-direct.log" "$XEN_ELF" "$XEN_CMDLINE" "$GUEST" "hello"
check "real Xen direct: powers off" outcome_is xen-direct poweroff
ktap_cases xen-direct
boot xen-grub --iso --timeout 150 "$out/xen-grub.log" "$XEN_GZ" "$XEN_CMDLINE" "$GUEST" "hello"
check "real Xen GRUB: powers off" outcome_is xen-grub poweroff
ktap_cases xen-grub

echo "== abi: one case per rule of the first hypercalls, same binary on both"
boot xl-abi --timeout 60 "$out/xl-abi.log" "$XL" "$XL_CMDLINE" "$GUEST" "abi"
ktap_cases xl-abi
boot xen-abi --timeout 120 "$out/xen-abi.log" "$XEN_ELF" "$XEN_CMDLINE" "$GUEST" "abi"
ktap_cases xen-abi
check "abi facts: xen-like == real Xen" \
    bash tests/harness/compare-facts.sh "$out/xen-abi.log" "$out/xl-abi.log"
bash tests/harness/compare-facts.sh "$out/xen-abi.log" "$out/xl-abi.log" 2>&1 |
    grep -E 'DIFF|MISSING' | sed 's/^/   /'
# Debian's QEMU 7.2 misreports the #GP error code of `int n`; xen-like
# decodes the instruction instead, so its answers must not change there.
if command -v qemu-system-x86_64 >/dev/null; then
    boot xl-abi-qemu72 --qemu qemu-system-x86_64 --timeout 60 "$out/xl-abi-qemu72.log" \
        "$XL" "$XL_CMDLINE" "$GUEST" "abi"
    check "abi on QEMU 7.2: same verdict" bash tests/harness/ktap.sh "$out/xl-abi-qemu72.log"
    check "abi on QEMU 7.2: same facts" \
        bash tests/harness/compare-facts.sh "$out/xl-abi.log" "$out/xl-abi-qemu72.log"
fi

echo "== mmu: the PV-MMU hypercalls, one case per rule, same binary on both"
boot xl-mmu --timeout 120 "$out/xl-mmu.log" "$XL" "$XL_CMDLINE" "$GUEST" "mmu"
ktap_cases xl-mmu
boot xen-mmu --timeout 180 "$out/xen-mmu.log" "$XEN_ELF" "$XEN_CMDLINE" "$GUEST" "mmu"
ktap_cases xen-mmu
check "mmu facts: xen-like == real Xen" \
    bash tests/harness/compare-facts.sh "$out/xen-mmu.log" "$out/xl-mmu.log"
bash tests/harness/compare-facts.sh "$out/xen-mmu.log" "$out/xl-mmu.log" 2>&1 |
    grep -E 'DIFF|MISSING' | sed 's/^/   /'
# Forced preemption drives every continuation path; the answers must not move.
for n in 1 3; do
    boot "xl-mmu-p$n" --timeout 180 "$out/xl-mmu-p$n.log" "$XL" "$XL_CMDLINE mmu_preempt=$n" \
        "$GUEST" "mmu"
    check "mmu with mmu_preempt=$n: same verdict" bash tests/harness/ktap.sh "$out/xl-mmu-p$n.log"
    check "mmu with mmu_preempt=$n: same facts" \
        bash tests/harness/compare-facts.sh "$out/xl-mmu.log" "$out/xl-mmu-p$n.log"
done

# mmu_audit=1: after every MMU hypercall the hypervisor recounts every
# frame's counts and checks the invariants (mm/audit.c); a broken one is a
# panic (exit 39), so the run must still power off with the same answers.
# (init under the auditor runs with the three-domain boot below.)
for g in mmu abi; do
    boot "xl-$g-audit" --timeout 120 "$out/xl-$g-audit.log" "$XL" "$XL_CMDLINE mmu_audit=1" \
        "$GUEST" "$g"
    check "$g with mmu_audit=1: powers off (no invariant broken)" outcome_is "xl-$g-audit" poweroff
    # Every abi.* fact but the command line, which differs by mmu_audit=1.
    keys=$(tr -d '\r' <"$out/xl-$g.log" | sed -nE 's/^# fact (abi\.[^=]+)=.*/\1/p' |
           grep -vx 'abi.xen_version.commandline.text' | sort -u)
    # shellcheck disable=SC2086
    check "$g with mmu_audit=1: same facts" \
        bash tests/harness/compare-facts.sh "$out/xl-$g.log" "$out/xl-$g-audit.log" $keys
done

echo "== xsa: the PV-MMU advisories' trigger sequences, same binary on both"
boot xl-xsa --timeout 120 "$out/xl-xsa.log" "$XL" "$XL_CMDLINE" "$GUEST" "xsa"
ktap_cases xl-xsa
boot xen-xsa --timeout 180 "$out/xen-xsa.log" "$XEN_ELF" "$XEN_CMDLINE" "$GUEST" "xsa"
ktap_cases xen-xsa
# Interrupted validations (the XSA-299 family) for real: forced
# continuations, and the auditor after every MMU hypercall.
for opt in mmu_preempt=1 mmu_audit=1; do
    boot "xl-xsa-$opt" --timeout 180 "$out/xl-xsa-$opt.log" "$XL" "$XL_CMDLINE $opt" "$GUEST" "xsa"
    check "xsa with $opt: powers off" outcome_is "xl-xsa-$opt" poweroff
    check "xsa with $opt: same facts" \
        bash tests/harness/compare-facts.sh "$out/xl-xsa.log" "$out/xl-xsa-$opt.log"
done

echo "== gnttab: grant tables, dom0 granting to itself, same binary on both"
boot xen-gnttab --timeout 180 "$out/xen-gnttab.log" "$XEN_ELF" "$XEN_CMDLINE" "$GUEST" "gnttab"
ktap_cases xen-gnttab
boot xl-gnttab --timeout 120 "$out/xl-gnttab.log" "$XL" "$XL_CMDLINE" "$GUEST" "gnttab"
ktap_cases xl-gnttab
check "gnttab facts: xen-like == real Xen" \
    bash tests/harness/compare-facts.sh "$out/xen-gnttab.log" "$out/xl-gnttab.log"
bash tests/harness/compare-facts.sh "$out/xen-gnttab.log" "$out/xl-gnttab.log" 2>&1 |
    grep -E 'DIFF|MISSING' | sed 's/^/   /'
boot xl-gnttab-audit --timeout 180 "$out/xl-gnttab-audit.log" "$XL" "$XL_CMDLINE mmu_audit=1" \
    "$GUEST" "gnttab"
check "gnttab with mmu_audit=1: powers off (grant references recounted)" \
    outcome_is xl-gnttab-audit poweroff

echo "== hcfuzz: hostile arguments to every hypercall; the hypervisor must stay up"
boot xl-hcfuzz --timeout 120 "$out/xl-hcfuzz.log" "$XL" "$XL_CMDLINE" "$GUEST" "hcfuzz seed=1 calls=3000"
check "hcfuzz: 3000 hostile hypercalls answered, powers off" outcome_is xl-hcfuzz poweroff
check "hcfuzz: the guest survived every call" log_has "$out/xl-hcfuzz.log" '^ok 2 hcfuzz_survived_every_call'
boot xl-hcfuzz-audit --timeout 180 "$out/xl-hcfuzz-audit.log" "$XL" "$XL_CMDLINE mmu_audit=1" \
    "$GUEST" "hcfuzz seed=2 calls=800"
check "hcfuzz under mmu_audit=1: no invariant broken, powers off" outcome_is xl-hcfuzz-audit poweroff
boot xen-hcfuzz --timeout 180 "$out/xen-hcfuzz.log" "$XEN_ELF" "$XEN_CMDLINE" "$GUEST" "hcfuzz seed=1 calls=3000"
check "hcfuzz on real Xen 4.17: survives too" outcome_is xen-hcfuzz poweroff

echo "== timer: set_timer_op, VIRQ_TIMER, vcpu_op timers, event channels, on both"
boot xl-timer --timeout 60 "$out/xl-timer.log" "$XL" "$XL_CMDLINE" "$GUEST" "timer"
ktap_cases xl-timer
boot xen-timer --timeout 120 "$out/xen-timer.log" "$XEN_ELF" "$XEN_CMDLINE" "$GUEST" "timer"
ktap_cases xen-timer
check "timer facts: xen-like == real Xen" \
    bash tests/harness/compare-facts.sh "$out/xen-timer.log" "$out/xl-timer.log"

echo "== init: the guest kernel's own page tables and processes"
boot xl-init --timeout 90 "$out/xl-init.log" "$XL" "$XL_CMDLINE" "$GUEST" "init"
ktap_cases xl-init
boot xl-init-tr --timeout 90 "$out/xl-init-tr.log" "$XL" "$XL_CMDLINE pv_translate=0" \
    "$GUEST" "init mmu=translate"
ktap_cases xl-init-tr
boot xen-init --timeout 150 "$out/xen-init.log" "$XEN_ELF" "$XEN_CMDLINE" "$GUEST" "init"
ktap_cases xen-init
check "init summary: xen-like == real Xen" \
    bash tests/harness/compare-facts.sh "$out/xen-init.log" "$out/xl-init.log"
check "init summary: translate mode == Xen mode" \
    bash tests/harness/compare-facts.sh "$out/xl-init.log" "$out/xl-init-tr.log"

echo "== bench quick: every number produced and positive (no time or ratio asserted)"
# The bench mode (docs/bench.md) as a smoke check: instruction counts under
# -icount shift=0 on both hypervisors; only their presence is checked here.
BENCH_OPS="boot_to_first_output mmu_update_1 mmu_update_8 mmu_update_64 mmu_update_512
    update_va_mapping update_va_mapping_invlpg new_baseptr_pair pin_unpin_64M
    pin_unpin_1024M pin_unpin_4096M syscall_roundtrip fork_exit_16M cow_fault_reuse
    cow_fault_copy"
for hv in xl xen; do
    if [[ $hv == xl ]]; then hvbin=$XL; t=120; else hvbin=$XEN_ELF; t=240; fi
    boot "$hv-bench" --icount-shift 0 --timeout $t "$out/$hv-bench.log" "$hvbin" \
        "${XL_CMDLINE/dom0_mem=32M/dom0_mem=64M}" "$GUEST" "bench quick"
    check "bench quick on $hv: powers off" outcome_is "$hv-bench" poweroff
    for op in $BENCH_OPS; do
        check "bench quick on $hv: $op > 0" log_has "$out/$hv-bench.log" \
            "^(\\(d0\\) )?# bench $op [1-9][0-9]* "
    done
done

echo "== several domains at once"
# dom0 hello, d1 the init kernel, d2 an attacker: all finish, the attacker gets nothing.
boot xl-three --timeout 120 "$out/xl-three.log" "$XL" "$XL_CMDLINE" \
    "$GUEST" "hello" "$GUEST" "domU mem=32M -- init" "$GUEST" "domU mem=16M -- attack"
check "three domains: the run powers off" outcome_is xl-three poweroff
# dom0's console output is raw, as on Xen; the others' lines carry "(dN) ".
check "three domains: d0's verdict is PASS" log_has "$out/xl-three.log" '^# Test result: PASS$'
for dom in 1 2; do
    check "three domains: d$dom's verdict is PASS" \
        log_has "$out/xl-three.log" "^\\(d$dom\\) # Test result: PASS$"
done
check "three domains: the attacker's attempts were each refused" \
    bash -c "[[ \$(tr -d '\r' <'$out/xl-three.log' | grep -cE '^\(d2\) ok [0-9]+ ') -eq 25 ]]"
check "three domains: every domain destroyed with 0 frames left" \
    bash -c "[[ \$(grep -c 'destroyed: .* 0 still owned' '$out/xl-three.log') -eq 3 ]]"
check "three domains: frame accounting back to its pre-build value" \
    log_has "$out/xl-three.log" '^\(XEN\) Frame accounting: ([0-9]+) frames free before the domains were built, \1 now$'
# The same three domains with the auditor after every MMU hypercall: the
# init kernel's own page tables, fork, CoW, exec, OOM and the attacker's
# refusals, all recounted (about 110 s here; the slowest boot of the run).
boot xl-three-audit --timeout 600 "$out/xl-three-audit.log" "$XL" "$XL_CMDLINE mmu_audit=1" \
    "$GUEST" "hello" "$GUEST" "domU mem=32M -- init" "$GUEST" "domU mem=16M -- attack"
check "three domains with mmu_audit=1: powers off (no invariant broken)" outcome_is xl-three-audit poweroff
for dom in 1 2; do
    check "three domains with mmu_audit=1: d$dom's verdict is PASS" \
        log_has "$out/xl-three-audit.log" "^\\(d$dom\\) # Test result: PASS$"
done
# Grants between two domUs (guest-kernel/gntdemo.c): d1 grants a page to
# d2, which maps it, writes a message and unmaps it; d1 reads the message
# and pin-probes the frame (-EINVAL while d2's writable mapping is live, 0
# after), with the auditor recounting every reference, grants included.
boot xl-gntdemo --timeout 120 "$out/xl-gntdemo.log" "$XL" "$XL_CMDLINE mmu_audit=1" "$GUEST" "hello" \
    "$GUEST" "domU mem=16M -- gntdemo give peer=2" "$GUEST" "domU mem=16M -- gntdemo take peer=1"
check "grant demo: the run powers off" outcome_is xl-gntdemo poweroff
for dom in 1 2; do
    check "grant demo: d$dom's verdict is PASS" \
        log_has "$out/xl-gntdemo.log" "^\\(d$dom\\) # Test result: PASS$"
done
check "grant demo: d1 read back the message d2 wrote through the grant" \
    log_has "$out/xl-gntdemo.log" '^\(d1\) # gntdemo: d2 wrote: "hello from d2, written through a grant mapping"'
check "grant demo: pin probe while d2 has the page mapped RW is -EINVAL" \
    log_has "$out/xl-gntdemo.log" '^\(d1\) # gntdemo: pin probe while d2 has it mapped read-write: -22$'
check "grant demo: pin probe after d2's unmap is 0" \
    log_has "$out/xl-gntdemo.log" '^\(d1\) # gntdemo: pin probe after the unmap: 0$'
check "grant demo: every domain destroyed with 0 frames left" \
    bash -c "[[ \$(grep -c 'destroyed: .* 0 still owned' '$out/xl-gntdemo.log') -eq 3 ]]"
check "grant demo: frame accounting back to its pre-build value" \
    log_has "$out/xl-gntdemo.log" '^\(XEN\) Frame accounting: ([0-9]+) frames free before the domains were built, \1 now( \(counting the auditor.s scratch frames\))?$'
# dom0 ends a spinning d1 mid-run; d2 is not starved by it.
boot xl-reap --timeout 120 "$out/xl-reap.log" "$XL" "$XL_CMDLINE" \
    "$GUEST" "reaper" "$GUEST" "domU mem=16M -- spin" "$GUEST" "domU mem=16M -- hello"
check "spinning domain: the run powers off" outcome_is xl-reap poweroff
check "spinning domain: d2 finishes anyway (no starvation)" \
    log_has "$out/xl-reap.log" '^\(d2\) # Test result: PASS$'
check "spinning domain: dom0 ends it mid-run" log_has "$out/xl-reap.log" 'd0 shuts d1 down'
check "spinning domain: killed domain's frames all returned" \
    log_has "$out/xl-reap.log" '^\(XEN\) Domain 1 destroyed: [0-9]+ frames returned, 0 still owned$'
check "spinning domain: frame accounting back to its pre-build value" \
    log_has "$out/xl-reap.log" '^\(XEN\) Frame accounting: ([0-9]+) frames free before the domains were built, \1 now$'
# A crash in one domain leaves the others running; the exit status says a domain crashed.
boot xl-crash1 --timeout 60 "$out/xl-crash1.log" "$XL" "$XL_CMDLINE" \
    "$GUEST" "hello" "$GUEST" "domU mem=16M -- nohandler" "$GUEST" "domU mem=16M -- hello"
check "crash isolation: the status is crash (a domain crashed)" outcome_is xl-crash1 crash
check "crash isolation: the others still pass" \
    bash -c "[[ \$(tr -d '\r' <'$out/xl-crash1.log' | grep -cE '# Test result: PASS$') -eq 2 ]]"

# Serial input: a line for dom0, Ctrl-A three times, a line for d1.  Each
# domain must read its own line (the leading newlines may be eaten by the
# UART reset at boot; the guests skip empty lines).
printf '\n\n\n\nto-d0\n\001\001\001to-d1\n' >"$out/xl-input.in"
boot xl-input --timeout 60 --input "$out/xl-input.in" "$out/xl-input.log" "$XL" "$XL_CMDLINE" \
    "$GUEST" "echo expect=to-d0" "$GUEST" "domU mem=16M -- echo expect=to-d1"
check "console input: the run powers off" outcome_is xl-input poweroff
check "console input: dom0 read the line typed for it" log_has "$out/xl-input.log" '^ok 1 echo_line$'
check "console input: Ctrl-A x3 passed the input to d1" \
    log_has "$out/xl-input.log" "^\\(XEN\\) \\*\\*\\* Serial input to DOM1 "
check "console input: d1 read the line typed after the switch" \
    log_has "$out/xl-input.log" '^\(d1\) ok 1 echo_line$'

# Debug keys: the init guest runs; after its first fork, Ctrl-A x3 passes the
# input to the hypervisor and h q m p a t are typed (tools/pt-capture.sh,
# through boot.sh --input-after).  Each handler must answer, the f·g trace
# must start only after 't', and the guest must finish as usual.  (The log
# is big once the trace is on: it is matched as a file, not through a pipe
# that grep -q would close early under pipefail.)
echo "== debug keys (Ctrl-A x3, then h q m p a t) on a running init guest"
res=$(bash tools/pt-capture.sh "$out/xl-keys.log" 2>&1 | tail -1)
echo "$res" >"$out/xl-keys.outcome"
echo "   xl-keys: $res"
k=$out/xl-keys.txt
tr -d '\r' <"$out/xl-keys.log" >"$k"
keys_has() { grep -qE -- "$1" "$k"; }
check "debug keys: the run powers off, the guest passes" \
    bash -c "[[ \$(cut -d' ' -f1 '$out/xl-keys.outcome') == poweroff ]] && grep -qx '# Test result: PASS' '$k'"
check "debug keys: Ctrl-A x3 passed the input to the hypervisor" \
    keys_has '^\(XEN\) \*\*\* Serial input to Xen '
check "debug keys: h lists the keys" keys_has "^\(XEN\)  't' toggle the f.g trace"
check "debug keys: q lists domains and vCPUs" \
    bash -c "grep -qE '^\(XEN\) d0: running privileged tot_pages=8192 ' '$k' &&
             grep -qE '^\(XEN\) d0 v0: .* cr3=0x[0-9a-f]+ ' '$k'"
# d0 owns its 8192 pages, shared_info and the 4 grant frames (gnttab.c).
check "debug keys: m counts frames by owner and type" \
    bash -c "grep -qE '^\(XEN\) frames owner=d0 total=8197 none=[0-9]+ L1=[1-9][0-9]* .* pinned=[1-9][0-9]*$' '$k' &&
             grep -qE '^\(XEN\) frames owner=free total=[0-9]+ ' '$k'"
check "debug keys: p dumps the page-table tree (pinned L4, RO maps of tables)" \
    bash -c "grep -qE '^\(XEN\) table L4 gfn=0x[0-9a-f]+ mfn=0x[0-9a-f]+ tc=[0-9]+ pinned=1 state=validated roots=cr3.v0$' '$k' &&
             grep -qE '^\(XEN\)  e 0x[0-9a-f]{3}(-0x[0-9a-f]{3})? gfn=.* type=L4 flags=RO' '$k' &&
             grep -qE '^\(XEN\) pt-dump d0 end tables=[0-9]+ entries=[0-9]+$' '$k'"
check "debug keys: a runs the auditor now: OK" keys_has '^\(XEN\) mmu_audit: OK '
check "debug keys: t turns the f·g trace on at run time (no trace line before, some after)" \
    awk '/^\(XEN\) mmu_trace is now on$/ { on = 1 }
         /^\(XEN\) d0 L[1-4]\[/ { if (on) after++; else before++ }
         END { exit !(on && before == 0 && after > 0) }' "$k"
check "debug keys: frame accounting back to its pre-build value" \
    keys_has '^\(XEN\) Frame accounting: ([0-9]+) frames free before the domains were built, \1 now'
check "pt-graph: the dump becomes DOT with every table of the dump" \
    bash -c "gawk -f tools/pt-graph.awk '$k' >'$out/xl-keys.dot' &&
             [[ \$(grep -cE '^  t0x[0-9a-f]+ \[shape=box, style=\"filled' '$out/xl-keys.dot') -eq \
                \$(sed -nE 's/^\(XEN\) pt-dump d0 end tables=([0-9]+) .*/\1/p' '$k') ]]"
if command -v dot >/dev/null; then
    check "pt-graph: dot accepts the DOT and draws an SVG" \
        bash -c "dot -Tsvg '$out/xl-keys.dot' -o '$out/xl-keys.svg' && grep -q '<svg' '$out/xl-keys.svg'"
fi
check "make tour: the reading order from docs/README.md, ~25 stops" \
    bash -c "make --no-print-directory tour >'$out/tour.txt' &&
             n=\$(grep -cE '^ ?[0-9]+\. ' '$out/tour.txt') && [[ \$n -ge 20 && \$n -le 40 ]]"

echo "== a third-party-shaped PV kernel (tests/fixtures/minipv)"
bash tests/fixtures/check.sh >"$out/fixtures.log" 2>&1
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out/fixtures.log" | tail -1)
if [[ -n $line ]]; then
    grep -E '^(PASS|FAIL)' "$out/fixtures.log" | sed 's/^/   /'
    passed=$((passed + $(cut -d' ' -f1 <<<"$line")))
    failed=$((failed + $(cut -d' ' -f3 <<<"$line")))
else
    fail "minipv fixture" "no result line (see $out/fixtures.log)"
fi

echo "== facts that must agree (abi.*)"
check "facts: xen-like direct == real Xen direct" \
    bash tests/harness/compare-facts.sh "$out/xen-direct.log" "$out/xl-direct.log"
check "facts: xen-like GRUB == real Xen GRUB" \
    bash tests/harness/compare-facts.sh "$out/xen-grub.log" "$out/xl-grub.log"
check "facts: xen-like direct == xen-like GRUB" \
    bash tests/harness/compare-facts.sh "$out/xl-direct.log" "$out/xl-grub.log"
bash tests/harness/compare-facts.sh "$out/xen-direct.log" "$out/xl-direct.log" \
    >"$out/facts.txt" 2>&1
grep -E 'DIFF|MISSING' "$out/facts.txt" | sed 's/^/   /'
check "P2M is not the identity (p2m[0] != 0)" \
    bash -c "! grep -qE '^# fact local.p2m0=0$' '$out/xl-direct.log'"

echo "== translate mode (pv_translate=0): the guest writes pfns, xen-like installs f·g"
boot xl-translate --timeout 60 "$out/xl-translate.log" "$XL" "$XL_CMDLINE pv_translate=0" "$GUEST" "hello"
check "translate mode: powers off" outcome_is xl-translate poweroff
ktap_cases xl-translate
check "translate mode: announced in the log" grep -q "d0 runs in translate mode" "$out/xl-translate.log"
check "translate mode: features report auto_translated_physmap" \
    log_has "$out/xl-translate.log" '^# fact abi.xen_version.get_features.submap0=0x228e5$'
check "translate mode: the guest's P2M is the identity" \
    log_has "$out/xl-translate.log" '^# fact local.p2m1=1$'

boot xl-trace --timeout 60 "$out/xl-trace.log" "$XL" "$XL_CMDLINE mmu_trace=1" "$GUEST" "hello"
check "mmu_trace=1 (Xen mode): one f·g line per update" \
    log_has "$out/xl-trace.log" '^\(XEN\) d0 L1\[0x[0-9a-f]+\] of gfn 0x[0-9a-f]+ \(mfn 0x[0-9a-f]+\): va 0x[0-9a-f]+ -> gfn (0x[0-9a-f]+) -> mfn \1 .* OK$'
boot xl-trace-tr --timeout 60 "$out/xl-trace-tr.log" "$XL" "$XL_CMDLINE mmu_trace=1 pv_translate=0" "$GUEST" "hello"
check "mmu_trace=1 (translate mode): the gfn is the pfn after RAM, the mfn differs" \
    log_has "$out/xl-trace-tr.log" '^\(XEN\) d0 L1\[0x[0-9a-f]+\] of gfn 0x[0-9a-f]+ \(mfn 0x[0-9a-f]+\): va 0x[0-9a-f]+ -> gfn 0x2000 -> mfn 0x[0-9a-f]+ .* OK$'
check "mmu_trace is off by default" bash -c "! grep -qE '^\(XEN\) d0 L1\[' '$out/xl-direct.log'"

echo "== the hypervisor's own behaviour"
check "boot log names the loader (multiboot1)" grep -q "qemu loader (multiboot1)" "$out/xl-direct.log"
check "boot log names the loader (multiboot2)" grep -q "GRUB .* loader (multiboot2)" "$out/xl-grub.log"
check "multiboot1: first word of the module string dropped" \
    grep -q 'command line "hello"' "$out/xl-direct.log"
check "dom0 layout printed" grep -q "Page tables:" "$out/xl-direct.log"
check "timestamps-off default leaves lines clean" grep -q "^(XEN) xen-like:" "$out/xl-direct.log"

echo "== hostile boot input and misbehaving guests"
printf 'this is not an ELF file\n' >"$out/garbage.bin"
boot bad-elf --timeout 60 "$out/bad-elf.log" "$XL" "$XL_CMDLINE" "$out/garbage.bin" "x"
check "garbage dom0 image: boot refused (exit 41)" outcome_is bad-elf refused
check "garbage dom0 image: reason logged" grep -q "d0 kernel refused:" "$out/bad-elf.log"
check "garbage dom0 image: no panic" bash -c "! grep -q Panic '$out/bad-elf.log'"

head -c 64 "$GUEST" >"$out/truncated.elf"
boot trunc-elf --timeout 60 "$out/trunc-elf.log" "$XL" "$XL_CMDLINE" "$out/truncated.elf" "x"
check "truncated ELF: boot refused with a reason" \
    bash -c "outcome=\$(cut -d' ' -f1 '$out/trunc-elf.outcome'); [[ \$outcome == refused ]] && grep -q 'd0 kernel refused:' '$out/trunc-elf.log'"

boot bad-option --timeout 60 "$out/bad-option.log" "$XL" "$XL_CMDLINE frobnicate=7 dom0_mem=banana" "$GUEST" "hello"
check "unknown option: warned" grep -qi "unknown option 'frobnicate" "$out/bad-option.log"
check "malformed dom0_mem: warned, boot continues" outcome_is bad-option poweroff

# Absurd memory sizes: dom0 gets all there is, as on Xen; a domU that asks
# for more than exists is refused with the numbers.
boot huge-dom0 --timeout 60 "$out/huge-dom0.log" "$XL" "${XL_CMDLINE/dom0_mem=32M/dom0_mem=1T}" "$GUEST" "hello"
check "dom0_mem=1T: warned, dom0 gets what there is, powers off" \
    bash -c "grep -q 'dom0_mem=1048576M is more than the' '$out/huge-dom0.log' && [[ \$(cut -d' ' -f1 '$out/huge-dom0.outcome') == poweroff ]]"
boot huge-domu --timeout 60 "$out/huge-domu.log" "$XL" "$XL_CMDLINE" "$GUEST" "hello" \
    "$GUEST" "domU mem=900G -- hello"
check "domU mem=900G: refused with a reason, no hang" \
    bash -c "[[ \$(cut -d' ' -f1 '$out/huge-domu.outcome') == refused ]] && grep -q 'not enough memory: the domUs ask for 235929600 pages' '$out/huge-domu.log'"

boot guest-crash --timeout 60 "$out/guest-crash.log" "$XL" "$XL_CMDLINE" "$GUEST" "crash"
check "guest's unexpected fault: domain crash, not a panic" outcome_is guest-crash crash

# Each misbehaving guest: the domain crashes with a logged reason (QEMU exit
# 37), real Xen crashes it too, and the hypervisor never panics.
crash_mode() {
    local mode=$1 reason=$2
    boot "xl-$mode" --timeout 60 "$out/xl-$mode.log" "$XL" "$XL_CMDLINE" "$GUEST" "$mode"
    check "$mode: xen-like crashes the domain" outcome_is "xl-$mode" crash
    check "$mode: reason logged" log_has "$out/xl-$mode.log" "$reason"
    check "$mode: no hypervisor panic" bash -c "! grep -q Panic '$out/xl-$mode.log'"
    boot "xen-$mode" --timeout 120 "$out/xen-$mode.log" "$XEN_ELF" "$XEN_CMDLINE" "$GUEST" "$mode"
    check "$mode: real Xen crashes the domain too" outcome_is "xen-$mode" crash
}
crash_mode nohandler "Domain 0 crashed: .*no handler registered"
crash_mode badstack "Domain 0 crashed: fault while writing an exception frame"
crash_mode rostack "Domain 0 crashed: fault while writing an exception frame"
# badiret: the refused return becomes a #GP the guest handles; it then crashes itself.
crash_mode badiret "Domain 0 shut down: reason 3 \(crash\)"
# A #PF handler that faults again, and a kernel stack run dry: the frames
# march down the guest's memory until one cannot be written.
crash_mode faultloop "Domain 0 crashed: fault while writing an exception frame"
crash_mode stackoverflow "Domain 0 crashed: fault while writing an exception frame"

# The conformance suite judged on the logs above (hello = the boot group,
# abi, mmu, timer, xsa, and the attacker domain of the three-domain run):
# every case of the catalogue must have answered, on xen-like with Xen's
# recorded answer, and the two hypervisors must agree case by case.  The reference page must match the catalogue.
echo "== conformance suite (tests/conformance): the groups above, case by case"
conformance() {     # NAME xl|diff
    local name=$1 what=$2 o=$out/conformance-$2.txt
    bash tests/conformance/run.sh --logs "$out" --no-boot "$what" >"$o" 2>&1
    local rc=$?
    grep -E '^FAIL|xen-like=' "$o" | head -20 | sed 's/^/   /'
    if [[ $rc -eq 0 ]]; then pass "$name: $(tail -1 "$o")"; else fail "$name" "$(tail -1 "$o")"; fi
}
conformance "conformance on xen-like" xl
conformance "conformance xen-like vs real Xen 4.17" diff
check "docs/hypercall-reference.md matches the catalogue" bash tests/conformance/reference.sh --check

echo
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
