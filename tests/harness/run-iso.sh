#!/usr/bin/env bash
# run-iso.sh ISO [LOG] - boot a GRUB ISO (from mkiso.sh) in QEMU and watch.
#
# Used by `make run`.  The serial console is shown on the terminal as it
# arrives and kept in LOG (default: the ISO's name with .log).  QEMU has an
# isa-debug-exit device, so xen-like ends the run itself; a run of real Xen
# ends at its last message (exit-codes.sh).  Ctrl-C stops the run.
#
# Environment: QEMU (build/oracle/qemu if present, else qemu-system-x86_64),
# QEMU_TIMEOUT (300 s), QEMU_MEM (256M), QEMU_CPU (qemu64), QEMU_SMP (1),
# QEMU_EXTRA (more arguments, split on spaces).
#
# Exit status: 0 when the guest powered off; otherwise the status of the
# run (37 crash, 39 panic, 124 timeout, ...) and a line saying what ended it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/exit-codes.sh"

[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: $0 ISO [LOG]" >&2; exit 2; }
iso=$1
log=${2:-${iso%.iso}.log}
[[ -f $iso ]] || { echo "run-iso.sh: no such file: $iso" >&2; exit 2; }

qemu=${QEMU:-$root/build/oracle/qemu}
[[ -x $qemu ]] || command -v "$qemu" >/dev/null || qemu="qemu-system-x86_64"
args=(-nodefaults -display none -no-reboot -serial stdio
      -device "$XENLIKE_DEBUG_EXIT_DEVICE"
      -accel tcg -cpu "${QEMU_CPU:-qemu64}" -m "${QEMU_MEM:-256M}"
      -smp "${QEMU_SMP:-1}" -cdrom "$iso" -boot d)
# shellcheck disable=SC2206
[[ -n ${QEMU_EXTRA:-} ]] && args+=($QEMU_EXTRA)

echo "run-iso.sh: $qemu ${args[*]}" >&2
echo "run-iso.sh: serial log in $log" >&2

# The runner owns QEMU (and kills it by PID); we only follow the log.
bash "$here/qemu-run.sh" "$log" "${QEMU_TIMEOUT:-300}" "$XEN_END_MARKERS" -- \
    "$qemu" "${args[@]}" >"$log.status" &
runner=$!
trap 'kill -TERM "$runner" 2>/dev/null || true' INT TERM
sleep 0.1
tail -n +1 -F -s 0.1 --pid="$runner" "$log" 2>/dev/null || true
rc=0
wait "$runner" || rc=$?
trap - INT TERM

status=$(cat "$log.status" 2>/dev/null || true)
outcome=$(outcome_of_status "${status:-none}" "$log")
echo "run-iso.sh: $outcome ($status)" >&2
case $outcome in
    poweroff) exit 0 ;;
    crash)    exit "$XENLIKE_EXIT_CRASH" ;;
    panic)    exit "$XENLIKE_EXIT_PANIC" ;;
    refused)  exit "$XENLIKE_EXIT_REFUSED" ;;
    reboot)   exit "$XENLIKE_EXIT_REBOOT" ;;
    timeout)  exit 124 ;;
    *)        exit $((rc ? rc : 1)) ;;
esac
