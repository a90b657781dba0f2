#!/usr/bin/env bash
# boot.sh [OPTIONS] LOG HYPERVISOR "HV CMDLINE" GUEST "GUEST CMDLINE" [GUEST "CMDLINE"]...
#
# Boots HYPERVISOR with GUEST as its first multiboot module (dom0 for real
# Xen) in QEMU (TCG), serial console into LOG, and says how the run ended.
# Works the same for xen-like (build/xen-like) and real Xen
# (build/oracle/xen-4.17.elf for the direct path, .gz for --iso).
#
#   direct (default)  qemu -kernel HYPERVISOR -append "HV CMDLINE"
#                          -initrd "GUEST GUEST-CMDLINE"
#                     Multiboot1: the module string starts with the file
#                     name, which Xen drops; the guest sees GUEST-CMDLINE.
#                     Commas separate QEMU -initrd modules: no ',' in args.
#   --iso             GRUB from an ISO built by mkiso.sh (multiboot2), kept
#                     next to LOG as LOG.iso.
#
# Options:
#   --timeout S     give up after S seconds (60)
#   --qemu PATH     build/oracle/qemu if present, else qemu-system-x86_64
#   --cpu CPU       qemu64 (with --icount, QEMU 10 stops on -cpu max with
#                   "Bad icount read", through x2APIC timer accesses)
#   --mem SIZE      512M
#   --smp N         1
#   --icount        add `-icount shift=7,sleep=off -rtc clock=vm`: real Xen's
#                   wait for the CMOS clock then runs in virtual time
#   --icount-shift N  the same with shift=N; shift=0 makes the guest's TSC
#                   advance by one per executed instruction (tests/bench/)
#   --extra ARGS    more QEMU arguments (split on spaces)
#   --input FILE    type FILE's bytes on the serial line (QEMU reads them
#                   as fast as the UART takes them; the hypervisor's UART
#                   reset may eat the first byte, so start FILE with one
#                   that does not matter, such as a newline)
#   --input-after RE  with --input: type FILE only once a line of LOG
#                   matches the extended regex RE (the keys then reach a
#                   running system; the bytes go through a FIFO, LOG.in,
#                   written by a helper this script starts and stops)
#
# Prints one line: OUTCOME STATUS first_output=Ns end=Ns, where OUTCOME is a
# word from exit-codes.sh (poweroff, crash, panic, timeout, ...).
# Exit status 0 iff OUTCOME is poweroff.  Use ktap.sh LOG for the verdict.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/exit-codes.sh"

iso=0 timeout=60 cpu=qemu64 mem=512M smp=1 icount=0 shift=7 extra= input= input_after=
qemu=$root/build/oracle/qemu
[[ -x $qemu ]] || qemu="qemu-system-x86_64"
while [[ $# -gt 0 && $1 == --* ]]; do
    case $1 in
        --iso)     iso=1; shift ;;
        --icount)  icount=1; shift ;;
        --icount-shift) icount=1; shift=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --qemu)    qemu=$2; shift 2 ;;
        --cpu)     cpu=$2; shift 2 ;;
        --mem)     mem=$2; shift 2 ;;
        --smp)     smp=$2; shift 2 ;;
        --extra)   extra=$2; shift 2 ;;
        --input)   input=$2; shift 2 ;;
        --input-after) input_after=$2; shift 2 ;;
        *) echo "boot.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ $# -ge 5 && $(( ($# - 5) % 2 )) -eq 0 ]] || {
    echo "usage: $0 [--iso] [--timeout S] [--qemu Q] [--cpu C] [--mem M] [--smp N] [--icount] [--extra ARGS] [--input FILE [--input-after RE]] LOG HYPERVISOR \"HV CMDLINE\" GUEST \"GUEST CMDLINE\"" >&2
    exit 2
}
log=$1 hv=$2 hv_cmdline=$3 guest=$4 guest_cmdline=$5
shift 5
more=("$@")          # further GUEST "CMDLINE" pairs: more modules (domU ...)

serial=(-serial stdio)
writer=
if [[ -n $input ]]; then
    [[ -r $input && $input$log != *,* ]] || { echo "boot.sh: bad --input $input" >&2; exit 2; }
    in_path=$input
    if [[ -n $input_after ]]; then
        # QEMU opens the FIFO for reading at start (meeting the helper's
        # open for writing); the helper waits for RE in the log, types the
        # file, and holds the FIFO open until it is stopped below.
        in_path=$log.in
        rm -f "$in_path"
        mkfifo "$in_path"
        (
            exec 3>"$in_path"
            end=$((SECONDS + timeout))
            until tr -d '\r' <"$log" 2>/dev/null | grep -qE -- "$input_after"; do
                ((SECONDS < end)) || exit 0
                sleep 0.05
            done
            cat "$input" >&3
            exec sleep "$timeout"
        ) &
        writer=$!
    fi
    # Output still goes to LOG (qemu-run.sh empties it first; append keeps it).
    serial=(-chardev "file,id=con,path=$log,append=on,input-path=$in_path" -serial chardev:con)
fi
args=(-nodefaults -display none -no-reboot "${serial[@]}"
      -device "$XENLIKE_DEBUG_EXIT_DEVICE"
      -accel tcg -cpu "$cpu" -m "$mem" -smp "$smp")
((icount)) && args+=(-icount "shift=$shift,sleep=off" -rtc "clock=vm")
if ((iso)); then
    bash "$here/mkiso.sh" "$log.iso" "$hv" "$hv_cmdline" "$guest" "$guest_cmdline" "${more[@]}"
    args+=(-cdrom "$log.iso" -boot d)
else
    [[ $guest$guest_cmdline${more[*]} != *,* ]] || { echo "boot.sh: no ',' allowed in the direct path" >&2; exit 2; }
    initrd="$guest${guest_cmdline:+ $guest_cmdline}"
    for ((i = 0; i < ${#more[@]}; i += 2)); do
        initrd+=",${more[i]}${more[i+1]:+ ${more[i+1]}}"
    done
    args+=(-kernel "$hv" -append "$hv_cmdline" -initrd "$initrd")
fi
# shellcheck disable=SC2206
[[ -n $extra ]] && args+=($extra)

status=$(bash "$here/qemu-run.sh" "$log" "$timeout" "$XEN_END_MARKERS" -- \
         "$qemu" "${args[@]}") || true
if [[ -n $writer ]]; then
    kill -- "$writer" 2>/dev/null || true
    wait "$writer" 2>/dev/null || true
    rm -f "$log.in"
fi
outcome=$(outcome_of_status "$status" "$log")
first=$(sed -n 's/^first_output_s=//p' "$log.stats")
end=$(sed -n 's/^end_s=//p' "$log.stats")
echo "$outcome $status first_output=${first:-none}s end=${end}s"
[[ $outcome == poweroff ]]
