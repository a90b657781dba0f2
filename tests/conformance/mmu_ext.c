/*
 * mmu_ext.c - the other mmuext_op commands and the call's own arguments.
 *
 * Rules (reference §2.12 table, §2.1 count/pdone conventions shared with
 * mmu_update, §2.6 MARK_SUPER, §6 items 13 and 17, §7.2):
 *   - flushes and INVLPG return 0; a non-canonical address is ignored;
 *     *_MULTI with an unreadable vCPU bitmap -> -EINVAL;
 *   - FLUSH_CACHE needs I/O rights (dom0 has them);
 *   - SET_LDT: more than 8192 entries, or an unaligned / hypervisor base
 *     with entries -> -EINVAL; with 0 entries the base is ignored;
 *   - CLEAR_PAGE / COPY_PAGE need a frame that can be writable (not a live
 *     table); the COPY source needs only to be ours;
 *   - MARK_SUPER/UNMARK_SUPER -> -EOPNOTSUPP; 14, 21.. -> -ENOSYS;
 *   - foreigndom: own id -ESRCH, DOMID_IO -EPERM for flushes.
 */
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF
#define NONCANON 0x8000000000001000UL
#define PREEMPTED 0x80000000UL

static unsigned long vcpu_mask = 1;

static void flushes(void)
{
    unsigned long va = WIN_VA, mask = (unsigned long)&vcpu_mask;

    conf_rc("mmuext_op.flush.tlb_flush_local_is_ok",
            "TLB_FLUSH_LOCAL flushes this vCPU's TLB and returns 0",
            mt_ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, SELF), 0);
    conf_rc("mmuext_op.flush.tlb_flush_all_is_ok",
            "TLB_FLUSH_ALL flushes every CPU the domain runs on and returns 0",
            mt_ext(MMUEXT_TLB_FLUSH_ALL, 0, 0, SELF), 0);
    conf_rc("mmuext_op.flush.invlpg_local_is_ok",
            "INVLPG_LOCAL of a mapped address returns 0",
            mt_ext(MMUEXT_INVLPG_LOCAL, va, 0, SELF), 0);
    conf_rc("mmuext_op.flush.invlpg_all_is_ok",
            "INVLPG_ALL of a mapped address returns 0",
            mt_ext(MMUEXT_INVLPG_ALL, va, 0, SELF), 0);
    conf_rc("mmuext_op.flush.invlpg_local_noncanonical_is_ignored_ok",
            "INVLPG_LOCAL silently ignores a non-canonical address",
            mt_ext(MMUEXT_INVLPG_LOCAL, NONCANON, 0, SELF), 0);
    conf_rc("mmuext_op.flush.invlpg_all_noncanonical_is_ignored_ok",
            "INVLPG_ALL silently ignores a non-canonical address",
            mt_ext(MMUEXT_INVLPG_ALL, NONCANON, 0, SELF), 0);
    conf_rc("mmuext_op.flush.invlpg_local_xen_area_is_ok",
            "INVLPG_LOCAL of an address in Xen's area returns 0",
            mt_ext(MMUEXT_INVLPG_LOCAL, HYPERVISOR_VIRT_START, 0, SELF), 0);
    conf_rc("mmuext_op.flush.tlb_flush_multi_is_ok",
            "TLB_FLUSH_MULTI with a readable vCPU bitmap returns 0",
            mt_ext(MMUEXT_TLB_FLUSH_MULTI, 0, mask, SELF), 0);
    conf_rc("mmuext_op.flush.invlpg_multi_is_ok",
            "INVLPG_MULTI with a readable vCPU bitmap returns 0",
            mt_ext(MMUEXT_INVLPG_MULTI, va, mask, SELF), 0);
    conf_rc("mmuext_op.flush.tlb_flush_multi_unreadable_mask_is_einval",
            "TLB_FLUSH_MULTI with an unreadable vCPU bitmap is -EINVAL (not -EFAULT)",
            mt_ext(MMUEXT_TLB_FLUSH_MULTI, 0, 0x1000, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.flush.invlpg_multi_null_mask_is_einval",
            "INVLPG_MULTI with a NULL vCPU bitmap is -EINVAL",
            mt_ext(MMUEXT_INVLPG_MULTI, va, 0, SELF), -XEN_EINVAL);
}

