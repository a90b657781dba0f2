/*
 * kernel.h - what every part of the guest kernel shares.
 *
 * The guest is a 64-bit paravirtualised (PV) kernel: it runs in ring 3 on
 * page tables the hypervisor checks, and asks the hypervisor (through the
 * hypercall page, see <guest-hypercall.h>) for anything privileged.  At
 * boot the hypervisor hands it one page of facts, start_info, and maps one
 * more page it can ask for, shared_info.
 *
 * Vocabulary used throughout (Xen's):
 *   pfn   pseudo-physical frame number: the guest's own idea of "physical"
 *         memory, 0 .. nr_pages-1, contiguous;
 *   mfn   machine frame number: the real frame in host RAM;
 *   gfn   guest frame number: what the guest puts in page tables and
 *         hypercalls; for a PV guest that is the mfn;
 *   P2M   the guest's table pfn -> mfn (start_info->mfn_list);
 *   M2P   the hypervisor's table mfn -> pfn, mapped read-only for every
 *         guest at machine_to_phys_mapping.
 */
#ifndef GUEST_KERNEL_H
#define GUEST_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <stdnoreturn.h>
#include "xen-abi.h"

/* The link address of the image, from guest.ld (pfn 0 is mapped here). */
extern char __virt_base[], __image_start[], __image_end[];
#define VIRT_BASE ((unsigned long)__virt_base)

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Set by start_kernel() before anything else runs. */
extern start_info_t *start_info;   /* from the hypervisor, in rsi at entry */
extern unsigned long boot_rsp;     /* the stack pointer we were started with */
extern uint64_t boot_tsc;          /* head.S: rdtsc at _start */

/* head.S: the page we map shared_info over, see shared_info.c. */
extern char shared_info_page[PAGE_SIZE];
extern shared_info_t *HYPERVISOR_shared_info;   /* NULL until mapped */

void map_shared_info(void);
vcpu_info_t *this_vcpu(void);

/* Leave: flush the console and ask the hypervisor to end this domain. */
noreturn void shutdown(unsigned int reason);    /* SHUTDOWN_* */

/* Print "Bail out! ..." and a failing result, then crash the domain. */
noreturn void panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* The boot modes, chosen by a word on the kernel command line. */
int hello_main(void);
/* tests/conformance/boot_abi.c: hello's boot-ABI cases (abi.h), ending
 * with { NULL, NULL }. */
struct abi_case;
const struct abi_case *boot_abi_cases(void);
int crash_main(void);
int abi_main(void);             /* abi.c: one case per hypercall/CPU rule */
int mmu_main(void);             /* mmu.c: one case per PV-MMU rule */
int xsa_main(void);             /* xsa.c: PV-MMU advisory regressions */
int nohandler_main(void);       /* fatal.c: faults that must crash the domain */
int badstack_main(void);
int rostack_main(void);
int badiret_main(void);
int faultloop_main(void);        /* fatal_stack.c */
int stackoverflow_main(void);
int hcfuzz_main(void);           /* hcfuzz.c: hostile hypercall arguments */
int timer_main(void);            /* tests/conformance/timer.c: timers, event channels */
int spin_main(void);             /* events.c: never yields */
int reaper_main(void);           /* events.c: dom0 ends domain 1 mid-run */
int attack_main(void);           /* attack.c: cross-domain attempts, all refused */
int echo_main(void);             /* echo.c: one line of console input */

uint64_t now_ns(void);           /* events.c: system time from vcpu_time_info */
/* events.c: an event-channel port's pending bit; block until it is set. */
bool port_pending(unsigned int port);
void port_clear(unsigned int port);
bool wait_port(unsigned int port);

extern unsigned long events_delivered;   /* traps.c */
int init_main(void);            /* initmode.c: a kernel with user processes */
int bench_main(void);           /* bench.c: instruction counts per operation */
int gnttab_main(void);          /* tests/conformance/gnttab.c: grant-table rules */
int gntdemo_main(void);         /* gntdemo.c: one domU maps another's page */

#endif
