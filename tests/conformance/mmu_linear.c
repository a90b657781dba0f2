/*
 * mmu_linear.c - linear (recursive) page tables, and
 * update_va_mapping_otherdomain.
 *
 * Rules (reference §2.5 and XTF xsa-182; §2.3 fast path "RW changes
 * revalidate"; §2.11; §2.1 get_pg_owner):
 *   - an L2/L3/L4 entry may point at a table of its own level only
 *     read-only; a self-map takes no reference; another table must be a
 *     validated table of ours, and a table may not both hold linear
 *     entries and be the target of one (XSA-240);
 *   - flipping RW on in an existing RO linear entry must fail too;
 *   - update_va_mapping_otherdomain: own numeric id -ESRCH, DOMID_SELF
 *     works, DOMID_IO maps only I/O frames (own RAM -EBUSY).
 */
#include "kernel.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF
/* With L4 slot 1 pointing at the L4 itself: this VA maps the L4. */
#define L4_SELF_VA ((1UL << 39) | (1UL << 30) | (1UL << 21) | (1UL << 12))

static unsigned long e4;

static long l4_set(unsigned long pfn, unsigned int slot, uint64_t val)
{
    return mt_mmu1(mt_slot(pfn, slot), val, SELF);
}

/* XTF xsa-182: an RO self-map is accepted; RW never. */
static void l4_self_map(void)
{
    uint64_t v = 0, self = mt_ma(mt_l4_pfn) | P_;

    mt_rc("l4_self_ro", l4_set(mt_l4_pfn, 1, self), 0);
    mt_hex("l4_self_ro_flags", mt_get(mt_l4_pfn, 1) & FLAGS_MASK, U_ | A_ | P_);
    mt_hex("l4_self_reads_l4", !mt_peek(L4_SELF_VA + 511 * 8, &v) &&
           v == mt_get(mt_l4_pfn, 511), 1);
    mt_rc("l4_self_ro_to_rw", l4_set(mt_l4_pfn, 1, self | RW_), -XEN_EINVAL);
    mt_hex("l4_self_still_ro", mt_get(mt_l4_pfn, 1) & RW_, 0);
    mt_rc("l4_self_rw_new_slot", l4_set(mt_l4_pfn, 2, self | RW_), -XEN_EINVAL);
    mt_hex("l4_self_rw_slot_empty", mt_get(mt_l4_pfn, 2), 0);
}

/* §2.5 rule 3: another validated L4; roles may not mix. */
static void l4_linear_other(void)
{
    e4 = mt_pt_new();
    mt_rc("other_l4_pin", mt_ext(MMUEXT_PIN_L4_TABLE, mt_mfn(e4), 0, SELF), 0);
    mt_rc("linear_to_other_l4", l4_set(mt_l4_pfn, 3, mt_ma(e4) | P_), 0);
    mt_rc("linear_target_holds_linear", l4_set(e4, 0, mt_ma(mt_l4_pfn) | P_), -XEN_EINVAL);
    mt_rc("linear_self_in_target", l4_set(e4, 1, mt_ma(e4) | P_), 0);
    mt_rc("linear_rw_to_other_l4", l4_set(mt_l4_pfn, 4, mt_ma(e4) | P_ | RW_),
          -XEN_EINVAL);
    mt_rc("linear_clear_e4_self", l4_set(e4, 1, 0), 0);
    mt_rc("linear_clear_other", l4_set(mt_l4_pfn, 3, 0), 0);
    mt_rc("linear_clear_self", l4_set(mt_l4_pfn, 1, 0), 0);
    mt_rc("other_l4_unpin", mt_ext(MMUEXT_UNPIN_TABLE, mt_mfn(e4), 0, SELF), 0);
    mt_rc("other_l4_rw", mt_rw(e4), 0);
}

/* §2.5 at L2: the L2 maps itself, so its slots read as the L1s. */
static void l2_self_map(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2);
    unsigned long va = VIRT_BASE + 102 * 0x200000UL;
    uint64_t v = 0, self = mt_ma(l2) | P_;

    mt_rc("l2_self_ro", l4_set(l2, 102, self), 0);
    mt_hex("l2_self_reads_l1", !mt_peek(va, &v) && v == *l1e_of(VIRT_BASE), 1);
    mt_rc("l2_self_ro_to_rw", l4_set(l2, 102, self | RW_), -XEN_EINVAL);
    mt_rc("l2_self_clear", l4_set(l2, 102, 0), 0);
    mt_rc("l2_self_rw", l4_set(l2, 103, self | RW_), -XEN_EINVAL);
}

static long uvm_other(uint64_t val, unsigned long domid)
{
    return HYPERVISOR_update_va_mapping_otherdomain(WIN_VA, val, UVMF_INVLPG,
                                                    (domid_t)domid);
}

/* §2.11 update_va_mapping_otherdomain, owner from get_pg_owner (§2.1). */
static void uvm_otherdomain(void)
{
    uint64_t ram = mt_ma(mt_d1) | P_, v = 0;

    mt_rc("uvm_other_own_id", uvm_other(ram, 0), -XEN_ESRCH);
    mt_rc("uvm_other_unknown", uvm_other(ram, 0x3ff), -XEN_ESRCH);
    mt_rc("uvm_other_cow", uvm_other(ram, DOMID_COW), -XEN_ESRCH);
    mt_hex("uvm_other_refused_kept", (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(mt_win), 1);
    mt_rc("uvm_other_self", uvm_other(ram, SELF), 0);
    mt_hex("uvm_other_self_reads", mt_peek(WIN_VA, &v) ? 0 : v, D1_MARK);
    mt_win_restore();
    mt_rc("uvm_other_io_own_ram", uvm_other(ram, DOMID_IO), -XEN_EBUSY);
    mt_rc("uvm_other_xen_own_ram", uvm_other(ram, DOMID_XEN), -XEN_EBUSY);
    mt_rc("uvm_other_io_vga", uvm_other(0xb8000 | P_, DOMID_IO), 0);
    mt_hex("uvm_other_io_vga_flags", mt_win_pte() & FLAGS_MASK,
           GK_ | _PAGE_PCD | _PAGE_PWT | U_ | P_);
    mt_win_restore();
    mt_rc("uvm_other_self_foreign", uvm_other((mt_foreign << 12) | P_, SELF), -XEN_EBUSY);
    mt_rc("uvm_other_bad_va", HYPERVISOR_update_va_mapping_otherdomain(
              1UL << 63, ram, UVMF_INVLPG, SELF), -XEN_EINVAL);
}

const struct mmu_case mmu_linear_cases[] = {
    { "linear_l4_self_map_ro_ok_rw_refused", l4_self_map },
    { "linear_l4_other_table_and_roles",     l4_linear_other },
    { "linear_l2_self_map",                  l2_self_map },
    { "update_va_mapping_otherdomain",       uvm_otherdomain },
    { NULL, NULL }
};
