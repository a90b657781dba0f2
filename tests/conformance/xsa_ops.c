/*
 * xsa_ops.c - advisories about frame numbers and addresses that Xen did
 * not range-check.
 *
 * XSA-32: get_page_from_gfn() handed back a page for out-of-range frame
 *   numbers of non-translated guests, so mmuext ops naming a huge frame
 *   touched memory outside the frame table.  We pass all-ones and
 *   one-past-the-last-RAM-page frame numbers to every mmuext op that takes
 *   an mfn (and to mmu_update's ptr and MACHPHYS mfn) and check each is
 *   refused, our L4 is still the one loaded and the data did not change.
 * XSA-167: MMUEXT_[UN]MARK_SUPER indexed the superpage array with an
 *   unchecked mfn (0xffffffffffe00000 crashed the host).  Xen 4.17 has no
 *   PV superpages at all; we check the answer and that Xen is still up.
 * XSA-279: a failed update_va_mapping still went on to flush the guest
 *   VA, and INVPCID on a non-canonical address took a #GP in Xen.  We
 *   call update_va_mapping on 1<<63 and other non-canonical VAs with
 *   every flush flavour, and the INVLPG mmuext ops on them.
 */
#include "kernel.h"
#include "mm.h"
#include "console.h"
#include "lib.h"
#include "xsa.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF
#define ONES (~0UL)
#define SUPER_MFN 0xffffffffffe00000UL

static uint64_t past_ram;       /* XENMEM_maximum_ram_page: no frame there */

static long ext(unsigned int cmd, unsigned long mfn)
{
    return mt_ext(cmd, mfn, 0, SELF);
}

static long copy(unsigned long dst, unsigned long src)
{
    return mt_ext(MMUEXT_COPY_PAGE, dst, src, SELF);
}

static int d1_intact(void)
{
    for (unsigned int i = 0; i < 512; i++)
        if (mt_get(mt_d1, i) != (D1_MARK | i))
            return 0;
    return 1;
}

/* ---- XSA-32 ---- */
static void xsa032_all_ones(void)
{
    conf_rc("mmuext_op.xsa032.pin_l1_all_ones_mfn_is_einval",
            "PIN_L1_TABLE of mfn ~0 is refused (XSA-32)", ext(MMUEXT_PIN_L1_TABLE, ONES), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.pin_l2_all_ones_mfn_is_einval",
            "PIN_L2_TABLE of mfn ~0 is refused (XSA-32)", ext(MMUEXT_PIN_L2_TABLE, ONES), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.pin_l3_all_ones_mfn_is_einval",
            "PIN_L3_TABLE of mfn ~0 is refused (XSA-32)", ext(MMUEXT_PIN_L3_TABLE, ONES), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.pin_l4_all_ones_mfn_is_einval",
            "PIN_L4_TABLE of mfn ~0 is refused (XSA-32)", ext(MMUEXT_PIN_L4_TABLE, ONES), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.unpin_all_ones_mfn_is_einval",
            "UNPIN_TABLE of mfn ~0 is refused (XSA-32)", ext(MMUEXT_UNPIN_TABLE, ONES), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.new_baseptr_all_ones_mfn_is_einval",
            "NEW_BASEPTR to mfn ~0 is refused (XSA-32)", ext(MMUEXT_NEW_BASEPTR, ONES), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.new_user_baseptr_all_ones_mfn_is_einval",
            "NEW_USER_BASEPTR to mfn ~0 is refused (XSA-32)", ext(MMUEXT_NEW_USER_BASEPTR, ONES), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.clear_page_all_ones_mfn_is_einval",
            "CLEAR_PAGE of mfn ~0 is refused (XSA-32)", ext(MMUEXT_CLEAR_PAGE, ONES), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.copy_page_to_all_ones_mfn_is_einval",
            "COPY_PAGE to mfn ~0 is refused (XSA-32)", copy(ONES, mt_mfn(mt_d2)), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.copy_page_from_all_ones_mfn_is_einval",
            "COPY_PAGE from mfn ~0 is refused (XSA-32)", copy(mt_mfn(mt_d1), ONES), -XEN_EINVAL);
    conf_rc("mmu_update.xsa032.pt_update_all_ones_ptr_is_einval",
            "MMU_NORMAL_PT_UPDATE with ptr ~0 & ~7 (a frame past everything) is refused (XSA-32)",
            mt_mmu1(ONES & ~7UL, 0, SELF), -XEN_EINVAL);
    conf_rc("mmu_update.xsa032.machphys_all_ones_mfn_is_einval",
            "MMU_MACHPHYS_UPDATE of mfn ~0 is refused (XSA-32)",
            mt_mmu1((ONES & ~7UL) | MMU_MACHPHYS_UPDATE, 5, SELF), -XEN_EINVAL);
}

