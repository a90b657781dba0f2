#!/usr/bin/env bash
# qemu-run.sh LOG TIMEOUT [MARKER] [--] QEMU COMMAND LINE...
#
# Runs ONE QEMU and decides when the run is over.  QEMU is started in the
# background with stdin from /dev/null and stdout+stderr appended to LOG
# (give it `-serial stdio` so the serial console lands there; `-serial
# file:...` works too).  The run ends at the first of:
#
#   QEMU exits by itself       -> prints EXIT:<status>   (xen-like's
#                                 isa-debug-exit, -no-reboot resets, errors)
#   MARKER (an extended regex) -> prints MARKER          (real Xen never
#      appears in LOG                                     exits; it prints a
#                                                         last line and spins)
#   TIMEOUT seconds pass       -> prints TIMEOUT
#
# and then only this QEMU, by its PID, is stopped (TERM, then KILL).  MARKER
# is optional: pass "" or leave it out and put `--` before the command.
#
# Output: the status word on stdout (one line).  Exit status: QEMU's own for
# EXIT:<n>, 0 for MARKER, 124 for TIMEOUT (as timeout(1)).  Timing goes to
# LOG.stats as key=value lines:
#   status=...           the status word
#   first_byte_s=...     QEMU start -> first byte in LOG
#   first_output_s=...   QEMU start -> first match of $QEMU_RUN_FIRST_RE
#                        (default: the guest's "KTAP version" line)
#   end_s=...            QEMU start -> end of run
# The log is polled every $QEMU_RUN_POLL seconds (default 0.01), so times
# are good to about that much.
set -euo pipefail

usage() {
    echo "usage: $0 LOG TIMEOUT [MARKER] [--] QEMU ARGS..." >&2
    exit 2
}
[[ $# -ge 3 ]] || usage
log=$1 timeout=$2
shift 2
marker=
if [[ $1 == -- ]]; then
    shift
else
    marker=$1
    shift
    [[ ${1:-} == -- ]] && shift
fi
[[ $# -ge 1 ]] || usage
[[ $timeout =~ ^[0-9]+$ ]] || usage

first_re=${QEMU_RUN_FIRST_RE:-KTAP version}
poll=${QEMU_RUN_POLL:-0.01}
grace=${QEMU_RUN_GRACE:-0.2}   # after MARKER: let the last lines arrive

mkdir -p "$(dirname "$log")"
: >"$log"

secs() { printf '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000)); }

# Sleeping without forking an external `sleep`: wait for input that never
# comes on a pipe we hold both ends of.
exec {nap_fd}<> <(:)
nap() { read -r -t "$1" -u "$nap_fd" _ || true; }
now_us() { now=${EPOCHREALTIME/[.,]/}; }   # microseconds (bash >= 5)

# `cmd &` forks once and execs cmd, so $! is QEMU's own PID (the oracle's
# wrapper script execs QEMU as well).
t0=${EPOCHREALTIME/[.,]/}
"$@" </dev/null >>"$log" 2>&1 &
pid=$!

# A process that has exited stays a zombie until we `wait` for it, and
# kill -0 still succeeds on a zombie: look at its state instead.
alive() {
    local stat
    [[ -r /proc/$pid/stat ]] || return 1
    { read -r stat </proc/$pid/stat; } 2>/dev/null || return 1
    stat=${stat##*) }           # drop "pid (comm) "
    [[ ${stat%% *} != Z ]]
}

stop_qemu() {
    alive || return 0
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 200; i++)); do
        alive || return 0
        nap 0.01
    done
    kill -KILL "$pid" 2>/dev/null || true
}
trap 'stop_qemu' EXIT
trap 'exit 130' INT TERM

# The watch loop below forks nothing: the log is read through its own file
# descriptor as it grows, line by line, and matched with bash's =~, so
# polling often costs almost nothing and does not slow QEMU down.
exec {log_fd}<"$log"

# scan: consume what QEMU wrote since the last call; set saw_marker.
partial='' saw_marker=''
scan() {
    local line
    while :; do
        line=
        if IFS= read -r -u "$log_fd" line 2>/dev/null; then
            line=$partial$line
            partial=
        else
            partial+=$line          # a line still being written
            line=$partial
            [[ -n $line ]] || return 0
        fi
        [[ -z $first_byte ]] && first_byte=$((now - t0))
        if [[ -z $first_output && $line =~ $first_re ]]; then
            first_output=$((now - t0))
        fi
        if [[ -n $marker && $line =~ $marker ]]; then
            saw_marker=1
        fi
        [[ -z $partial ]] || return 0
    done
}

deadline=$((t0 + timeout * 1000000))
first_byte='' first_output='' status=''
while :; do
    now_us
    scan
    if ! alive; then
        rc=0
        wait "$pid" || rc=$?
        status=EXIT:$rc
        break
    fi
    if [[ -n $saw_marker ]]; then
        nap "$grace"
        status=MARKER
        break
    fi
    if ((now >= deadline)); then
        status=TIMEOUT
        break
    fi
    nap "$poll"
done
now_us
scan
end=$((now - t0))
stop_qemu
trap - EXIT
wait "$pid" 2>/dev/null || true

{
    echo "status=$status"
    echo "first_byte_s=${first_byte:+$(secs "$first_byte")}"
    echo "first_output_s=${first_output:+$(secs "$first_output")}"
    echo "end_s=$(secs "$end")"
} >"$log.stats"

echo "$status"
case $status in
    EXIT:*)  exit "${status#EXIT:}" ;;
    MARKER)  exit 0 ;;
    TIMEOUT) exit 124 ;;
esac
