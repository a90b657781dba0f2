/*
 * sim.h - a simulated machine for the PV-MMU core (xen-like/mm/,
 * common/multicall.c) in the host test build.
 *
 * The core reaches the machine only through mm_env.h, guest_access.h,
 * console.h, page.h/mm.h and domain.h.  sim.c implements those over:
 *
 *   - SIM_FRAMES frames of page-aligned host memory (host_machine_base),
 *     a frame table (host_frame_table) and an M2P (host_m2p); the last
 *     SIM_MMIO_FRAMES frames are holes (not RAM) that play MMIO;
 *   - three domains built the way the domain builder leaves them: d0
 *     (privileged), d1 and d2 (unprivileged), each owning SIM_DOM_PAGES
 *     frames, all mapped at SIM_VIRT_BASE by a bootstrap L4/L3/L2/L1 tree
 *     (dom0 frame order: L4, L1, L2, L3), data pages RW, table frames RO,
 *     L4 pinned and loaded as vCPU 0's CR3;
 *   - TLB-flush counters, controllable preemption, recorded continuations,
 *     guest pointers that are host pointers (NULL and SIM_BAD_PTR fault),
 *     and a log buffer holding every printk/gprintk line.
 *
 * After the bootstrap, tests change state only the way a guest would: via
 * the hypercall handlers (sim_mmu_update, sim_mmuext, sim_uvm, ...), and by
 * plain stores into frames the guest has mapped read-write (sim_pfn_ptr).
 * Reading frames, the frame table and the M2P is always allowed (a guest
 * can read its tables and the RO M2P; counts are the oracle).  Exceptions,
 * each a domain property no MMU hypercall sets: d->translated,
 * d->vm_assist (vm_assist hypercall) and seg_desc typing through
 * get_page_and_type() (what set_gdt does).
 *
 * Running: `make host-test` (after the parser tests), or
 * build/host/mmu-tests [substring of "suite: case"]; SIM_VERBOSE=1 echoes
 * every printk/gprintk line to stderr.
 */
#ifndef TESTS_HOST_SIM_H
#define TESTS_HOST_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "console.h"
#include "hypercall.h"
#include "domain.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"
#include "page.h"
#include "xen-abi.h"
#include "runner.h"

/* The handlers under test (hypercalls.def declares them too, same types). */
long do_mmu_update(unsigned long, unsigned long, unsigned long, unsigned long);
long do_mmuext_op(unsigned long, unsigned long, unsigned long, unsigned long);
long do_update_va_mapping(unsigned long, unsigned long, unsigned long);
long do_update_va_mapping_otherdomain(unsigned long, unsigned long, unsigned long,
                                      unsigned long);
long do_multicall(unsigned long, unsigned long);
long do_grant_table_op(unsigned long, unsigned long, unsigned long);

#ifndef MMU_UPDATE_PREEMPTED
#define MMU_UPDATE_PREEMPTED (~(~0U >> 1))     /* Xen's asm/hypercall.h */
#endif

#define SIM_FRAMES       4096
#define SIM_MMIO_FRAMES  16             /* mfns [SIM_FRAMES-16, SIM_FRAMES): holes */
#define SIM_MMIO_MFN     (SIM_FRAMES - SIM_MMIO_FRAMES)
#define SIM_DOM_PAGES    256            /* frames each domain owns */
#define SIM_NR_DOMS      3
#define SIM_VIRT_BASE    0x400000UL     /* pfn n mapped at SIM_VIRT_BASE + n*4K */
#define SIM_PT_PFN       4              /* bootstrap tables: pfns 4..7 */
#define SIM_FIRST_FREE_PFN 16           /* sim_alloc_pfn hands out from here */

/* Make [p, p+len) of a test's own memory fault for the guest copies (as an
 * unmapped guest page would); one range at a time, len 0 clears it. */
void sim_guest_fault(const void *p, size_t len);

/* A guest pointer that every copy_{from,to}_guest refuses (and 16 MiB after it). */
#define SIM_BAD_PTR      0x00007f0000000000UL