static void xsa032_past_ram(void)
{
    past_ram = (uint64_t)HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    mt_local("xsa032_past_ram_mfn", past_ram);
    conf_rc("mmuext_op.xsa032.pin_l1_past_ram_mfn_is_einval",
            "PIN_L1_TABLE of the first mfn past RAM (maximum_ram_page) is refused (XSA-32)",
            ext(MMUEXT_PIN_L1_TABLE, past_ram), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.pin_l4_past_ram_mfn_is_einval",
            "PIN_L4_TABLE of the first mfn past RAM is refused (XSA-32)",
            ext(MMUEXT_PIN_L4_TABLE, past_ram), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.unpin_past_ram_mfn_is_einval",
            "UNPIN_TABLE of the first mfn past RAM is refused (XSA-32)",
            ext(MMUEXT_UNPIN_TABLE, past_ram), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.new_baseptr_past_ram_mfn_is_einval",
            "NEW_BASEPTR to the first mfn past RAM is refused (XSA-32)",
            ext(MMUEXT_NEW_BASEPTR, past_ram), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.new_user_baseptr_past_ram_mfn_is_einval",
            "NEW_USER_BASEPTR to the first mfn past RAM is refused (XSA-32)",
            ext(MMUEXT_NEW_USER_BASEPTR, past_ram), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.clear_page_past_ram_mfn_is_einval",
            "CLEAR_PAGE of the first mfn past RAM is refused (XSA-32)",
            ext(MMUEXT_CLEAR_PAGE, past_ram), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa032.copy_page_from_past_ram_mfn_is_einval",
            "COPY_PAGE from the first mfn past RAM is refused (XSA-32)",
            copy(mt_mfn(mt_d1), past_ram), -XEN_EINVAL);
    conf_rc("mmu_update.xsa032.machphys_past_ram_mfn_is_einval",
            "MMU_MACHPHYS_UPDATE of the first mfn past RAM is refused (XSA-32)",
            mt_mmu1((past_ram << 12) | MMU_MACHPHYS_UPDATE, 5, SELF), -XEN_EINVAL);
    conf_hex("mmuext_op.xsa032.kernel_l4_still_loaded",
             "after the refused bogus-frame ops our L4 is still the one loaded (cr3)",
             mt_read_cr3() == mt_l4_mfn << 12, 1);
    conf_hex("mmuext_op.xsa032.copy_target_unchanged",
             "after the refused COPY_PAGEs from bogus frames the target page is unchanged",
             d1_intact(), 1);
}

/* ---- XSA-167 ---- */
static void xsa167(void)
{
    conf_rc("mmuext_op.xsa167.mark_super_huge_mfn_is_eopnotsupp",
            "MMUEXT_MARK_SUPER of mfn 0xffffffffffe00000 is refused: Xen 4.17 has no PV superpages (XSA-167)",
            ext(MMUEXT_MARK_SUPER, SUPER_MFN), -XEN_EOPNOTSUPP);
    conf_rc("mmuext_op.xsa167.unmark_super_huge_mfn_is_eopnotsupp",
            "MMUEXT_UNMARK_SUPER of mfn 0xffffffffffe00000 is refused the same way (XSA-167)",
            ext(MMUEXT_UNMARK_SUPER, SUPER_MFN), -XEN_EOPNOTSUPP);
    conf_rc("mmuext_op.xsa167.mark_super_own_mfn_is_eopnotsupp",
            "MMUEXT_MARK_SUPER of a frame we own is refused too (no superpage support at all)",
            ext(MMUEXT_MARK_SUPER, mt_mfn(mt_d1) & ~0x1ffUL), -XEN_EOPNOTSUPP);
    conf_rc("mmuext_op.xsa167.flush_after_mark_super_is_accepted",
            "after them the hypervisor is up: a local TLB flush is accepted",
            ext(MMUEXT_TLB_FLUSH_LOCAL, 0), 0);
}

/* ---- XSA-279 ---- */
static long uvm(unsigned long va, uint64_t val, unsigned long flags)
{
    return HYPERVISOR_update_va_mapping(va, val, flags);
}

