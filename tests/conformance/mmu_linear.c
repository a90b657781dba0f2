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
 *   - an entry that points at a table of another level (an L2 entry at an
 *     L4, an L4 entry at an L2) is no linear entry: -EINVAL;
 *   - there is no linear rule at L1: an L1 may map itself read-only, like
 *     any page-table frame, and never writable (-EBUSY);
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

    conf_rc("mmu_update.linear.l4_self_map_ro_ok",
            "an L4 entry may map its own L4 read-only (a linear self-map)",
            l4_set(mt_l4_pfn, 1, self), 0);
    conf_hex("mmu_update.linear.l4_self_map_gets_u_and_a",
             "Xen adds U and A to a linear L4 entry as to any present L4 entry",
             mt_get(mt_l4_pfn, 1) & FLAGS_MASK, U_ | A_ | P_);
    conf_hex("mmu_update.linear.l4_self_map_reads_the_l4",
             "through an L4 self-map the L4's own entries read as data",
             !mt_peek(L4_SELF_VA + 511 * 8, &v) && v == mt_get(mt_l4_pfn, 511), 1);
    conf_rc("mmu_update.linear.l4_self_map_ro_to_rw_is_einval",
            "turning RW on in an existing linear L4 entry is refused like a new RW one",
            l4_set(mt_l4_pfn, 1, self | RW_), -XEN_EINVAL);
    conf_hex("mmu_update.linear.l4_self_map_refused_rw_stays_ro",
             "a refused RW change leaves the linear entry read-only",
             mt_get(mt_l4_pfn, 1) & RW_, 0);
    conf_rc("mmu_update.linear.l4_self_map_rw_is_einval",
            "a writable linear L4 entry is -EINVAL",
            l4_set(mt_l4_pfn, 2, self | RW_), -XEN_EINVAL);
    conf_hex("mmu_update.linear.l4_self_map_rw_refused_slot_empty",
             "a refused writable linear entry leaves its slot empty",
             mt_get(mt_l4_pfn, 2), 0);
}

/* §2.5 rule 3: another validated L4; roles may not mix. */
static void l4_linear_other(void)
{
    e4 = mt_pt_new();
    conf_rc("mmuext_op.linear.pin_target_l4_ok",
            "an empty L4 of ours pins (it becomes a validated L4)",
            mt_ext(MMUEXT_PIN_L4_TABLE, mt_mfn(e4), 0, SELF), 0);
    conf_rc("mmu_update.linear.l4_to_other_validated_l4_ro_ok",
            "an L4 entry may map another validated L4 of ours read-only",
            l4_set(mt_l4_pfn, 3, mt_ma(e4) | P_), 0);
    conf_rc("mmu_update.linear.l4_target_holding_linear_is_einval",
            "a table that is the target of a linear entry may not hold one to another table (XSA-240)",
            l4_set(e4, 0, mt_ma(mt_l4_pfn) | P_), -XEN_EINVAL);
    conf_rc("mmu_update.linear.l4_target_self_map_ok",
            "a self-map takes no reference, so even a linear target may map itself",
            l4_set(e4, 1, mt_ma(e4) | P_), 0);
    conf_rc("mmu_update.linear.l4_rw_to_other_l4_is_einval",
            "a writable L4 entry to another validated L4 is -EINVAL",
            l4_set(mt_l4_pfn, 4, mt_ma(e4) | P_ | RW_), -XEN_EINVAL);
    conf_rc("mmu_update.linear.l4_clear_target_self_map_ok",
            "clearing a linear self-map succeeds",
            l4_set(e4, 1, 0), 0);
    conf_rc("mmu_update.linear.l4_clear_other_linear_ok",
            "clearing a linear entry to another L4 drops its reference and succeeds",
            l4_set(mt_l4_pfn, 3, 0), 0);
    conf_rc("mmu_update.linear.l4_clear_self_map_ok",
            "clearing the bootstrap L4's self-map succeeds",
            l4_set(mt_l4_pfn, 1, 0), 0);
    conf_rc("mmuext_op.linear.unpin_target_l4_ok",
            "a former linear target unpins once no entry points at it",
            mt_ext(MMUEXT_UNPIN_TABLE, mt_mfn(e4), 0, SELF), 0);
    conf_rc("update_va_mapping.linear.unpinned_target_l4_maps_rw_ok",
            "an unpinned L4 nothing references is an ordinary page again and maps RW",
            mt_rw(e4), 0);
}

