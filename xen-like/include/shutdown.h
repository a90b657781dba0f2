/*
 * shutdown.h - how a run ends.
 *
 * When the last domain has shut down (or the hypervisor must stop), the
 * reason is printed and the machine powers off.  Under QEMU with
 *   -device isa-debug-exit,iobase=0xf4,iosize=0x04
 * the value written to port 0xf4 becomes QEMU's exit status (value*2+1):
 *
 *   STOP_POWEROFF      0x10 -> 33   last domain powered off
 *   STOP_REBOOT        0x11 -> 35   last domain asked for a reboot
 *   STOP_CRASH         0x12 -> 37   last domain crashed
 *   STOP_PANIC         0x13 -> 39   hypervisor panic (a bug in xen-like)
 *   STOP_BOOT_REFUSED  0x14 -> 41   boot input refused (bad ELF, no module...)
 *
 * Without that device the ACPI power-off of QEMU's PC machine is tried,
 * then the CPU halts.  `noreboot` only matters for a reboot request:
 * without it a reboot request resets the machine, as on Xen.
 */
#ifndef XL_SHUTDOWN_H
#define XL_SHUTDOWN_H

enum stop_reason {
    STOP_POWEROFF = 0x10,
    STOP_REBOOT = 0x11,
    STOP_CRASH = 0x12,
    STOP_PANIC = 0x13,
    STOP_BOOT_REFUSED = 0x14,
};

void machine_stop(enum stop_reason why, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

#endif
