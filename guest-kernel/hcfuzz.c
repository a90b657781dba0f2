/*
 * hcfuzz.c - the `hcfuzz [seed=N] [calls=N]` boot mode: a hostile guest.
 *
 * It makes `calls` hypercalls (default 3000) chosen by a PRNG from `seed`
 * (default 1), every argument drawn from values that break naive
 * hypervisors: NULL and small pointers, misaligned and page-crossing
 * pointers, unmapped, non-canonical and hypervisor-area addresses, huge
 * counts, all-ones, the top bit, special domids, and, so that some calls
 * get past the first check, a page of our own full of random words and its
 * machine address.  The hypervisor must answer each one with a result
 * (any error code) and stay up; the guest then reports what it saw and
 * powers off.  A hypervisor that hangs, panics or crashes this domain
 * fails the run.
 *
 * Left out, because a well-behaved hypervisor would rightly end the
 * domain (a state no one could be told about): iret (a garbage frame),
 * sched_op other than yield (shutdown), set_callbacks and set_segment_base
 * (garbage handlers and bases we would then run on), and NEW_BASEPTR on
 * our zeroed page (an empty address space is a valid one).
 * set_trap_table, callback_op and console_io get only pointers nothing can
 * read (a readable one would install garbage handlers, or print garbage).
 * Everything a guest can reach through update_va_mapping goes through one
 * spare VA.
 */
#include "kernel.h"
#include "console.h"
#include "ktap.h"
#include "lib.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

static uint64_t rng;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned long scratch;       /* pfn of our page of random words */

static uint64_t hostile(void)
{
    const uint64_t sva = (uint64_t)mt_va(scratch), sma = mt_ma(scratch);
    const uint64_t v[] = {
        0, 1, 2, 3, 7, 8, 0xfff, 0x1000, 0x200000, 0x7fffffff, 0x80000000,
        0xffffffff, 0x100000000UL, ~0UL, ~0UL << 12, 1UL << 63,
        0x00007ffffffff000UL, 0x0000800000000000UL, 0xffff800000000000UL,
        0xffff830000000000UL, 0xffff82d080000000UL,
        sva, sva + 3, sva + 4093, sva + 4096 - 8, sma, sma | 1, sma | 2, sma + 4,
        WIN_VA, DOMID_SELF, DOMID_IO, DOMID_XEN, DOMID_INVALID, 1, 77,
    };
    uint64_t r = next();

    return (r & 7) == 0 ? next() : v[(r >> 3) % ARRAY_SIZE(v)];
}

/* The hypercalls a guest may call with garbage and live to tell. */
static const struct { unsigned int nr, nargs; } calls[] = {
    { __HYPERVISOR_mmu_update, 4 },     { __HYPERVISOR_set_gdt, 2 },
    { __HYPERVISOR_stack_switch, 2 },   { __HYPERVISOR_fpu_taskswitch, 1 },
    { __HYPERVISOR_update_descriptor, 2 }, { __HYPERVISOR_memory_op, 2 },
    { __HYPERVISOR_multicall, 2 },      { __HYPERVISOR_update_va_mapping, 3 },
    { __HYPERVISOR_set_timer_op, 1 },   { __HYPERVISOR_xen_version, 2 },
    { __HYPERVISOR_vm_assist, 2 },
    { __HYPERVISOR_update_va_mapping_otherdomain, 4 },
    { __HYPERVISOR_vcpu_op, 3 },        { __HYPERVISOR_mmuext_op, 4 },
    { __HYPERVISOR_event_channel_op, 2 }, { __HYPERVISOR_sched_op, 2 },
    { 11, 5 }, { 40, 5 }, { 63, 5 },    /* no such hypercall */
    /* These three only ever get pointers nothing can read (below). */
    { __HYPERVISOR_set_trap_table, 1 }, { __HYPERVISOR_callback_op, 2 },
    { __HYPERVISOR_console_io, 3 },
};