/* Entry flags the builders use (dom0_build.c L1_PROT/LN_PROT). */
#define SIM_L1_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_USER | \
                     _PAGE_GUEST_KERNEL)
#define SIM_LN_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_USER)
/* What a guest writes for a new kernel mapping / table entry. */
#define G_L1  (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)
#define G_L1RO (_PAGE_PRESENT | _PAGE_ACCESSED)
#define G_LN  (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

struct sim_dom {
    struct domain *d;
    unsigned long p2m[SIM_DOM_PAGES];   /* pfn -> mfn (guest maintained) */
    mfn_t l4, l3, l2, l1;               /* bootstrap tables */
    unsigned long next_free_pfn;
};

struct sim_tlb {
    unsigned long local, domain, invlpg, cr3, cache;
    unsigned long last_invlpg_va;
    mfn_t last_cr3;
};

struct sim_cont {
    bool pending;
    unsigned int nr, nargs;
    unsigned long args[5];
};

struct sim_state {
    struct sim_dom dom[SIM_NR_DOMS];
    struct sim_tlb tlb;
    struct sim_cont cont;
    unsigned long preempt_every;        /* 0: never */
    unsigned long preempt_calls;        /* hypercall_preempt_check() calls */
    unsigned long preempt_hits;
    unsigned long continuations;        /* created since sim_init */
    unsigned long irets;                /* iret sub-calls dispatched */
    mfn_t xen_frame;                    /* a hypervisor (Xen-heap) page */
    mfn_t ro_mpt_frame;                 /* what L4 slot 256 points at */
};

extern struct sim_state sim;

/* Build the machine and the three domains; current = d0's vCPU 0. */
void sim_init(void);

struct domain *sim_d(unsigned int i);
struct sim_dom *sim_sd(unsigned int i);
void sim_switch(unsigned int i);                /* current = d<i>'s vCPU 0 */
void sim_switch_vcpu(unsigned int i, unsigned int vcpu);

/* Frames of a domain. */
mfn_t sim_mfn(unsigned int dom, unsigned long pfn);
unsigned long sim_va(unsigned long pfn);
void *sim_pfn_ptr(unsigned int dom, unsigned long pfn);   /* guest RW view */
intpte_t *sim_table(mfn_t m);                              /* read any table */
unsigned long sim_alloc_pfn(unsigned int dom);             /* a zeroed free pfn, RW-mapped */
/* The machine address of the bootstrap L1 entry that maps pfn. */
uint64_t sim_boot_l1e_ma(unsigned int dom, unsigned long pfn);
uint64_t sim_entry_ma(mfn_t table, unsigned int idx);
static inline uint64_t sim_slot_ma(unsigned int dom, unsigned int k)
{ return sim_entry_ma(sim.dom[dom].l1, 256 + k); }

/* Data pages (RW-mapped by the bootstrap, never tables): pfns 8..15. */
#define SIM_DATA_PFN     8
/* Unused slots 256..511 of the bootstrap L1 (no pfn is mapped there). */
#define SIM_SLOT_VA(k)   (SIM_VIRT_BASE + ((256UL + (k)) << PAGE_SHIFT))
/* Unused slots of the bootstrap L2 (its slot 2 holds the bootstrap L1). */
#define SIM_L2_FREE_SLOT 3

/* Counts (the oracle). */
unsigned long sim_count(mfn_t m);           /* general count */
unsigned long sim_tcount(mfn_t m);          /* type count */
unsigned long sim_type(mfn_t m);            /* PGT_* type field */
bool sim_validated(mfn_t m);
bool sim_pinned(mfn_t m);

/* Hypercalls as a guest issues them: continuations are followed until done. */
long sim_hc(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
            unsigned long a4, unsigned long a5);
/* One invocation only (a continuation, if any, is left in sim.cont). */
long sim_hc_once(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
                 unsigned long a4, unsigned long a5);

long sim_mmu1(uint64_t ptr, uint64_t val, unsigned int fd);     /* one request */
long sim_mmu(struct mmu_update *reqs, unsigned int count, unsigned int *done,
             unsigned int fd);
long sim_ext(struct mmuext_op *ops, unsigned int count, unsigned int *done,
             unsigned int fd);