/* §2.5 at L2: the L2 maps itself, so its slots read as the L1s. */
static void l2_self_map(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2);
    unsigned long va = VIRT_BASE + 102 * 0x200000UL;
    uint64_t v = 0, self = mt_ma(l2) | P_;

    conf_rc("mmu_update.linear.l2_self_map_ro_ok",
            "an L2 entry may map its own L2 read-only",
            l4_set(l2, 102, self), 0);
    conf_hex("mmu_update.linear.l2_self_map_reads_the_l1s",
             "through an L2 self-map the L2's slots read as the L1 tables' entries",
             !mt_peek(va, &v) && v == *l1e_of(VIRT_BASE), 1);
    conf_rc("mmu_update.linear.l2_self_map_ro_to_rw_is_einval",
            "turning RW on in an existing linear L2 entry is -EINVAL",
            l4_set(l2, 102, self | RW_), -XEN_EINVAL);
    conf_rc("mmu_update.linear.l2_clear_self_map_ok",
            "clearing an L2 self-map succeeds",
            l4_set(l2, 102, 0), 0);
    conf_rc("mmu_update.linear.l2_self_map_rw_is_einval",
            "a writable linear L2 entry is -EINVAL",
            l4_set(l2, 103, self | RW_), -XEN_EINVAL);
}

/*
 * §2.5 at L2 to another table, at L3, across levels and at L1.  f2 is a
 * fresh L2 pinned as such; the bootstrap L2's slots 107-109 and an empty
 * slot of the bootstrap L3 are used and cleared again.
 */
