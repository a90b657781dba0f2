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

    mt_rc("tlb_flush_local", mt_ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, SELF), 0);
    mt_rc("tlb_flush_all", mt_ext(MMUEXT_TLB_FLUSH_ALL, 0, 0, SELF), 0);
    mt_rc("invlpg_local", mt_ext(MMUEXT_INVLPG_LOCAL, va, 0, SELF), 0);
    mt_rc("invlpg_all", mt_ext(MMUEXT_INVLPG_ALL, va, 0, SELF), 0);
    mt_rc("invlpg_local_noncanon", mt_ext(MMUEXT_INVLPG_LOCAL, NONCANON, 0, SELF), 0);
    mt_rc("invlpg_all_noncanon", mt_ext(MMUEXT_INVLPG_ALL, NONCANON, 0, SELF), 0);
    mt_rc("invlpg_local_xen_area", mt_ext(MMUEXT_INVLPG_LOCAL, HYPERVISOR_VIRT_START, 0,
                                          SELF), 0);
    mt_rc("tlb_flush_multi", mt_ext(MMUEXT_TLB_FLUSH_MULTI, 0, mask, SELF), 0);
    mt_rc("invlpg_multi", mt_ext(MMUEXT_INVLPG_MULTI, va, mask, SELF), 0);
    mt_rc("tlb_flush_multi_bad_mask", mt_ext(MMUEXT_TLB_FLUSH_MULTI, 0, 0x1000, SELF),
          -XEN_EINVAL);
    mt_rc("invlpg_multi_null_mask", mt_ext(MMUEXT_INVLPG_MULTI, va, 0, SELF), -XEN_EINVAL);
}

/* INVLPG really drops the stale translation (§6.13: mmu_update does not). */
static void invlpg_works(void)
{
    uint64_t v = 0;

    mt_rc("invlpg_map_d1", mt_win_set(mt_ma(mt_d1) | P_ | RW_), 0);
    mt_invlpg(WIN_VA);
    mt_peek(WIN_VA, &v);
    mt_rc("invlpg_map_d2", mt_win_set(mt_ma(mt_d2) | P_ | RW_), 0);
    mt_peek(WIN_VA, &v);
    mt_local("stale_read_before_invlpg", v);
    mt_invlpg(WIN_VA);
    mt_hex("invlpg_read_after", mt_peek(WIN_VA, &v) ? 0 : v, D2_MARK);
    mt_win_restore();
}

static void flush_cache(void)
{
    mt_rc("flush_cache", mt_ext(MMUEXT_FLUSH_CACHE, 0, 0, SELF), 0);
    mt_rc("flush_cache_global", mt_ext(MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0, SELF), 0);
    mt_rc("flush_cache_fd_io", mt_ext(MMUEXT_FLUSH_CACHE, 0, 0, DOMID_IO), -XEN_EPERM);
}

static void set_ldt(void)
{
    unsigned long page = (unsigned long)mt_va(mt_d2);

    mt_rc("ldt_none", mt_ext(MMUEXT_SET_LDT, 0, 0, SELF), 0);
    mt_rc("ldt_8193", mt_ext(MMUEXT_SET_LDT, page, 8193, SELF), -XEN_EINVAL);
    mt_rc("ldt_unaligned", mt_ext(MMUEXT_SET_LDT, page + 8, 1, SELF), -XEN_EINVAL);
    mt_rc("ldt_unaligned_0_ents", mt_ext(MMUEXT_SET_LDT, page + 8, 0, SELF), 0);
    mt_rc("ldt_xen_area", mt_ext(MMUEXT_SET_LDT, HYPERVISOR_VIRT_START, 1, SELF),
          -XEN_EINVAL);
    mt_rc("ldt_noncanon", mt_ext(MMUEXT_SET_LDT, 0x0000800000000000UL, 1, SELF),
          -XEN_EINVAL);
    /* Xen checks only the base (__addr_ok), not base + 8 * ents. */
    mt_rc("ldt_end_of_lower_half", mt_ext(MMUEXT_SET_LDT, 0x00007ffffffff000UL, 8192,
                                          SELF), 0);
    mt_rc("ldt_one_page", mt_ext(MMUEXT_SET_LDT, page, 512, SELF), 0);
    mt_rc("ldt_fd_io", mt_ext(MMUEXT_SET_LDT, 0, 0, DOMID_IO), -XEN_EPERM);
    mt_rc("ldt_reset", mt_ext(MMUEXT_SET_LDT, 0, 0, SELF), 0);
}

