/*
 * crash.c - the "crash" boot mode: fault on purpose, with no fixup.
 *
 * It exists to test the test harness: the guest starts a KTAP report,
 * then reads an unmapped address.  do_trap() finds no fixup, prints
 * "Bail out!" and crashes the domain (SHUTDOWN_crash).  The harness must
 * call this run a CRASH (missing results) and see the domain crash: QEMU
 * exit 37 on xen-like, "Hardware Dom0 crashed" on real Xen.
 */
#include "kernel.h"
#include "console.h"
#include "ktap.h"

int crash_main(void)
{
    volatile unsigned long *unmapped = (volatile unsigned long *)0x1000;

    ktap_begin(1);
    printk("# guest-kernel crash: reading %p without a fixup\n",
           (void *)unmapped);
    (void)*unmapped;
    ktap_case("survived_unexpected_fault", "the read did not fault");
    return (int)ktap_end();
}
