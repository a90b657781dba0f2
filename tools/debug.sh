#!/usr/bin/env bash
# debug.sh [BATCH-FILE] - `make debug`: xen-like and the guest kernel in
# QEMU, stopped at the first instruction (-S) with its gdbstub on
# 127.0.0.1:$DEBUG_PORT (1234 by default: what -s means), and gdb attached
# with both kernels' symbols (tools/gdb/xen-like.gdb has the helpers).
#
# Without BATCH-FILE gdb is interactive.  With one (`make debug
# GDB_BATCH=file`), gdb runs that file in batch mode, needing no terminal,
# and then stops QEMU; the gdb session goes to stdout.  Either way QEMU
# runs under tests/harness/boot.sh (timeout $DEBUG_TIMEOUT s, stopped by
# its PID) with the serial console in $DEBUG_LOG.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
batch=${1:-}
port=${DEBUG_PORT:-1234}
log=${DEBUG_LOG:-$root/build/debug/serial.log}
timeout=${DEBUG_TIMEOUT:-600}
xen_cmdline=${XEN_CMDLINE:-console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot dom0_mem=32M}
guest_cmdline=${GUEST_CMDLINE:-init}
xen=$root/build/xen-like.elf64
guest=$root/build/guest-kernel/guest-kernel
mkdir -p "$(dirname "$log")"

if ss -ltn 2>/dev/null | grep -q "127.0.0.1:$port "; then
    echo "debug.sh: port $port is in use; pick another with DEBUG_PORT=" >&2
    exit 2
fi

bash "$root/tests/harness/boot.sh" --timeout "$timeout" --extra "-S -gdb tcp:127.0.0.1:$port" \
    "$log" "$root/build/xen-like" "$xen_cmdline" "$guest" "$guest_cmdline" \
    >"$log.outcome" 2>&1 &
booter=$!

# Wait for the gdbstub to listen (QEMU starts in well under a second).
for _ in $(seq 100); do
    ss -ltn 2>/dev/null | grep -q "127.0.0.1:$port " && break
    sleep 0.05
done

gdb_args=(-q -nx
    -ex "set confirm off"
    -ex "file $xen"
    -ex "add-symbol-file $guest"
    -ex "source $root/tools/gdb/xen-like.gdb"
    -ex "target remote 127.0.0.1:$port")
rc=0
if [[ -n $batch ]]; then
    # `kill` ends QEMU through the gdbstub once the script is done.
    gdb "${gdb_args[@]}" -batch -x "$batch" -ex "kill" </dev/null || rc=$?
else
    gdb "${gdb_args[@]}" || rc=$?
fi
# boot.sh returns when QEMU is gone (gdb's kill) or at its timeout.
wait "$booter" || true
echo "debug.sh: QEMU run: $(cat "$log.outcome" | tail -1); serial console in ${log#"$root"/}"
exit $rc