static void page_ops(void)
{
    unsigned long dst = mt_alloc();
    uint64_t *t = mt_va(dst);

    t[3] = 0x33;
    mt_rc("clear_page", mt_ext(MMUEXT_CLEAR_PAGE, mt_mfn(dst), 0, SELF), 0);
    mt_hex("clear_page_zeroed", t[3], 0);
    mt_rc("copy_page", mt_ext(MMUEXT_COPY_PAGE, mt_mfn(dst), mt_mfn(mt_d2), SELF), 0);
    mt_hex("copy_page_copied", !memcmp(t, mt_va(mt_d2), PAGE_SIZE), 1);
    mt_rc("copy_page_from_l4", mt_ext(MMUEXT_COPY_PAGE, mt_mfn(dst), mt_l4_mfn, SELF), 0);
    mt_hex("copy_from_l4_slot511", t[511] == mt_get(mt_l4_pfn, 511), 1);
    mt_rc("clear_page_l4", mt_ext(MMUEXT_CLEAR_PAGE, mt_l4_mfn, 0, SELF), -XEN_EINVAL);
    mt_rc("copy_page_to_l4", mt_ext(MMUEXT_COPY_PAGE, mt_l4_mfn, mt_mfn(dst), SELF),
          -XEN_EINVAL);
    mt_rc("clear_page_foreign", mt_ext(MMUEXT_CLEAR_PAGE, mt_foreign, 0, SELF), -XEN_EINVAL);
    mt_rc("copy_page_from_foreign", mt_ext(MMUEXT_COPY_PAGE, mt_mfn(dst), mt_foreign,
                                           SELF), -XEN_EINVAL);
    mt_rc("clear_page_ro_frame", (mt_ro(dst), mt_ext(MMUEXT_CLEAR_PAGE, mt_mfn(dst), 0,
                                                     SELF)), 0);
    mt_hex("clear_page_ro_frame_zeroed", t[511], 0);
    mt_hex("l4_survived", mt_get(mt_l4_pfn, 511) != 0, 1);
}

static void obsolete_and_unknown(void)
{
    mt_rc("mark_super", mt_ext(MMUEXT_MARK_SUPER, mt_mfn(mt_d1), 0, SELF), -XEN_EOPNOTSUPP);
    mt_rc("unmark_super", mt_ext(MMUEXT_UNMARK_SUPER, mt_mfn(mt_d1), 0, SELF),
          -XEN_EOPNOTSUPP);
    /* XTF xsa-167's value: skip (-EOPNOTSUPP) on current Xen. */
    mt_rc("mark_super_xsa167", mt_ext(MMUEXT_MARK_SUPER, 0xffffffffffe00000UL, 0, SELF),
          -XEN_EOPNOTSUPP);
    mt_rc("cmd14", mt_ext(14, 0, 0, SELF), -XEN_ENOSYS);
    mt_rc("cmd21", mt_ext(21, 0, 0, SELF), -XEN_ENOSYS);
    mt_rc("cmd256", mt_ext(256, 0, 0, SELF), -XEN_ENOSYS);
}

static void fd_errors(void)
{
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    unsigned int done = 0xdead;

    mt_rc("ext_fd_own_id", mt_ext_n(&op, 1, &done, 0), -XEN_ESRCH);
    mt_hex("ext_fd_own_id_pdone", done, 0xdead);   /* unlike mmu_update */
    mt_rc("ext_fd_unknown", mt_ext_n(&op, 1, NULL, 0x3ff), -XEN_ESRCH);
    mt_rc("ext_fd_io_flush", mt_ext_n(&op, 1, NULL, DOMID_IO), -XEN_EPERM);
    mt_rc("ext_fd_xen_flush", mt_ext_n(&op, 1, NULL, DOMID_XEN), -XEN_EPERM);
    mt_rc("ext_fd_cow", mt_ext_n(&op, 1, NULL, DOMID_COW), -XEN_ESRCH);
}

static void pdone_and_faults(void)
{
    struct mmuext_op ops[4] = { { .cmd = MMUEXT_TLB_FLUSH_LOCAL },
        { .cmd = MMUEXT_TLB_FLUSH_LOCAL }, { .cmd = 14 }, { .cmd = MMUEXT_TLB_FLUSH_LOCAL } };
    unsigned int done = 0xdead;

    mt_rc("ext_third_fails", mt_ext_n(ops, 4, &done, SELF), -XEN_ENOSYS);
    mt_dec("ext_third_fails_pdone", done, 2);
    done = 0xdead;
    mt_rc("ext_count0", mt_ext_n(ops, 0, &done, SELF), 0);
    mt_dec("ext_count0_pdone", done, 0);
    done = 0xdead;
    mt_rc("ext_ops_unmapped", mt_ext_n((void *)0x1000, 1, &done, SELF), -XEN_EFAULT);
    mt_hex("ext_ops_unmapped_pdone", done, 0);
    done = 0xdead;
    mt_rc("ext_ops_xen_area", mt_ext_n((void *)HYPERVISOR_VIRT_START, 1, &done, SELF),
          -XEN_EFAULT);
    mt_hex("ext_ops_xen_area_pdone", done, 0xdead);
    done = 5;
    mt_rc("ext_count_preempted_bit", mt_ext_n(ops, 1 | PREEMPTED, &done, SELF), 0);
    mt_dec("ext_count_preempted_bit_pdone", done, 6);
    mt_rc("ext_null_preempted_fd", mt_ext_n(NULL, PREEMPTED, NULL, 4321), 4321);
    mt_rc("ext_pdone_unmapped", mt_ext_n(ops, 1, (void *)0x1000, SELF), 0);
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
