/*
 * mmu_ptwr.c - plain stores into read-only page-table pages (writable
 * page-table emulation, "ptwr").
 *
 * Rules (reference §2.14, corrected by §7.1 for dom0): for the hardware
 * domain Xen emulates a kernel-mode store into a validated L1 whether or
 * not VMASST_TYPE_writable_pagetables is on (this mode never turns it on):
 *   - a valid entry is checked like mmu_update, adjusted (§2.8) and
 *     installed; no fault reaches the guest;
 *   - an invalid entry (a frame we do not own) is not installed: the #PF
 *     goes to the guest with error code 3 (present, write);
 *   - L2-L4 pages and ordinary read-only pages are never emulated: #PF.
 * p1 is a fresh L1 hooked into the bootstrap L2 at slot 105 (PTWR_VA).
 */
#include "kernel.h"
#include "traps.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF
#define PTWR_VA (VIRT_BASE + 105 * 0x200000UL)

static unsigned long p1;

/* Store v at va; returns 0, or the #PF error code + 0x100 if it trapped. */
static unsigned long poke(volatile uint64_t *va, uint64_t v)
{
    unsigned long before = last_trap.count;

    __asm__ volatile ("1: movq %[v], (%[a])\n"
                      "2:\n\t"
                      EXTABLE(1b, 2b)
                      : : [a] "r" (va), [v] "r" (v) : "memory");
    if (last_trap.count == before)
        return 0;
    return last_trap.vector == X86_EXC_PF ? 0x100 + last_trap.error_code
                                          : 0x1000 + last_trap.vector;
}

static void valid_entry(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2);
    uint64_t v = 0;

    p1 = mt_pt_new();
    mt_rc("ptwr_hook", mt_mmu1(mt_slot(l2, 105), mt_ma(p1) | P_ | RW_, SELF), 0);
    mt_hex("ptwr_valid_store", poke((uint64_t *)mt_va(p1), mt_ma(mt_d1) | P_), 0);
    mt_hex("ptwr_valid_flags", mt_get(p1, 0) & FLAGS_MASK & ~(A_ | D_), GK_ | U_ | P_);
    mt_hex("ptwr_valid_is_d1", (mt_get(p1, 0) & PTE_ADDR_MASK) == mt_ma(mt_d1), 1);
    mt_invlpg(PTWR_VA);
    mt_hex("ptwr_valid_reads_d1", mt_peek(PTWR_VA, &v) ? 0 : v, D1_MARK);
    mt_hex("ptwr_clear_store", poke((uint64_t *)mt_va(p1), 0), 0);
    mt_hex("ptwr_cleared", mt_get(p1, 0), 0);
}

static void invalid_entry(void)
{
    uint64_t *e = (uint64_t *)mt_va(p1) + 1;

    mt_hex("ptwr_foreign_store", poke(e, (mt_foreign << 12) | P_), 0x103);
    mt_hex("ptwr_foreign_not_installed", mt_get(p1, 1), 0);
    mt_hex("ptwr_rw_l2_frame_store", poke(e, mt_ma(mt_table_pfn(VIRT_BASE, 2)) | P_ | RW_),
           0x103);
}

static void not_l1(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2), ro = mt_alloc();

    mt_hex("ptwr_l2_store", poke((uint64_t *)mt_va(l2) + 106, 0), 0x103);
    mt_rc("ptwr_ro_data_remap", mt_ro(ro), 0);
    mt_hex("ptwr_ro_data_store", poke((uint64_t *)mt_va(ro), 1), 0x103);
    mt_rc("ptwr_unhook", mt_mmu1(mt_slot(l2, 105), 0, SELF), 0);
    mt_rc("ptwr_l1_rw", mt_rw(p1), 0);
}

const struct mmu_case mmu_ptwr_cases[] = {
    { "ptwr_dom0_valid_l1_store_emulated",   valid_entry },
    { "ptwr_dom0_invalid_l1_store_faults",   invalid_entry },
    { "ptwr_l2_and_data_pages_fault",        not_l1 },
    { NULL, NULL }
};
