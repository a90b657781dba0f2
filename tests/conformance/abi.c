/*
 * abi.c - the "abi" boot mode: run every table of ABI cases (abi.h) and
 * report them as one KTAP plan.
 *
 * The facts printed along the way are the return codes and values real
 * Xen 4.17 gives; compare-facts.sh diffs them against xen-like's log.
 */
#include <stdarg.h>
#include "kernel.h"
#include "console.h"
#include "ktap.h"
#include "lib.h"
#include "abi.h"

static const struct abi_case *const tables[] = {
    abi_hypercall_cases,        /* numbers, console_io, xen_version, vm_assist, sched_op */
    abi_callback_cases,         /* callback_op, set_callbacks, set_trap_table, stack_switch */
    abi_segment_cases,          /* set_segment_base, update_descriptor */
    abi_gdt_cases,              /* set_gdt and the frame's type */
    abi_memory_cases,           /* memory_op */
    abi_uvm_cases,              /* update_va_mapping */
    abi_int_cases,              /* int $n, forced emulation */
    abi_cpu_cases,              /* control registers, FPU */
};

void abi_fact(const char *key, const char *fmt, ...)
{
    char full[64], value[160];
    va_list ap;

    snprintf(full, sizeof(full), "abi.%s", key);
    va_start(ap, fmt);
    vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    ktap_fact(full, "%s", value);
}

const char *expect_rc(const char *key, long rc, long want)
{
    abi_fact(key, "%ld", rc);
    if (rc == want)
        return NULL;
    return ktap_reason("returned %ld (%s), Xen 4.17 gives %ld (%s)",
                       rc, xen_errname(rc), want, xen_errname(want));
}

int abi_main(void)
{
    unsigned int n = 0;

    for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
        for (const struct abi_case *c = tables[t]; c->name; c++)
            n++;

    ktap_begin(n);
    printk("# guest-kernel abi: hypercall and CPU rules, as Xen 4.17 answers them\n");
    for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
        for (const struct abi_case *c = tables[t]; c->name; c++) {
            const char *r = c->run();
            const char *first = conf_take();

            ktap_case(c->name, r ? r : first);
        }
    return (int)ktap_end();
}
