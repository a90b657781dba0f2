#!/usr/bin/env bash
# run.sh [--quick] - the benchmarks of docs/bench.md.
#
# Default (`make bench`): the same guest binary, command line `bench`, as
# dom0 on xen-like and on real Xen 4.17, each under QEMU with
# `-icount shift=0,sleep=off -rtc clock=vm` (the guest's TSC advances by one
# per executed instruction), dom0_mem=64M.  Prints the table
# op | unit | xen-like | Xen 4.17 | ratio | target, each QEMU run's wall
# clock, the hypervisors' memory facts, and writes under build/bench/:
#   results.csv  op,unit,xen_like,xen_4_17,ratio
#   pin.csv      tree_mib,xen_like,xen_4_17 (pin + unpin)
#   facts.txt    page_info bytes per frame, memory footprint
#   bench.svg, scaling-pin.svg (gnuplot, if installed)
#   xl.log, xen.log  the serial logs
# --quick: `bench quick` (few repetitions, fewer tree sizes): a smoke run.
# --scaling (`make bench-scaling`): `bench scaling` (boot_to_first_output and
#   the mmu_update batches only) once per dom0_mem size in SCALING_MIB
#   (default 64 128 256 512 1024 2048) on each hypervisor, QEMU memory
#   dom0_mem + 512 MiB (the machine grows with dom0: frame table, M2P and
#   P2M all grow); writes under build/bench/:
#   scaling-mem.csv  dom0_mib,machine_mib,boot_xl,boot_xen,
#                    mmu_<N>_xl,mmu_<N>_xen (N = 1 8 64 512, per entry),
#                    frame_table_kib_xl, footprint_kib_xl
#   scaling-mmu.svg, scaling-boot.svg, scaling/<hv>-<MiB>M.log
#
# Every QEMU run goes through tests/harness/boot.sh (timeout, own PID).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
out=build/bench
mkdir -p "$out"
XL=build/xen-like
XEN=build/oracle/xen-4.17.elf
GUEST=build/guest-kernel/guest-kernel
HVARGS="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot"
quick= scaling=0
for a in "$@"; do
    case $a in
        --quick) quick=" quick" ;;
        --scaling) scaling=1 ;;
        *) echo "run.sh: unknown argument $a" >&2; exit 2 ;;
    esac
done

# results LOG: "op value unit" per `# bench` line (xen-like may prefix "(d0) ").
results() {
    tr -d '\r' <"$1" | sed -nE 's/^(\(d[0-9]+\) )?# bench ([A-Za-z0-9_]+) ([0-9]+) (.*)$/\2 \3 \4/p'
}
value() { results "$1" | awk -v op="$2" '$1 == op { print $2 }'; }

# run NAME HV DOM0_MIB QEMU_MEM TIMEOUT [GUEST ARGS]: one boot; prints its
# wall clock.  GUEST ARGS default to "bench" (+ " quick").
run() {
    local name=$1 hv=$2 mib=$3 mem=$4 timeout=$5 gargs=${6:-bench$quick} t0 t1 res
    t0=$(date +%s.%N)
    res=$(bash tests/harness/boot.sh --icount-shift 0 --timeout "$timeout" --mem "$mem" \
          "$out/$name.log" "$hv" "$HVARGS dom0_mem=${mib}M" "$GUEST" "$gargs" 2>&1 | tail -1)
    t1=$(date +%s.%N)
    printf '  %-14s %-44s wall %6.1f s\n' "$name" "$res" "$(echo "$t1 - $t0" | bc)"
    [[ $res == poweroff* ]] || { echo "run.sh: $name did not power off (see $out/$name.log)" >&2; return 1; }
}

plot() {
    if command -v gnuplot >/dev/null; then
        gnuplot -e "dir='$out'; chart='$1'" tests/bench/plot.gp && echo "  chart: $out/$2"
    else
        echo "  (gnuplot not installed: no $out/$2; make bench installs gnuplot-nox)"
    fi
}

