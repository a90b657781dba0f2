/*
 * mmu_uvmf.c - update_va_mapping's flags and va, on the window (WIN_VA).
 *
 * Rules (reference §2.11; XSA-279):
 *   - flags & 3 is the flush: 0 UVMF_NONE, 1 UVMF_TLB_FLUSH, 2 UVMF_INVLPG,
 *     3 names no flush type and is accepted as no flush;
 *   - flags & ~3 says on which vCPUs: 0 UVMF_LOCAL, 4 UVMF_ALL, anything
 *     else is a pointer to a vCPU bitmap (UVMF_MULTI).  The bitmap is read
 *     only when there is something to flush; an unreadable one is -EFAULT,
 *     returned after the entry was changed;
 *   - va: any address inside the page names its L1 entry (no alignment
 *     rule); a non-canonical va, one in Xen's range, or one whose L2 entry
 *     is empty (no L1) is -EINVAL.
 * The frames mapped are mt_d1 and mt_d2 (read-only), whose first words are
 * D1_MARK and D2_MARK; every case maps the window back to its own frame.
 */
#include "kernel.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

static unsigned long mask_vcpu0 = 1, mask_none;

static long uvm(unsigned long va, unsigned long pfn, unsigned long flags)
{
    return HYPERVISOR_update_va_mapping(va, mt_ma(pfn) | P_, flags);
}

