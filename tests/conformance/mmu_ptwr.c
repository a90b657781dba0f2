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
    conf_rc("mmu_update.ptwr.hook_fresh_l1_ok",
            "a zeroed frame of ours hooked into an L2 is validated as an L1",
            mt_mmu1(mt_slot(l2, 105), mt_ma(p1) | P_ | RW_, SELF), 0);
    conf_hex("mmu_update.ptwr.dom0_valid_l1_store_no_fault",
             "dom0's plain store of a valid entry into a validated L1 is emulated: no #PF",
             poke((uint64_t *)mt_va(p1), mt_ma(mt_d1) | P_), 0);
    conf_hex("mmu_update.ptwr.emulated_entry_gets_u_and_bit52",
             "an emulated L1 store is adjusted like mmu_update: U and bit 52 are added",
             mt_get(p1, 0) & FLAGS_MASK & ~(A_ | D_), GK_ | U_ | P_);
    conf_hex("mmu_update.ptwr.emulated_entry_keeps_frame",
             "an emulated L1 store installs the frame the guest wrote",
             (mt_get(p1, 0) & PTE_ADDR_MASK) == mt_ma(mt_d1), 1);
    mt_invlpg(PTWR_VA);
    conf_hex("mmu_update.ptwr.emulated_entry_maps_frame",
             "after an emulated store (and INVLPG) the va reads the new frame",
             mt_peek(PTWR_VA, &v) ? 0 : v, D1_MARK);
    conf_hex("mmu_update.ptwr.dom0_clear_store_no_fault",
             "dom0's plain store of 0 into a validated L1 is emulated: no #PF",
             poke((uint64_t *)mt_va(p1), 0), 0);
    conf_hex("mmu_update.ptwr.emulated_clear_empties_entry",
             "an emulated store of 0 leaves the entry empty",
             mt_get(p1, 0), 0);
}

static void invalid_entry(void)
{
    uint64_t *e = (uint64_t *)mt_va(p1) + 1;

    conf_hex("mmu_update.ptwr.foreign_frame_store_faults_pf3",
             "a stored entry for a frame we do not own is not emulated: #PF, error code 3",
             poke(e, (mt_foreign << 12) | P_), 0x103);
    conf_hex("mmu_update.ptwr.foreign_frame_store_not_installed",
             "a refused emulated store leaves the entry as it was",
             mt_get(p1, 1), 0);
    conf_hex("mmu_update.ptwr.rw_l2_frame_store_faults_pf3",
             "a stored entry mapping a live L2 writable is refused: #PF, error code 3",
             poke(e, mt_ma(mt_table_pfn(VIRT_BASE, 2)) | P_ | RW_), 0x103);
}

static void not_l1(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2), ro = mt_alloc();

    conf_hex("mmu_update.ptwr.l2_store_faults_pf3",
             "stores into an L2 are never emulated: #PF, error code 3",
             poke((uint64_t *)mt_va(l2) + 106, 0), 0x103);
    conf_rc("update_va_mapping.ptwr.data_page_remap_ro_ok",
            "an ordinary page of ours may be mapped read-only",
            mt_ro(ro), 0);
    conf_hex("mmu_update.ptwr.ro_data_page_store_faults_pf3",
             "a store into a read-only page that is no page table is not emulated: #PF 3",
             poke((uint64_t *)mt_va(ro), 1), 0x103);
    conf_rc("mmu_update.ptwr.unhook_l1_ok",
            "clearing the L2 entry of a hooked L1 succeeds",
            mt_mmu1(mt_slot(l2, 105), 0, SELF), 0);
    conf_rc("update_va_mapping.ptwr.unhooked_l1_maps_rw_ok",
            "an L1 nothing references any more is an ordinary page and maps RW",
            mt_rw(p1), 0);
}

const struct mmu_case mmu_ptwr_cases[] = {
    { "ptwr_dom0_valid_l1_store_emulated",   valid_entry },
    { "ptwr_dom0_invalid_l1_store_faults",   invalid_entry },
    { "ptwr_l2_and_data_pages_fault",        not_l1 },
    { NULL, NULL }
};