/* An address no guest can read: unmapped, non-canonical, Xen's, the top. */
static uint64_t unreadable(void)
{
    const uint64_t v[] = {
        0x1000, 0x7ffffffff000UL, 0x0000800000000000UL, 0xffff800000000000UL,
        0xffff82d080000000UL, ~0UL << 12, 1UL << 63, 0x8000000000000ff8UL,
    };

    return v[next() % ARRAY_SIZE(v)];
}

static unsigned long results[8];    /* 0, >0, then -errno buckets */

static void tally(long rc)
{
    unsigned int b = rc == 0 ? 0 : rc > 0 ? 1 : rc == -XEN_EINVAL ? 2 :
                     rc == -XEN_EFAULT ? 3 : rc == -XEN_ENOSYS ? 4 :
                     rc == -XEN_EPERM ? 5 : rc == -XEN_EBUSY ? 6 : 7;

    results[b]++;
}

static long one(void)
{
    unsigned int i = next() % ARRAY_SIZE(calls);
    uint64_t a[5];

    for (int k = 0; k < 5; k++)
        a[k] = hostile();
    switch (calls[i].nr) {
    case __HYPERVISOR_update_va_mapping:
    case __HYPERVISOR_update_va_mapping_otherdomain:
        if ((uint64_t)a[0] >= VIRT_BASE && (uint64_t)a[0] < (uint64_t)mt_va(mt_end_pfn) + (2UL << 20))
            a[0] = WIN_VA;          /* only the spare VA of our own space */
        break;
    case __HYPERVISOR_mmuext_op:
        /* One op in our page; NEW_BASEPTR of a zeroed page would empty
         * our address space, which is legal. */
        if (a[0] == (uint64_t)mt_va(scratch) || a[0] + 4 == (uint64_t)mt_va(scratch) + 4096)
            a[1] = a[1] % 64;
        break;
    case __HYPERVISOR_sched_op:
        a[0] = SCHEDOP_yield;
        break;
    case __HYPERVISOR_set_trap_table:   /* NULL would clear our handlers */
        a[0] = unreadable();
        break;
    case __HYPERVISOR_callback_op:      /* a readable one could install garbage */
        a[1] = unreadable();
        break;
    case __HYPERVISOR_console_io:       /* a readable one prints garbage */
        a[2] = unreadable();
        break;
    }
    return xen_hypercall(calls[i].nr, a[0], a[1], a[2], a[3], a[4]);
}

int hcfuzz_main(void)
{
    const char *cmd = (const char *)start_info->cmd_line;
    unsigned long seed = 1, n = 3000;
    char w[24];

    word_value(cmd, "seed=", w, sizeof(w));
    if (w[0])
        seed = simple_strtoul(w, NULL, 0);
    word_value(cmd, "calls=", w, sizeof(w));
    if (w[0])
        n = simple_strtoul(w, NULL, 0);
    rng = seed * 0x9e3779b97f4a7c15UL | 1;

    ktap_begin(2);
    printk("# guest-kernel hcfuzz: %lu hostile hypercalls, seed %lu\n", n, seed);
    mt_init();
    scratch = mt_alloc();
    for (unsigned int i = 0; i < 512; i++)
        ((uint64_t *)mt_va(scratch))[i] = next();
    ktap_case("hcfuzz_setup", mt_take());

    for (unsigned long k = 0; k < n; k++) {
        /* Keep the page hostile: earlier calls may have changed it. */
        ((uint64_t *)mt_va(scratch))[next() % 512] = next();
        tally(one());
        mt_win_restore();
    }
    printk("# hcfuzz results: 0:%lu >0:%lu EINVAL:%lu EFAULT:%lu ENOSYS:%lu EPERM:%lu "
           "EBUSY:%lu other:%lu\n", results[0], results[1], results[2], results[3],
           results[4], results[5], results[6], results[7]);
    ktap_case("hcfuzz_survived_every_call", NULL);
    return (int)ktap_end();
}