long sim_ext1(unsigned int cmd, unsigned long arg1, unsigned long arg2);
long sim_ext1_fd(unsigned int cmd, unsigned long arg1, unsigned long arg2,
                 unsigned int fd);
long sim_uvm(unsigned long va, uint64_t val, unsigned long flags);
long sim_uvm_other(unsigned long va, uint64_t val, unsigned long flags, unsigned int dom);
long sim_multicall(struct multicall_entry *calls, unsigned int nr);

/* Guest-style helpers (each asserts success through the handlers). */
long sim_set_rw(unsigned int dom, unsigned long pfn, bool rw);  /* remap own pfn */
long sim_pin(unsigned int level, mfn_t m);
long sim_unpin(mfn_t m);

/*
 * A fresh 4-level tree built by the guest in free pfns: L4[l4i] -> L3,
 * L3[0] -> L2, L2[0] -> L1, L1[0..n-1] map the given data pfns RW (kernel
 * pages).  The four table frames are remapped read-only in the bootstrap
 * mapping; nothing is pinned or validated.
 */
struct sim_tree {
    unsigned long l4_pfn, l3_pfn, l2_pfn, l1_pfn;
    mfn_t l4, l3, l2, l1;
};
#define SIM_TREE_VA(l4i) ((unsigned long)(l4i) << 39)
void sim_build_tree(unsigned int dom, struct sim_tree *t, unsigned int l4i,
                    const unsigned long *data_pfns, unsigned int n);

/*
 * As sim_build_tree, plus nl1 - 1 more L1s in L2[1..nl1-1] (each mapping
 * SIM_DATA_PFN..+3 RW in entries 0..3), so that validation and devalidation
 * of the L2 have many entries to stop between.
 */
void sim_build_wide_tree(unsigned int dom, struct sim_tree *t, unsigned int l4i,
                         unsigned int nl1);

/* Preemption: hypercall_preempt_check() is true every n-th call (0: never). */
void sim_preempt_every(unsigned long n);

/*
 * Fuzzers: sim_save() records the machine (after sim_init and any setup);
 * sim_restore() puts it back (false if it cannot: call sim_fini, sim_init);
 * sim_fini() frees what sim_init allocated.
 */
void sim_save(void);
bool sim_restore(void);
void sim_fini(void);

/* The log of printk/gprintk lines since sim_init or sim_log_clear. */
void sim_log_clear(void);
const char *sim_log(void);
bool sim_log_has(const char *words);

void sim_tlb_clear(void);
unsigned long sim_tlb_total(void);

/* Snapshot of all memory, frame table and M2P, for equal-outcome checks. */
struct sim_snapshot;
struct sim_snapshot *sim_snapshot_take(void);
bool sim_snapshot_equal(const struct sim_snapshot *a, const struct sim_snapshot *b,
                        char *why, size_t len);
/* Only the general counts (with flags) and the type counts of every frame. */
bool sim_snapshot_counts_equal(const struct sim_snapshot *a, const struct sim_snapshot *b,
                               char *why, size_t len);

/*
 * Security oracle (pvmmu-security.md §3 inv. 2, 3-4): every validated L1
 * (tc > 0) entry that is present and RW targets a frame whose type is
 * writable; no frame typed L1-L4/seg_desc with tc > 0 is reachable RW; general
 * count >= type count.  Returns NULL or a reason.
 */
const char *sim_check_invariants(void);

/* CHECK helpers for tests. */
#define CHECK_RC(expr, want) CHECK_I((expr), (want))
#define CHECK_LOG(words)                                                    \
    do {                                                                    \
        if ( !sim_log_has(words) )                                          \
            return test_failf("%s:%d: log lacks \"%s\"; log:\n%s",          \
                              __FILE__, __LINE__, words, sim_log());        \
    } while ( 0 )
#define CHECK_INV()                                                         \
    do {                                                                    \
        const char *inv_ = sim_check_invariants();                          \
        if ( inv_ )                                                         \
            return test_failf("%s:%d: invariant: %s", __FILE__, __LINE__, inv_); \
    } while ( 0 )

#endif
