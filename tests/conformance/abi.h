/*
 * abi.h - the "abi" boot mode: one KTAP case per rule of the hypercall
 * and CPU ABI, checked against what real Xen 4.17 answers.
 *
 * Each abi_*.c file holds the cases of one topic in a table ending with
 * { NULL, NULL }; abi.c runs the tables in order.  Cases in a table may
 * build on the ones before them (set_gdt needs the frame made read-only
 * first), so the order inside a table matters.
 *
 * A case returns NULL when it passes, or the reason it failed.  Every
 * return code it observes is also printed as "# fact abi.<key>=<value>",
 * so that compare-facts.sh shows each disagreement between real Xen and
 * xen-like by name, not only a failed case.  The expected values are the
 * ones real Xen 4.17.7 gave (dom0, dom0_mem=32M); where they differ from
 * what the reference text predicts, a comment says so.
 */
#ifndef GUEST_ABI_H
#define GUEST_ABI_H

#include <stdbool.h>
#include "conf.h"

struct abi_case {
    const char *name;
    const char *(*run)(void);
};

extern const struct abi_case abi_hypercall_cases[];   /* abi_hypercall.c */
extern const struct abi_case abi_callback_cases[];    /* abi_callback.c */
extern const struct abi_case abi_segment_cases[];     /* abi_segment.c */
extern const struct abi_case abi_gdt_cases[];         /* abi_gdt.c */
extern const struct abi_case abi_memory_cases[];      /* abi_memory.c */
extern const struct abi_case abi_uvm_cases[];         /* abi_uvm.c */
extern const struct abi_case abi_int_cases[];         /* abi_int.c */
extern const struct abi_case abi_cpu_cases[];         /* abi_cpu.c */

/*
 * Print "# fact abi.<key>=<rc>" and compare rc with want (0 or -XEN_E*).
 * Returns NULL if equal, else a reason naming both values.
 */
const char *expect_rc(const char *key, long rc, long want);

/* Print "# fact abi.<key>=<formatted value>". */
void abi_fact(const char *key, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