static void xsa279(void)
{
    uint64_t own = mt_ma(mt_d1) | P_, v = 0;

    conf_rc("update_va_mapping.xsa279.bit63_va_invlpg_all_is_einval",
            "update_va_mapping(va=1<<63, 0, UVMF_INVLPG|UVMF_ALL) is refused and flushes nothing (XSA-279)",
            uvm(1UL << 63, 0, UVMF_INVLPG | UVMF_ALL), -XEN_EINVAL);
    conf_rc("update_va_mapping.xsa279.bit63_va_own_frame_invlpg_all_is_einval",
            "the same with a present PTE for a frame we own is refused too (XSA-279)",
            uvm(1UL << 63, own, UVMF_INVLPG | UVMF_ALL), -XEN_EINVAL);
    conf_rc("update_va_mapping.xsa279.bit63_va_invlpg_local_is_einval",
            "update_va_mapping(va=1<<63, 0, UVMF_INVLPG|UVMF_LOCAL) is refused (XSA-279)",
            uvm(1UL << 63, 0, UVMF_INVLPG | UVMF_LOCAL), -XEN_EINVAL);
    conf_rc("update_va_mapping.xsa279.first_noncanonical_va_invlpg_all_is_einval",
            "update_va_mapping of 0x0000800000000000 (first non-canonical VA) with INVLPG|ALL is refused",
            uvm(0x0000800000000000UL, 0, UVMF_INVLPG | UVMF_ALL), -XEN_EINVAL);
    conf_rc("update_va_mapping.xsa279.last_noncanonical_va_flush_all_is_einval",
            "update_va_mapping of 0xffff7ffffffff000 (last non-canonical page) with TLB_FLUSH|ALL is refused",
            uvm(0xffff7ffffffff000UL, 0, UVMF_TLB_FLUSH | UVMF_ALL), -XEN_EINVAL);
    conf_rc("update_va_mapping.xsa279.xen_hole_va_invlpg_all_is_einval",
            "update_va_mapping of an address in Xen's hole (HYPERVISOR_VIRT_START) is refused",
            uvm(HYPERVISOR_VIRT_START, 0, UVMF_INVLPG | UVMF_ALL), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa279.invlpg_local_bit63_va",
            "MMUEXT_INVLPG_LOCAL of 1<<63 does not crash the host; Xen 4.17 answers 0 (nothing to flush)",
            mt_ext(MMUEXT_INVLPG_LOCAL, 1UL << 63, 0, SELF), 0);
    conf_rc("mmuext_op.xsa279.invlpg_all_bit63_va",
            "MMUEXT_INVLPG_ALL of 1<<63 does not crash the host; Xen 4.17 answers 0",
            mt_ext(MMUEXT_INVLPG_ALL, 1UL << 63, 0, SELF), 0);
    conf_rc("update_va_mapping.xsa279.window_update_after_noncanonical_is_accepted",
            "after them update_va_mapping of a real VA still works",
            uvm(WIN_VA, own, UVMF_INVLPG | UVMF_ALL), 0);
    conf_hex("update_va_mapping.xsa279.window_reads_new_frame",
             "and the VA reads the newly mapped frame",
             mt_peek(WIN_VA, &v) ? 0 : v, D1_MARK);
    mt_win_restore();
}

/*
 * XSA-252 probe (not a case): decrease_reservation of a pinned L4.  Run
 * only with the word "xsa252" on the guest command line: it hands a frame
 * back to Xen for good, and xen-like has no XENMEM_decrease_reservation.
 */
void xsa252_probe(void)
{
    unsigned long t = mt_pt_new();
    xen_pfn_t gmfn = mt_mfn(t);
    struct xen_memory_reservation r = { .nr_extents = 1, .extent_order = 0,
                                        .domid = DOMID_SELF };
    long cur0, rc, cur1;

    set_xen_guest_handle(r.extent_start, &gmfn);
    printk("# xsa252 pin_l4=%ld\n", mt_ext(MMUEXT_PIN_L4_TABLE, mt_mfn(t), 0, SELF));
    cur0 = HYPERVISOR_memory_op(XENMEM_current_reservation, &(domid_t){ DOMID_SELF });
    rc = HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
    cur1 = HYPERVISOR_memory_op(XENMEM_current_reservation, &(domid_t){ DOMID_SELF });
    printk("# xsa252 decrease_reservation=%ld current_before=%ld after=%ld\n", rc, cur0, cur1);
    printk("# xsa252 rw_map_after=%ld\n", mt_rw(t));
    printk("# xsa252 pin_again=%ld\n", mt_ext(MMUEXT_PIN_L4_TABLE, mt_mfn(t), 0, SELF));
    printk("# xsa252 unpin=%ld\n", mt_ext(MMUEXT_UNPIN_TABLE, mt_mfn(t), 0, SELF));
    printk("# xsa252 unpin_again=%ld\n", mt_ext(MMUEXT_UNPIN_TABLE, mt_mfn(t), 0, SELF));
    printk("# xsa252 rw_map_after_unpin=%ld\n", mt_rw(t));
    printk("# xsa252 unmap=%ld\n", mt_map(t, 0));
    printk("# xsa252 flush_ok=%ld\n", mt_ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, SELF));
    printk("# xsa252 current_at_end=%ld\n",
           HYPERVISOR_memory_op(XENMEM_current_reservation, &(domid_t){ DOMID_SELF }));
}

const struct mmu_case xsa_ops_cases[] = {
    { "xsa032_mmuext_all_ones_mfn",          xsa032_all_ones },
    { "xsa032_mmuext_past_ram_mfn",          xsa032_past_ram },
    { "xsa167_mark_super_huge_mfn",          xsa167 },
    { "xsa279_uvm_noncanonical_va",          xsa279 },
    { NULL, NULL }
};
