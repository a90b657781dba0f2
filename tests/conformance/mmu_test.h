/*
 * mmu_test.h - what the PV-MMU conformance groups (mmu, xsa) share:
 * scenarios (mmu_update, mmuext_op, update_va_mapping[_otherdomain],
 * multicall) whose answers are conformance cases (conf.h), checked
 * against what real Xen 4.17 answers.
 *
 * Section numbers (§) refer to /work/shared/reference/xen-pvmmu-abi.md.
 *
 * A scenario is a void function (one KTAP line): each answer it observes
 * is a case, conf_rc/conf_hex/conf_dec("<hypercall>.<topic>.<what>",
 * "<rule>", ...), printed as "abi.<name>"; the first mismatch becomes the
 * scenario's KTAP reason.  Steps that only prepare or restore state are
 * mt_step()s; machine addresses are "local.mmu.<key>".  Scenarios run in
 * table order and may build on state left by earlier ones.
 *
 * Frames: the guest is dom0 (32 MiB).  The bootstrap region maps pfn 0..
 * contiguously from VIRT_BASE up to a 4 MiB boundary; the frames after the
 * boot stack are free and mapped read-write (§1.2).  mt_alloc() hands
 * them out zeroed; a frame that is to become a page table is remapped
 * read-only first (mt_pt_new), as Xen requires (§2.4).
 */
#ifndef GUEST_MMU_TEST_H
#define GUEST_MMU_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include "xen-abi.h"
#include "conf.h"

struct mmu_case {
    const char *name;
    void (*run)(void);
};

extern const struct mmu_case mmu_update_cases[];    /* mmu_update.c */
extern const struct mmu_case mmu_io_cases[];        /* mmu_io.c */
extern const struct mmu_case mmu_flags_cases[];     /* mmu_flags.c */
extern const struct mmu_case mmu_args_cases[];      /* mmu_args.c */
extern const struct mmu_case mmu_tree_cases[];      /* mmu_tree.c */
extern const struct mmu_case mmu_pin_cases[];       /* mmu_pin.c */
extern const struct mmu_case mmu_base_cases[];      /* mmu_base.c */
extern const struct mmu_case mmu_ext_cases[];       /* mmu_ext.c */
extern const struct mmu_case mmu_state_cases[];     /* mmu_state.c */
extern const struct mmu_case mmu_linear_cases[];    /* mmu_linear.c */
extern const struct mmu_case mmu_uvmf_cases[];      /* mmu_uvmf.c */
extern const struct mmu_case mmu_ptwr_cases[];      /* mmu_ptwr.c */
extern const struct mmu_case mmu_multicall_cases[]; /* mmu_multicall.c */
extern const struct mmu_case mmu_batch_cases[];     /* mmu_batch.c */

/* PTE flag shorthands. */
#define P_  0x001UL     /* present */
#define RW_ 0x002UL
#define U_  0x004UL
#define A_  0x020UL
#define D_  0x040UL
#define PSE_ 0x080UL
#define G_  0x100UL
#define GK_ (1UL << 52) /* _PAGE_GUEST_KERNEL */
#define FLAGS_MASK 0xfff0000000000fffUL

/* ---- Results (mmu_lib.c) ---- */
/* A setup step (mmu_lib.c): "# step <key>=<rc>", checked, not a case. */
void mt_step(const char *key, long rc, long want);
/* Fact local.mmu.<key>=<v> (hex): may differ between hypervisors. */
void mt_local(const char *key, uint64_t v);
/* Fail the current case (first reason wins). */
void mt_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The current case's reason (NULL if all passed); resets it. */
const char *mt_take(void);

/* ---- Frames (mmu_lib.c) ---- */
extern unsigned long mt_l4_pfn;   /* the bootstrap L4 (pt_base) */
extern uint64_t mt_l4_mfn;
extern uint64_t mt_foreign;       /* a RAM mfn we do not own (§2.3) */
extern unsigned long mt_end_pfn;  /* first pfn after the bootstrap region */

/* Data frames with markers (d1[i] = D1_MARK|i, d2[i] = D2_MARK|i). */
extern unsigned long mt_d1, mt_d2;
#define D1_MARK 0xd100000000000000UL
#define D2_MARK 0xd200000000000000UL
/* A window: a VA whose bootstrap L1 entry the cases rewrite. */
extern unsigned long mt_win;          /* its pfn (its frame is spare) */
extern uint64_t mt_win_l1e;           /* machine address of its L1 entry */
#define WIN_VA ((unsigned long)mt_va(mt_win))
long mt_win_set(uint64_t val);        /* mmu_update of that entry */
uint64_t mt_win_pte(void);            /* read it back */
void mt_win_restore(void);            /* back to its own frame, RW, flushed */
void mt_invlpg(unsigned long va);

/* pfn of the bootstrap level-`level` table on va's walk (4 = pt_base). */
unsigned long mt_table_pfn(unsigned long va, int level);

void mt_init(void);
void *mt_va(unsigned long pfn);
uint64_t mt_mfn(unsigned long pfn);
static inline uint64_t mt_ma(unsigned long pfn) { return mt_mfn(pfn) << 12; }
/* A fresh zeroed frame, mapped RW at mt_va(pfn).  Panics when exhausted. */
unsigned long mt_alloc(void);
/* Map pfn's region VA to its own frame with `flags` (0: unmap). */
long mt_map(unsigned long pfn, uint64_t flags);
#define mt_rw(pfn) mt_map((pfn), P_ | RW_ | A_ | D_)
#define mt_ro(pfn) mt_map((pfn), P_ | A_)
/* mt_alloc + remap read-only: ready to become a page table. */
unsigned long mt_pt_new(void);
/* Read an entry of a frame in the region (works for RO-mapped tables). */
uint64_t mt_get(unsigned long pfn, unsigned int slot);
/* Machine address of entry `slot` of pfn's frame (an mmu_update ptr). */
static inline uint64_t mt_slot(unsigned long pfn, unsigned int slot)
{
    return mt_ma(pfn) + slot * 8UL;
}

/* ---- Hypercalls with full control of every argument ---- */
long mt_mmu(const struct mmu_update *req, unsigned long count,
            unsigned int *done, unsigned long fd);
long mt_mmu1(uint64_t ptr, uint64_t val, unsigned long fd);
long mt_ext(unsigned int cmd, unsigned long arg1, unsigned long arg2,
            unsigned long fd);
long mt_ext_n(const struct mmuext_op *ops, unsigned long count,
              unsigned int *done, unsigned long fd);
/* mmu_update of entry `slot` of pfn's frame (DOMID_SELF). */
long mt_set(unsigned long pfn, unsigned int slot, uint64_t val);
/* MMUEXT_PIN_L<level>_TABLE / MMUEXT_UNPIN_TABLE of pfn's frame. */
long mt_pin(unsigned int level, unsigned long pfn);
long mt_unpin(unsigned long pfn);
/* A fresh read-only copy of the bootstrap L4's guest slots. */
unsigned long mt_l4_copy(void);
/* The emulated `mov %cr3` (machine address of the kernel L4). */
unsigned long mt_read_cr3(void);
/* Read 8 bytes at va; returns 1 if it faulted. */
int mt_peek(unsigned long va, uint64_t *v);

#endif