# --scaling: the sweep over dom0_mem, then stop.
if ((scaling)); then
    sizes=${SCALING_MIB:-64 128 256 512 1024 2048}
    mkdir -p "$out/scaling"
    csv=$out/scaling-mem.csv
    echo "== bench scaling: dom0_mem = $sizes MiB (machine: dom0_mem + 512 MiB), -icount shift=0"
    t_all=$SECONDS
    hdr="dom0_mib,machine_mib,boot_xl,boot_xen"
    for n in 1 8 64 512; do hdr+=",mmu_${n}_xl,mmu_${n}_xen"; done
    echo "$hdr,frame_table_kib_xl,footprint_kib_xl" >"$csv"
    for mib in $sizes; do
        mem=$((mib + 512))M
        run "scaling/xl-${mib}M" "$XL" "$mib" "$mem" 300 "bench scaling" || exit 1
        # Real Xen 4.17 waits about one virtual second for the CMOS clock:
        # ~15 s of wall clock per boot at shift=0, more on a loaded host.
        run "scaling/xen-${mib}M" "$XEN" "$mib" "$mem" 600 "bench scaling" || exit 1
        a=$out/scaling/xl-${mib}M.log b=$out/scaling/xen-${mib}M.log
        row="$mib,$((mib + 512)),$(value "$a" boot_to_first_output),$(value "$b" boot_to_first_output)"
        for n in 1 8 64 512; do
            row+=",$(value "$a" "mmu_update_$n"),$(value "$b" "mmu_update_$n")"
        done
        ft=$(tr -d '\r' <"$a" | sed -nE 's/^\(XEN\) Memory:.* frame table ([0-9]+) KiB.*/\1/p' | head -1)
        fp=$(tr -d '\r' <"$a" | sed -nE 's/^\(XEN\) Memory footprint:.* total ([0-9]+) KiB.*/\1/p' | head -1)
        echo "$row,$ft,$fp" >>"$csv"
    done
    echo
    printf '%9s %9s | %14s %14s | %-25s | %-25s | %9s %9s\n' dom0_MiB machine \
        "boot xen-like" "boot Xen 4.17" "xen-like mmu 1/8/64/512" "Xen 4.17 mmu 1/8/64/512" \
        "FT KiB" "fp KiB"
    tail -n +2 "$csv" | while IFS=, read -r m mm bx bn a1 b1 a8 b8 a64 b64 a512 b512 ft fp; do
        printf '%9s %9s | %14s %14s | %-25s | %-25s | %9s %9s\n' "$m" "$mm" "$bx" "$bn" \
            "$a1/$a8/$a64/$a512" "$b1/$b8/$b64/$b512" "$ft" "$fp"
    done
    echo "(mmu: instructions per entry; boot: instructions; FT/fp: xen-like's frame table and footprint)"
    echo "sweep wall clock: $((SECONDS - t_all)) s"
    # Flat means: the largest domain's per-entry cost within 5% of the smallest's.
    for hv in xl xen; do
        col=$([[ $hv == xl ]] && echo 11 || echo 12)
        tail -n +2 "$csv" | cut -d, -f"$col" | awk -v hv="$hv" \
            'NR == 1 { lo = hi = first = $1 } { if ($1 < lo) lo = $1; if ($1 > hi) hi = $1 }
             END { printf "mmu_update_512 on %s: %d .. %d per entry over the sweep (%.1f%%)\n",
                   hv, lo, hi, 100 * (hi - lo) / first }'
    done
    echo
    plot mmu scaling-mmu.svg
    plot boot scaling-boot.svg
    exit 0
fi

echo "== bench$quick: the same guest on xen-like and on real Xen 4.17, -icount shift=0"
run xl "$XL" 64 512M 300 || exit 1
run xen "$XEN" 64 512M 600 || exit 1

echo "op,unit,xen_like,xen_4_17,ratio" >"$out/results.csv"
echo
printf '%-26s %-20s %12s %12s %7s  %s\n' op unit xen-like "Xen 4.17" ratio target
missed=0
while read -r op v unit; do
    x=$(value "$out/xen.log" "$op")
    [[ -n $x && $x -gt 0 ]] || { printf '%-26s %-20s %12s %12s\n' "$op" "$unit" "$v" "${x:-none}"; continue; }
    ratio=$(awk -v a="$v" -v b="$x" 'BEGIN { printf "%.3f", a / b }')
    case $op in mmu_update_*|pin_*|unpin_*) t=0.7 ;; *) t=1.0 ;; esac
    [[ $op == mmu_update_1 ]] && t=1.0          # a batch of one is not a batch
    verdict=$(awk -v r="$ratio" -v t="$t" 'BEGIN { print (r <= t) ? "met" : "MISSED" }')
    [[ $verdict == met ]] || missed=$((missed + 1))
    printf '%-26s %-20s %12s %12s %7s  <= %s %s\n' "$op" "$unit" "$v" "$x" "$ratio" "$t" "$verdict"
    echo "$op,$unit,$v,$x,$ratio" >>"$out/results.csv"
done < <(results "$out/xl.log")
echo "targets missed: $missed"

echo "tree_mib,xen_like,xen_4_17" >"$out/pin.csv"
for mib in 64 256 1024 2048 4096; do
    a=$(value "$out/xl.log" "pin_unpin_${mib}M") b=$(value "$out/xen.log" "pin_unpin_${mib}M")
    [[ -n $a && -n $b ]] && echo "$mib,$a,$b" >>"$out/pin.csv"
done

{
    echo "xen-like: $(tr -d '\r' <"$out/xl.log" | grep -oE '[0-9]+ bytes per frame' | head -1) (struct page_info)"
    echo "xen-like: $(tr -d '\r' <"$out/xl.log" | sed -n 's/^(XEN) Memory footprint: //p' | head -1)"
    echo "Xen 4.17: prints neither at boot (its x86 struct page_info is 32 bytes too, in its source)"
} >"$out/facts.txt"
echo
cat "$out/facts.txt"
echo
plot ratio bench.svg
plot pin scaling-pin.svg
