/*
 * shutdown.c - machine_stop() and panic(): the two ways a run ends.
 */
#include <stdarg.h>
#include "cmdline.h"
#include "console.h"
#include "panic.h"
#include "shutdown.h"
#include "traps.h"
#include "x86.h"

static void __attribute__((noreturn)) power_off(enum stop_reason why)
{
    local_irq_disable();
    outl(0xf4, why);                         /* isa-debug-exit, if present */
    if ( why == STOP_REBOOT && !opt_noreboot )
        outb(0x64, 0xfe);                    /* keyboard-controller reset */
    outw(0x604, 0x2000);                     /* QEMU PC ACPI power-off */
    for ( ;; )
        halt();
}

void machine_stop(enum stop_reason why, const char *fmt, ...)
{
    va_list ap;

    printk("xen-like stopping: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    power_off(why);
}

void panic(const char *fmt, ...)
{
    static bool in_panic;
    va_list ap;

    local_irq_disable();
    if ( in_panic )
        power_off(STOP_PANIC);
    in_panic = true;
    printk("\n****************************************\n");
    printk("Panic: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n****************************************\n");
    show_backtrace(read_rbp());
    power_off(STOP_PANIC);
}
