# shellcheck shell=bash disable=SC2034  # variables are for the includers
# exit-codes.sh - shell include: how a boot ends, in one place.
#
#   . tests/harness/exit-codes.sh
#
# xen-like ends a run by writing a value to QEMU's isa-debug-exit device
# (port XENLIKE_DEBUG_EXIT_PORT).  QEMU then exits with status
# (value << 1) | 1, so every value below has an odd, distinctive exit code.
# The hypervisor's C code uses the same values; docs/testing.md has the
# table.  Real Xen has no such device: it prints a last message and spins,
# so the runner watches the serial log for XEN_END_MARKERS instead and kills
# its QEMU.  outcome_of_exit and outcome_of_log turn both into the same words:
#
#   poweroff   the (last) guest shut down with SHUTDOWN_poweroff
#   reboot     the guest asked for SHUTDOWN_reboot
#   crash      the (last) guest crashed (SHUTDOWN_crash or a fatal fault)
#   panic      the hypervisor itself gave up
#   refused    the hypervisor refused to build dom0 (bad image, no module)
#   reset      QEMU exited with 0: a triple fault or reset (-no-reboot)
#   timeout    nothing ended the run within its time limit
#   exit:N     any other QEMU exit status (QEMU error, killed, ...)

# The device, as given to QEMU: -device "$XENLIKE_DEBUG_EXIT_DEVICE".
XENLIKE_DEBUG_EXIT_PORT=0xf4
XENLIKE_DEBUG_EXIT_DEVICE="isa-debug-exit,iobase=0xf4,iosize=0x04"

# Values written to the port ...
XENLIKE_EXIT_VALUE_POWEROFF=0x10
XENLIKE_EXIT_VALUE_REBOOT=0x11
XENLIKE_EXIT_VALUE_CRASH=0x12
XENLIKE_EXIT_VALUE_PANIC=0x13
XENLIKE_EXIT_VALUE_REFUSED=0x14

# ... and the QEMU exit statuses they become: (value << 1) | 1.
XENLIKE_EXIT_POWEROFF=33
XENLIKE_EXIT_REBOOT=35
XENLIKE_EXIT_CRASH=37
XENLIKE_EXIT_PANIC=39
XENLIKE_EXIT_REFUSED=41

# Real Xen 4.17's last words (xen/common/shutdown.c, xen/drivers/char/console.c
# panic()), as one extended regex for qemu-run.sh.
XEN_END_MARKERS='Hardware Dom0 halted|Hardware Dom0 crashed|Hardware Dom0 shutdown|Manual reset required|Reboot in five seconds'

# outcome_of_exit CODE: the outcome word for a QEMU exit status.
outcome_of_exit() {
    case $1 in
        "$XENLIKE_EXIT_POWEROFF") echo poweroff ;;
        "$XENLIKE_EXIT_REBOOT")   echo reboot ;;
        "$XENLIKE_EXIT_CRASH")    echo crash ;;
        "$XENLIKE_EXIT_PANIC")    echo panic ;;
        "$XENLIKE_EXIT_REFUSED")  echo refused ;;
        0)                        echo reset ;;
        *)                        echo "exit:$1" ;;
    esac
}

# outcome_of_log LOG: the outcome word for a real-Xen log that ended with
# one of XEN_END_MARKERS (the first marker in the log wins).
outcome_of_log() {
    local line
    line=$(grep -m1 -aoE "$XEN_END_MARKERS|Panic on CPU" "$1" || true)
    case $line in
        "Hardware Dom0 halted")   echo poweroff ;;
        "Hardware Dom0 shutdown") echo reboot ;;
        "Hardware Dom0 crashed")  echo crash ;;
        "")                       echo unknown ;;
        *)                        echo panic ;;
    esac
}

# outcome_of_status STATUS LOG: the outcome for a qemu-run.sh status word.
outcome_of_status() {
    case $1 in
        EXIT:*)  outcome_of_exit "${1#EXIT:}" ;;
        MARKER)  outcome_of_log "$2" ;;
        TIMEOUT) echo timeout ;;
        *)       echo "unknown:$1" ;;
    esac
}