/* INVLPG really drops the stale translation (§6.13: mmu_update does not). */
static void invlpg_works(void)
{
    uint64_t v = 0;

    conf_rc("mmu_update.invlpg.map_first_data_frame_is_ok",
            "an L1 entry of the bootstrap tables may be pointed at our own data frame",
            mt_win_set(mt_ma(mt_d1) | P_ | RW_), 0);
    mt_invlpg(WIN_VA);
    mt_peek(WIN_VA, &v);
    conf_rc("mmu_update.invlpg.remap_to_second_data_frame_is_ok",
            "an L1 entry may be changed to another of our data frames (no flush by mmu_update)",
            mt_win_set(mt_ma(mt_d2) | P_ | RW_), 0);
    mt_peek(WIN_VA, &v);
    mt_local("stale_read_before_invlpg", v);
    mt_invlpg(WIN_VA);
    conf_hex("mmuext_op.invlpg.read_after_invlpg_sees_new_frame",
             "INVLPG_LOCAL drops the stale translation: the next read sees the new frame",
             mt_peek(WIN_VA, &v) ? 0 : v, D2_MARK);
    mt_win_restore();
}

static void flush_cache(void)
{
    conf_rc("mmuext_op.flush_cache.dom0_is_ok",
            "FLUSH_CACHE needs I/O rights, which dom0 has: 0",
            mt_ext(MMUEXT_FLUSH_CACHE, 0, 0, SELF), 0);
    conf_rc("mmuext_op.flush_cache.global_dom0_is_ok",
            "FLUSH_CACHE_GLOBAL needs I/O rights, which dom0 has: 0",
            mt_ext(MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0, SELF), 0);
    conf_rc("mmuext_op.flush_cache.foreigndom_io_is_eperm",
            "FLUSH_CACHE with a foreign owner (DOMID_IO) is -EPERM",
            mt_ext(MMUEXT_FLUSH_CACHE, 0, 0, DOMID_IO), -XEN_EPERM);
}