/* Does the window's entry name pfn's frame? */
static int win_is(unsigned long pfn)
{
    return (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(pfn);
}

static uint64_t win_read(void)
{
    uint64_t v = 0;

    return mt_peek(WIN_VA, &v) ? 0 : v;
}

static void flush_types(void)
{
    conf_rc("update_va_mapping.uvmf.none_ok",
            "UVMF_NONE (0) changes the entry and flushes nothing: 0",
            uvm(WIN_VA, mt_d1, UVMF_NONE), 0);
    conf_hex("update_va_mapping.uvmf.none_changes_entry",
             "with UVMF_NONE the entry is still changed",
             win_is(mt_d1), 1);
    mt_invlpg(WIN_VA);
    conf_rc("update_va_mapping.uvmf.tlb_flush_local_ok",
            "UVMF_TLB_FLUSH | UVMF_LOCAL flushes this CPU's TLB: 0",
            uvm(WIN_VA, mt_d2, UVMF_TLB_FLUSH | UVMF_LOCAL), 0);
    conf_hex("update_va_mapping.uvmf.tlb_flush_local_reads_new_frame",
             "after UVMF_TLB_FLUSH | UVMF_LOCAL the va reads the new frame",
             win_read(), D2_MARK);
    conf_rc("update_va_mapping.uvmf.invlpg_local_ok",
            "UVMF_INVLPG | UVMF_LOCAL invalidates the va on this CPU: 0",
            uvm(WIN_VA, mt_d1, UVMF_INVLPG | UVMF_LOCAL), 0);
    conf_hex("update_va_mapping.uvmf.invlpg_local_reads_new_frame",
             "after UVMF_INVLPG | UVMF_LOCAL the va reads the new frame",
             win_read(), D1_MARK);
    conf_rc("update_va_mapping.uvmf.tlb_flush_all_window_ok",
            "UVMF_TLB_FLUSH | UVMF_ALL flushes every CPU the domain ran on: 0",
            uvm(WIN_VA, mt_d2, UVMF_TLB_FLUSH | UVMF_ALL), 0);
    conf_hex("update_va_mapping.uvmf.tlb_flush_all_reads_new_frame",
             "after UVMF_TLB_FLUSH | UVMF_ALL the va reads the new frame",
             win_read(), D2_MARK);
    conf_rc("update_va_mapping.uvmf.invlpg_all_ok",
            "UVMF_INVLPG | UVMF_ALL invalidates the va on every CPU the domain ran on: 0",
            uvm(WIN_VA, mt_d1, UVMF_INVLPG | UVMF_ALL), 0);
    conf_hex("update_va_mapping.uvmf.invlpg_all_reads_new_frame",
             "after UVMF_INVLPG | UVMF_ALL the va reads the new frame",
             win_read(), D1_MARK);
    mt_win_restore();
}

static void vcpu_masks(void)
{
    conf_rc("update_va_mapping.uvmf.invlpg_multi_vcpu0_ok",
            "UVMF_INVLPG with a pointer to a bitmap naming vCPU 0 (UVMF_MULTI) is 0",
            uvm(WIN_VA, mt_d2, UVMF_INVLPG | (unsigned long)&mask_vcpu0), 0);
    conf_hex("update_va_mapping.uvmf.invlpg_multi_vcpu0_reads_new_frame",
             "after UVMF_INVLPG for vCPU 0 (ours) the va reads the new frame",
             win_read(), D2_MARK);
    conf_rc("update_va_mapping.uvmf.tlb_flush_multi_vcpu0_ok",
            "UVMF_TLB_FLUSH with a bitmap naming vCPU 0 is 0",
            uvm(WIN_VA, mt_d1, UVMF_TLB_FLUSH | (unsigned long)&mask_vcpu0), 0);
    conf_hex("update_va_mapping.uvmf.tlb_flush_multi_vcpu0_reads_new_frame",
             "after UVMF_TLB_FLUSH for vCPU 0 (ours) the va reads the new frame",
             win_read(), D1_MARK);
    conf_rc("update_va_mapping.uvmf.invlpg_multi_empty_mask_ok",
            "an empty vCPU bitmap is readable and flushes nowhere: 0",
            uvm(WIN_VA, mt_d2, UVMF_INVLPG | (unsigned long)&mask_none), 0);
    conf_hex("update_va_mapping.uvmf.invlpg_multi_empty_mask_changes_entry",
             "with an empty vCPU bitmap the entry is still changed",
             win_is(mt_d2), 1);
    mt_win_restore();
    conf_rc("update_va_mapping.uvmf.tlb_flush_bad_vcpumask_is_efault",
            "an unreadable vCPU bitmap pointer with UVMF_TLB_FLUSH is -EFAULT",
            uvm(WIN_VA, mt_d1, UVMF_TLB_FLUSH | 0x1000UL), -XEN_EFAULT);
    conf_hex("update_va_mapping.uvmf.tlb_flush_bad_vcpumask_entry_changed",
             "the -EFAULT for the bitmap comes after the entry was changed",
             win_is(mt_d1), 1);
    conf_rc("update_va_mapping.uvmf.invlpg_vcpumask_in_xen_range_is_efault",
            "a vCPU bitmap pointer into Xen's range is unreadable: -EFAULT",
            uvm(WIN_VA, mt_d2, UVMF_INVLPG | HYPERVISOR_VIRT_START), -XEN_EFAULT);
    conf_rc("update_va_mapping.uvmf.none_bad_vcpumask_ignored_ok",
            "with UVMF_NONE nothing is flushed, so a bad bitmap pointer is never read: 0",
            uvm(WIN_VA, mt_d1, UVMF_NONE | 0x1000UL), 0);
    conf_rc("update_va_mapping.uvmf.flush_value_3_bad_vcpumask_ignored_ok",
            "flush value 3 flushes nothing, so a bad bitmap pointer is never read: 0",
            uvm(WIN_VA, mt_d2, 3 | 0x1000UL), 0);
    conf_hex("update_va_mapping.uvmf.flush_value_3_changes_entry",
             "with flush value 3 the entry is still changed",
             win_is(mt_d2), 1);
    mt_win_restore();
}

static void vas(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2);

    conf_rc("update_va_mapping.va.unaligned_ok",
            "a va inside the page (not page aligned) names the same L1 entry: 0",
            uvm(WIN_VA + 0x123, mt_d1, UVMF_INVLPG), 0);
    conf_hex("update_va_mapping.va.unaligned_changes_page_entry",
             "the update for an unaligned va changes the entry of its page",
             win_is(mt_d1), 1);
    conf_hex("update_va_mapping.va.unaligned_invlpg_reads_new_frame",
             "UVMF_INVLPG with an unaligned va invalidates its page",
             win_read(), D1_MARK);
    mt_win_restore();
    conf_rc("update_va_mapping.va.bit47_noncanonical_is_einval",
            "the first non-canonical va (1 << 47) is -EINVAL",
            uvm(1UL << 47, mt_d1, UVMF_INVLPG), -XEN_EINVAL);
    conf_rc("update_va_mapping.va.hypervisor_virt_start_is_einval",
            "a va in Xen's range (HYPERVISOR_VIRT_START) is -EINVAL",
            uvm(HYPERVISOR_VIRT_START, mt_d1, UVMF_INVLPG), -XEN_EINVAL);
    conf_rc("update_va_mapping.va.hypervisor_virt_end_minus_page_is_einval",
            "the last page of Xen's range is -EINVAL too",
            uvm(HYPERVISOR_VIRT_END - PAGE_SIZE, mt_d1, UVMF_INVLPG), -XEN_EINVAL);
    if (mt_get(l2, 120))
        mt_fail("bootstrap L2 slot 120 is not empty");
    conf_rc("update_va_mapping.va.empty_l2_entry_is_einval",
            "a va whose L2 entry is empty has no L1 entry to change: -EINVAL",
            uvm(VIRT_BASE + 120 * 0x200000UL, mt_d1, UVMF_INVLPG), -XEN_EINVAL);
    conf_hex("update_va_mapping.va.refused_keeps_window",
             "refused updates of other va's leave the window's entry alone",
             win_is(mt_win), 1);
}

const struct mmu_case mmu_uvmf_cases[] = {
    { "update_va_mapping_flush_types",       flush_types },
    { "update_va_mapping_vcpu_bitmaps",      vcpu_masks },
    { "update_va_mapping_va_rules",          vas },
    { NULL, NULL }
};