static void l2_other_l3_and_levels(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2), l3 = mt_table_pfn(VIRT_BASE, 3);
    unsigned long f2 = mt_pt_new(), l1 = mt_table_pfn(WIN_VA, 1);
    unsigned int s3 = ((VIRT_BASE >> 30) + 7) & 511, s1 = (WIN_VA >> 12) & 511;
    uint64_t v = 0;

    if (mt_get(l2, 107) || mt_get(l2, 108) || mt_get(l3, s3))
        mt_fail("bootstrap L2 slots 107/108 or L3 slot %u not empty", s3);
    conf_rc("mmuext_op.linear.pin_target_l2_ok",
            "an empty L2 of ours pins as an L2",
            mt_ext(MMUEXT_PIN_L2_TABLE, mt_mfn(f2), 0, SELF), 0);
    conf_rc("mmu_update.linear.l2_to_other_validated_l2_ro_ok",
            "an L2 entry may map another validated L2 of ours read-only",
            l4_set(l2, 107, mt_ma(f2) | P_), 0);
    conf_rc("mmu_update.linear.l2_rw_to_other_l2_is_einval",
            "a writable L2 entry to another validated L2 is -EINVAL",
            l4_set(l2, 108, mt_ma(f2) | P_ | RW_), -XEN_EINVAL);
    conf_rc("mmu_update.linear.l2_clear_other_linear_ok",
            "clearing a linear L2 entry to another L2 succeeds",
            l4_set(l2, 107, 0), 0);
    conf_rc("mmu_update.linear.l2_entry_to_an_l4_is_einval",
            "an L2 entry may not point at a validated L4 (another level): -EINVAL",
            l4_set(l2, 108, mt_ma(mt_l4_pfn) | P_), -XEN_EINVAL);
    conf_rc("mmu_update.linear.l4_entry_to_an_l2_is_einval",
            "an L4 entry may not point at a validated L2 (another level): -EINVAL",
            l4_set(mt_l4_pfn, 5, mt_ma(f2) | P_), -XEN_EINVAL);
    conf_rc("mmuext_op.linear.unpin_target_l2_ok",
            "the L2 used as a linear target unpins once no entry points at it",
            mt_ext(MMUEXT_UNPIN_TABLE, mt_mfn(f2), 0, SELF), 0);
    conf_rc("mmu_update.linear.l3_self_map_ro_ok",
            "an L3 entry may map its own L3 read-only (64-bit PV allows L3 linear entries)",
            l4_set(l3, s3, mt_ma(l3) | P_), 0);
    conf_rc("mmu_update.linear.l3_self_map_ro_to_rw_is_einval",
            "turning RW on in an existing linear L3 entry is -EINVAL",
            l4_set(l3, s3, mt_ma(l3) | P_ | RW_), -XEN_EINVAL);
    conf_rc("mmu_update.linear.l3_clear_self_map_ok",
            "clearing an L3 self-map succeeds",
            l4_set(l3, s3, 0), 0);
    conf_rc("mmu_update.linear.l1_self_map_ro_ok",
            "there is no linear rule at L1: an L1 entry may map its own L1 read-only",
            mt_win_set(mt_ma(l1) | P_), 0);
    mt_invlpg(WIN_VA);
    conf_hex("mmu_update.linear.l1_self_map_reads_its_entry",
             "through an L1 mapping itself, the window reads its own entry",
             !mt_peek(WIN_VA + s1 * 8, &v) && v == mt_win_pte(), 1);
    conf_rc("mmu_update.linear.l1_self_map_rw_is_ebusy",
            "an L1 entry may not map its own (live) L1 writable: -EBUSY",
            mt_win_set(mt_ma(l1) | P_ | RW_), -XEN_EBUSY);
    mt_win_restore();
    conf_rc("update_va_mapping.linear.unpinned_l2_maps_rw_ok",
            "an unpinned L2 nothing references is an ordinary page again and maps RW",
            mt_rw(f2), 0);
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

    conf_rc("update_va_mapping_otherdomain.owner.own_numeric_id_is_esrch",
            "our own numeric domid as the owner is -ESRCH: only DOMID_SELF means us",
            uvm_other(ram, 0), -XEN_ESRCH);
    conf_rc("update_va_mapping_otherdomain.owner.unknown_domid_is_esrch",
            "a domid with no domain behind it is -ESRCH",
            uvm_other(ram, 0x3ff), -XEN_ESRCH);
    conf_rc("update_va_mapping_otherdomain.owner.domid_cow_is_esrch",
            "DOMID_COW is no page owner: -ESRCH",
            uvm_other(ram, DOMID_COW), -XEN_ESRCH);
    conf_hex("update_va_mapping_otherdomain.owner.refused_keeps_entry",
             "a refused update leaves the entry as it was",
             (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(mt_win), 1);
    conf_rc("update_va_mapping_otherdomain.owner.domid_self_ok",
            "DOMID_SELF as the owner maps our own RAM",
            uvm_other(ram, SELF), 0);
    conf_hex("update_va_mapping_otherdomain.owner.domid_self_reads_frame",
             "after the DOMID_SELF update (with INVLPG) the va reads the new frame",
             mt_peek(WIN_VA, &v) ? 0 : v, D1_MARK);
    mt_win_restore();
    conf_rc("update_va_mapping_otherdomain.owner.domid_io_own_ram_is_ebusy",
            "with DOMID_IO as the owner our own RAM is not an I/O frame: -EBUSY",
            uvm_other(ram, DOMID_IO), -XEN_EBUSY);
    conf_rc("update_va_mapping_otherdomain.owner.domid_xen_own_ram_is_ebusy",
            "with DOMID_XEN as the owner our own RAM is not Xen's: -EBUSY",
            uvm_other(ram, DOMID_XEN), -XEN_EBUSY);
    conf_rc("update_va_mapping_otherdomain.owner.domid_io_vga_ok",
            "with DOMID_IO dom0 may map an I/O frame (VGA text at 0xb8000)",
            uvm_other(0xb8000 | P_, DOMID_IO), 0);
    conf_hex("update_va_mapping_otherdomain.owner.domid_io_vga_flags_uncached",
             "an I/O frame is mapped uncached: Xen adds PCD|PWT besides U and bit 52",
             mt_win_pte() & FLAGS_MASK, GK_ | _PAGE_PCD | _PAGE_PWT | U_ | P_);
    mt_win_restore();
    conf_rc("update_va_mapping_otherdomain.owner.self_foreign_frame_is_ebusy",
            "with DOMID_SELF a RAM frame we do not own is -EBUSY",
            uvm_other((mt_foreign << 12) | P_, SELF), -XEN_EBUSY);
    conf_rc("update_va_mapping_otherdomain.va.bit63_is_einval",
            "a non-canonical va is -EINVAL",
            HYPERVISOR_update_va_mapping_otherdomain(1UL << 63, ram, UVMF_INVLPG, SELF),
            -XEN_EINVAL);
}

const struct mmu_case mmu_linear_cases[] = {
    { "linear_l4_self_map_ro_ok_rw_refused", l4_self_map },
    { "linear_l4_other_table_and_roles",     l4_linear_other },
    { "linear_l2_self_map",                  l2_self_map },
    { "linear_l2_other_l3_self_and_levels",  l2_other_l3_and_levels },
    { "update_va_mapping_otherdomain",       uvm_otherdomain },
    { NULL, NULL }
};