static void set_ldt(void)
{
    unsigned long page = (unsigned long)mt_va(mt_d2);

    conf_rc("mmuext_op.set_ldt.none_is_ok",
            "SET_LDT with base 0 and 0 entries means no LDT: 0",
            mt_ext(MMUEXT_SET_LDT, 0, 0, SELF), 0);
    conf_rc("mmuext_op.set_ldt.8193_entries_is_einval",
            "an LDT of more than 8192 entries is -EINVAL",
            mt_ext(MMUEXT_SET_LDT, page, 8193, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.set_ldt.unaligned_base_is_einval",
            "an LDT base that is not page aligned is -EINVAL when there are entries",
            mt_ext(MMUEXT_SET_LDT, page + 8, 1, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.set_ldt.unaligned_base_0_entries_is_ok",
            "with 0 entries the LDT base is ignored, aligned or not",
            mt_ext(MMUEXT_SET_LDT, page + 8, 0, SELF), 0);
    conf_rc("mmuext_op.set_ldt.xen_area_base_is_einval",
            "an LDT base in Xen's area is -EINVAL",
            mt_ext(MMUEXT_SET_LDT, HYPERVISOR_VIRT_START, 1, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.set_ldt.noncanonical_base_is_einval",
            "a non-canonical LDT base is -EINVAL",
            mt_ext(MMUEXT_SET_LDT, 0x0000800000000000UL, 1, SELF), -XEN_EINVAL);
    /* Xen checks only the base (__addr_ok), not base + 8 * ents. */
    conf_rc("mmuext_op.set_ldt.end_of_lower_half_8192_entries_is_ok",
            "only the LDT base is range checked, not base + 8 * entries",
            mt_ext(MMUEXT_SET_LDT, 0x00007ffffffff000UL, 8192, SELF), 0);
    conf_rc("mmuext_op.set_ldt.one_page_512_entries_is_ok",
            "a page-aligned LDT of 512 entries in guest memory returns 0",
            mt_ext(MMUEXT_SET_LDT, page, 512, SELF), 0);
    conf_rc("mmuext_op.set_ldt.foreigndom_io_is_eperm",
            "SET_LDT with a foreign owner (DOMID_IO) is -EPERM",
            mt_ext(MMUEXT_SET_LDT, 0, 0, DOMID_IO), -XEN_EPERM);
    conf_rc("mmuext_op.set_ldt.reset_to_none_is_ok",
            "SET_LDT back to no LDT returns 0",
            mt_ext(MMUEXT_SET_LDT, 0, 0, SELF), 0);
}

static void page_ops(void)
{
    unsigned long dst = mt_alloc();
    uint64_t *t = mt_va(dst);

    t[3] = 0x33;
    conf_rc("mmuext_op.clear_page.own_data_frame_is_ok",
            "CLEAR_PAGE of our own untyped data frame returns 0",
            mt_ext(MMUEXT_CLEAR_PAGE, mt_mfn(dst), 0, SELF), 0);
    conf_hex("mmuext_op.clear_page.frame_reads_zero",
             "CLEAR_PAGE zeroes the frame",
             t[3], 0);
    conf_rc("mmuext_op.copy_page.own_data_frames_is_ok",
            "COPY_PAGE between two of our data frames returns 0",
            mt_ext(MMUEXT_COPY_PAGE, mt_mfn(dst), mt_mfn(mt_d2), SELF), 0);
    conf_hex("mmuext_op.copy_page.destination_equals_source",
             "COPY_PAGE copies the whole source frame",
             !memcmp(t, mt_va(mt_d2), PAGE_SIZE), 1);
    conf_rc("mmuext_op.copy_page.source_live_l4_is_ok",
            "the COPY_PAGE source needs only be ours: a live L4 may be copied",
            mt_ext(MMUEXT_COPY_PAGE, mt_mfn(dst), mt_l4_mfn, SELF), 0);
    conf_hex("mmuext_op.copy_page.copy_of_l4_matches_slot511",
             "a copy of a live L4 holds its entries as the guest reads them",
             t[511] == mt_get(mt_l4_pfn, 511), 1);
    conf_rc("mmuext_op.clear_page.live_l4_is_einval",
            "CLEAR_PAGE needs a writable type: a live L4 is -EINVAL",
            mt_ext(MMUEXT_CLEAR_PAGE, mt_l4_mfn, 0, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.copy_page.destination_live_l4_is_einval",
            "the COPY_PAGE destination needs a writable type: a live L4 is -EINVAL",
            mt_ext(MMUEXT_COPY_PAGE, mt_l4_mfn, mt_mfn(dst), SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.clear_page.foreign_mfn_is_einval",
            "CLEAR_PAGE of a frame we do not own is -EINVAL",
            mt_ext(MMUEXT_CLEAR_PAGE, mt_foreign, 0, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.copy_page.source_foreign_mfn_is_einval",
            "a COPY_PAGE source we do not own is -EINVAL",
            mt_ext(MMUEXT_COPY_PAGE, mt_mfn(dst), mt_foreign, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.clear_page.ro_mapped_frame_is_ok",
            "CLEAR_PAGE needs a writable type, not a writable mapping: a read-only mapped data frame is cleared",
            (mt_ro(dst), mt_ext(MMUEXT_CLEAR_PAGE, mt_mfn(dst), 0, SELF)), 0);
    conf_hex("mmuext_op.clear_page.ro_mapped_frame_reads_zero",
             "CLEAR_PAGE of a read-only mapped frame zeroes it",
             t[511], 0);
    conf_hex("mmuext_op.clear_page.refused_clear_leaves_l4_intact",
             "a refused CLEAR_PAGE of the live L4 leaves its entries in place",
             mt_get(mt_l4_pfn, 511) != 0, 1);
}

static void obsolete_and_unknown(void)
{
    conf_rc("mmuext_op.mark_super.own_frame_is_eopnotsupp",
            "MARK_SUPER is obsolete: -EOPNOTSUPP",
            mt_ext(MMUEXT_MARK_SUPER, mt_mfn(mt_d1), 0, SELF), -XEN_EOPNOTSUPP);
    conf_rc("mmuext_op.unmark_super.own_frame_is_eopnotsupp",
            "UNMARK_SUPER is obsolete: -EOPNOTSUPP",
            mt_ext(MMUEXT_UNMARK_SUPER, mt_mfn(mt_d1), 0, SELF), -XEN_EOPNOTSUPP);
    /* XTF xsa-167's value: skip (-EOPNOTSUPP) on current Xen. */
    conf_rc("mmuext_op.mark_super.xsa167_mfn_is_eopnotsupp",
            "MARK_SUPER of any mfn, even XTF xsa-167's bogus one, is -EOPNOTSUPP",
            mt_ext(MMUEXT_MARK_SUPER, 0xffffffffffe00000UL, 0, SELF), -XEN_EOPNOTSUPP);
    conf_rc("mmuext_op.cmd.cmd14_is_enosys",
            "command 14 (between SET_LDT and NEW_USER_BASEPTR) is unassigned: -ENOSYS",
            mt_ext(14, 0, 0, SELF), -XEN_ENOSYS);
    conf_rc("mmuext_op.cmd.cmd21_is_enosys",
            "command 21, the first after UNMARK_SUPER, is unknown: -ENOSYS",
            mt_ext(21, 0, 0, SELF), -XEN_ENOSYS);
    conf_rc("mmuext_op.cmd.cmd256_is_enosys",
            "a large unknown command (256) is -ENOSYS",
            mt_ext(256, 0, 0, SELF), -XEN_ENOSYS);
}

static void fd_errors(void)
{
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    unsigned int done = 0xdead;

    conf_rc("mmuext_op.foreigndom.own_numeric_id_is_esrch",
            "foreigndom naming ourselves by numeric id is -ESRCH: only DOMID_SELF means self",
            mt_ext_n(&op, 1, &done, 0), -XEN_ESRCH);
    conf_hex("mmuext_op.foreigndom.own_numeric_id_leaves_pdone_unwritten",
             "a foreigndom refused before the loop leaves *pdone unwritten (unlike mmu_update)",
             done, 0xdead);
    conf_rc("mmuext_op.foreigndom.unknown_domid_is_esrch",
            "foreigndom naming no domain is -ESRCH",
            mt_ext_n(&op, 1, NULL, 0x3ff), -XEN_ESRCH);
    conf_rc("mmuext_op.foreigndom.io_tlb_flush_local_is_eperm",
            "TLB_FLUSH_LOCAL with foreigndom DOMID_IO is -EPERM",
            mt_ext_n(&op, 1, NULL, DOMID_IO), -XEN_EPERM);
    conf_rc("mmuext_op.foreigndom.xen_tlb_flush_local_is_eperm",
            "TLB_FLUSH_LOCAL with foreigndom DOMID_XEN is -EPERM",
            mt_ext_n(&op, 1, NULL, DOMID_XEN), -XEN_EPERM);
    conf_rc("mmuext_op.foreigndom.cow_is_esrch",
            "foreigndom DOMID_COW is not accepted by mmuext_op: -ESRCH",
            mt_ext_n(&op, 1, NULL, DOMID_COW), -XEN_ESRCH);
}

static void pdone_and_faults(void)
{
    struct mmuext_op ops[4] = { { .cmd = MMUEXT_TLB_FLUSH_LOCAL },
        { .cmd = MMUEXT_TLB_FLUSH_LOCAL }, { .cmd = 14 }, { .cmd = MMUEXT_TLB_FLUSH_LOCAL } };
    unsigned int done = 0xdead;

    conf_rc("mmuext_op.pdone.third_op_unknown_is_enosys",
            "a batch stops at the first failing op and returns its error",
            mt_ext_n(ops, 4, &done, SELF), -XEN_ENOSYS);
    conf_dec("mmuext_op.pdone.third_op_fails_pdone_is_2",
             "*pdone counts the ops completed before the failing one",
             done, 2);
    done = 0xdead;
    conf_rc("mmuext_op.pdone.count0_is_ok",
            "a batch of 0 ops returns 0",
            mt_ext_n(ops, 0, &done, SELF), 0);
    conf_dec("mmuext_op.pdone.count0_pdone_is_0",
             "a batch of 0 ops writes 0 to *pdone",
             done, 0);
    done = 0xdead;
    conf_rc("mmuext_op.pdone.unmapped_ops_is_efault",
            "an unreadable ops array is -EFAULT",
            mt_ext_n((void *)0x1000, 1, &done, SELF), -XEN_EFAULT);
    conf_hex("mmuext_op.pdone.unmapped_ops_pdone_is_0",
             "when an op cannot be copied *pdone still receives the count done (0)",
             done, 0);
    done = 0xdead;
    conf_rc("mmuext_op.pdone.xen_area_ops_is_efault",
            "an ops array in Xen's area fails the up-front range check: -EFAULT",
            mt_ext_n((void *)HYPERVISOR_VIRT_START, 1, &done, SELF), -XEN_EFAULT);
    conf_hex("mmuext_op.pdone.xen_area_ops_leaves_pdone_unwritten",
             "the up-front range check fails before *pdone is written",
             done, 0xdead);
    done = 5;
    conf_rc("mmuext_op.pdone.count_with_preempted_bit_is_ok",
            "a count with bit 31 (MMU_UPDATE_PREEMPTED) set is a continuation and runs",
            mt_ext_n(ops, 1 | PREEMPTED, &done, SELF), 0);
    conf_dec("mmuext_op.pdone.preempted_bit_accumulates_pdone",
             "a continuation adds the ops it completes to the *pdone it reads back",
             done, 6);
    conf_rc("mmuext_op.pdone.null_preempted_returns_foreigndom_rc",
            "a continuation with ops NULL and count PREEMPTED returns the rc passed in foreigndom",
            mt_ext_n(NULL, PREEMPTED, NULL, 4321), 4321);
    conf_rc("mmuext_op.pdone.unwritable_pdone_is_ignored_ok",
            "an unwritable pdone pointer is ignored: the batch still returns 0",
            mt_ext_n(ops, 1, (void *)0x1000, SELF), 0);
}

const struct mmu_case mmu_ext_cases[] = {
    { "mmuext_tlb_flushes_and_invlpg",       flushes },
    { "mmuext_invlpg_drops_stale_entry",     invlpg_works },
    { "mmuext_flush_cache_dom0",             flush_cache },
    { "mmuext_set_ldt",                      set_ldt },
    { "mmuext_clear_copy_page",              page_ops },
    { "mmuext_mark_super_unknown_cmds",      obsolete_and_unknown },
    { "mmuext_foreigndom_errors",            fd_errors },
    { "mmuext_pdone_and_faults",             pdone_and_faults },
    { NULL, NULL }
};
