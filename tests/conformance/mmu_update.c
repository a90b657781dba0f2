/*
 * mmu_update.c - mmu_update(reqs, count, pdone, foreigndom): arguments,
 * plain stores, entries of live tables, flag rules, MACHPHYS_UPDATE,
 * pdone and faults.
 *
 * Rules (reference §2.1, §2.2, §2.3, §2.7, §2.8, §2.9, §2.10; §6 items
 * 2-5, 8-10; §7.4).  The live L1 used is the bootstrap L1 entry of the
 * window VA (mmu_lib.c); the live L2/L3/L4 are the bootstrap tables.
 */
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF
#define PREEMPTED 0x80000000UL

static uint64_t d1(unsigned int i) { return mt_get(mt_d1, i); }

/* §2.1: the command is ptr & 7; 4..7 are unknown. */
static void cmd_4_to_7(void)
{
    static const char *const keys[] = { "cmd4", "cmd5", "cmd6", "cmd7" };

    for (unsigned int c = 4; c < 8; c++)
        mt_rc(keys[c - 4], mt_mmu1(mt_ma(mt_d1) | c, 0, SELF), -XEN_ENOSYS);
    mt_hex("cmd4_7_d1_untouched", d1(0), D1_MARK);
}

/* §2.1, §6.3: own numeric id is not "self"; unknown ids; pdone left? */
static void fd_errors(void)
{
    struct mmu_update r = { mt_ma(mt_d1) + 8 * 8, 1 };
    unsigned int done = 0xdead;

    mt_rc("fd_own_id", mt_mmu(&r, 1, &done, 0), -XEN_ESRCH);
    mt_hex("fd_own_id_pdone", done, 0);   /* Xen writes pdone on this path */
    mt_rc("fd_unknown", mt_mmu1(r.ptr, 1, 0x3ff), -XEN_ESRCH);
    mt_rc("fd_cow", mt_mmu1(r.ptr, 1, DOMID_COW), -XEN_ESRCH);
    mt_rc("fd_invalid", mt_mmu1(r.ptr, 1, DOMID_INVALID), -XEN_ESRCH);
    mt_rc("fd_idle", mt_mmu1(r.ptr, 1, DOMID_IDLE), -XEN_ESRCH);
    mt_hex("fd_errors_no_store", d1(8), D1_MARK | 8);
}

/* §2.1: bits 16-31 of foreigndom = page-table owner + 1. */
static void pt_owner_bits(void)
{
    uint64_t ptr = mt_ma(mt_d1) + 9 * 8;

    mt_rc("pfd_own_id", mt_mmu1(ptr, 0x99, (1UL << 16) | SELF), 0);
    mt_hex("pfd_own_id_stored", d1(9), 0x99);
    mt_rc("pfd_unknown", mt_mmu1(ptr, 0x98, (0x101UL << 16) | SELF), -XEN_ESRCH);
    mt_rc("pfd_domid_io", mt_mmu1(ptr, 0x98, ((DOMID_IO + 1UL) << 16) | SELF),
          -XEN_ESRCH);
    mt_hex("pfd_refused_no_store", d1(9), 0x99);
}

/* §2.2 step 1: ptr must be a frame of the table owner. */
static void ptr_not_ours(void)
{
    mt_rc("ptr_foreign", mt_mmu1(mt_foreign << 12, 0, SELF), -XEN_EINVAL);
    mt_rc("ptr_low_1mb", mt_mmu1(0xb8000, 0, SELF), -XEN_EINVAL);
    mt_rc("ptr_beyond_ram", mt_mmu1(0x7ffff000000UL, 0, SELF), -XEN_EINVAL);
}

/* §2.2 steps 2-3, §6.4: a page that is not a live table takes any value. */
static void plain_store(void)
{
    unsigned long ro = mt_alloc();
    uint64_t junk = (mt_foreign << 12) | P_ | RW_ | PSE_;

    mt_rc("store_rw_data", mt_mmu1(mt_ma(mt_d1) + 10 * 8, 0x1234, SELF), 0);
    mt_hex("store_rw_data_read", d1(10), 0x1234);
    mt_rc("store_ro_frame_remap", mt_ro(ro), 0);
    mt_rc("store_ro_frame", mt_mmu1(mt_slot(ro, 7), junk, SELF), 0);
    mt_hex("store_ro_frame_read", mt_get(ro, 7) == junk, 1);
}

/* §2.3 mod_l1_entry, §2.8: Xen adds U + bit 52 (kernel) or U + G (user). */
static void live_l1_bits(void)
{
    uint64_t v;

    mt_rc("l1_kernel_rw", mt_win_set(mt_ma(mt_d1) | P_ | RW_), 0);
    mt_hex("l1_kernel_flags", mt_win_pte() & FLAGS_MASK, GK_ | U_ | RW_ | P_);
    mt_invlpg(WIN_VA);
    mt_hex("l1_kernel_maps_d1", mt_peek(WIN_VA, &v) ? 0 : v, D1_MARK);
    mt_rc("l1_user_rw", mt_win_set(mt_ma(mt_d1) | P_ | RW_ | U_), 0);
    /* G only because qemu64 needs no XPTI (docs/testing.md abi.uvm_user_pte_flags) */
    mt_hex("l1_user_flags", mt_win_pte() & FLAGS_MASK, G_ | U_ | RW_ | P_);
    mt_win_restore();
}

/* §1.2: pfns beyond the bootstrap region are ours but unmapped. */
static void beyond_region(void)
{
    unsigned long pfn = start_info->nr_pages - 1, copy = mt_alloc();
    uint64_t v = 0;

    mt_rc("beyond_map", mt_win_set(mt_ma(pfn) | P_ | RW_), 0);
    mt_invlpg(WIN_VA);
    *(volatile uint64_t *)WIN_VA = 0x5eed;
    mt_rc("beyond_copy", mt_ext(MMUEXT_COPY_PAGE, mt_mfn(copy), mt_mfn(pfn), SELF), 0);
    mt_hex("beyond_copy_read", mt_get(copy, 0), 0x5eed);
    mt_hex("beyond_read", mt_peek(WIN_VA, &v) ? 0 : v, 0x5eed);
    mt_win_restore();
}

/* §2.4, §6.5: a live table frame maps RO, never RW. */
static void pt_frames(void)
{
    static const char *const keys[] = { "pt_frame0_rw", "pt_frame1_rw",
        "pt_frame2_rw", "pt_frame3_rw", "pt_frame4_rw", "pt_frame5_rw" };
    uint64_t v;

    for (unsigned int k = 0; k < start_info->nr_pt_frames && k < 6; k++)
        mt_rc(keys[k], mt_win_set(mt_ma(mt_l4_pfn + k) | P_ | RW_), -XEN_EBUSY);
    mt_hex("pt_frame_rw_entry_kept", (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(mt_win), 1);
    mt_rc("pt_frame_ro", mt_win_set(mt_ma(mt_l4_pfn) | P_), 0);
    mt_invlpg(WIN_VA);
    mt_hex("pt_frame_ro_reads_l4", !mt_peek(WIN_VA + 511 * 8, &v) &&
           v == mt_get(mt_l4_pfn, 511), 1);
    mt_win_restore();
}

/* §2.3 get_page_from_l1e: RAM we do not own -> -EBUSY, entry unchanged. */
static void foreign_l1e(void)
{
    mt_rc("l1_foreign_ro", mt_win_set((mt_foreign << 12) | P_), -XEN_EBUSY);
    mt_rc("l1_foreign_rw", mt_win_set((mt_foreign << 12) | P_ | RW_), -XEN_EBUSY);
    mt_hex("l1_foreign_entry_kept", (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(mt_win), 1);
}

/* §2.3 flag masks: PSE never, G only in an L1; §2.9 L2 target rules. */
static void upper_flags(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2), l3 = mt_table_pfn(VIRT_BASE, 3);
    unsigned long l1 = mt_pt_new();

    mt_rc("l2_pse", mt_mmu1(mt_slot(l2, 100), mt_ma(mt_d1) | P_ | RW_ | A_ | PSE_, SELF),
          -XEN_EINVAL);
    mt_rc("l2_global", mt_mmu1(mt_slot(l2, 100), mt_ma(l1) | P_ | RW_ | G_, SELF),
          -XEN_EINVAL);
    mt_rc("l3_pse", mt_mmu1(mt_slot(l3, 100), mt_ma(mt_d1) | P_ | RW_ | PSE_, SELF),
          -XEN_EINVAL);
    mt_rc("l4_pse", mt_mmu1(mt_slot(mt_l4_pfn, 300), mt_ma(mt_d1) | P_ | RW_ | PSE_, SELF),
          -XEN_EINVAL);
    mt_rc("l2_to_rw_data", mt_mmu1(mt_slot(l2, 100), mt_ma(mt_d1) | P_ | RW_, SELF),
          -XEN_EINVAL);
    mt_rc("l2_to_foreign", mt_mmu1(mt_slot(l2, 100), (mt_foreign << 12) | P_ | RW_, SELF),
          -XEN_EINVAL);
    /* The control: an empty RO frame validates on demand as an L1 (§3.5). */
    mt_rc("l2_to_empty_l1", mt_mmu1(mt_slot(l2, 100), mt_ma(l1) | P_ | RW_, SELF), 0);
    mt_hex("l2_entry_flags", mt_get(l2, 100) & FLAGS_MASK, U_ | RW_ | P_);
    mt_rc("l1_in_use_rw", mt_rw(l1), -XEN_EBUSY);
    mt_rc("l2_clear", mt_mmu1(mt_slot(l2, 100), 0, SELF), 0);
    mt_rc("l1_after_unhook_rw", mt_rw(l1), 0);
}

/* §2.7: L4 slots 256-271 are the hypervisor's. */
static void l4_xen_slots(void)
{
    mt_rc("l4_slot256", mt_mmu1(mt_slot(mt_l4_pfn, 256), 0, SELF), -XEN_EINVAL);
    mt_rc("l4_slot263", mt_mmu1(mt_slot(mt_l4_pfn, 263), 0, SELF), -XEN_EINVAL);
    mt_rc("l4_slot271", mt_mmu1(mt_slot(mt_l4_pfn, 271), 0, SELF), -XEN_EINVAL);
    mt_rc("l4_slot255_zero", mt_mmu1(mt_slot(mt_l4_pfn, 255), 0, SELF), 0);
    mt_rc("l4_slot272_zero", mt_mmu1(mt_slot(mt_l4_pfn, 272), 0, SELF), 0);
}

/* §2.1 MMU_PT_UPDATE_PRESERVE_AD: old A/D ORed into the new value. */
static void preserve_ad(void)
{
    uint64_t ad = A_ | D_;

    mt_rc("ad_set", mt_win_set(mt_ma(mt_d2) | P_ | RW_ | ad), 0);
    mt_hex("ad_set_flags", mt_win_pte() & ad, ad);
    mt_rc("ad_preserve", mt_mmu1(mt_win_l1e | MMU_PT_UPDATE_PRESERVE_AD,
                                 mt_ma(mt_d2) | P_ | RW_, SELF), 0);
    mt_hex("ad_preserve_flags", mt_win_pte() & ad, ad);
    mt_rc("ad_normal", mt_win_set(mt_ma(mt_d2) | P_ | RW_), 0);
    mt_hex("ad_normal_flags", mt_win_pte() & ad, 0);
    mt_rc("ad_set2", mt_win_set(mt_ma(mt_d2) | P_ | RW_ | ad), 0);
    mt_rc("ad_preserve_new_frame", mt_mmu1(mt_win_l1e | MMU_PT_UPDATE_PRESERVE_AD,
                                           mt_ma(mt_d1) | P_ | RW_, SELF), 0);
    mt_hex("ad_preserve_new_frame_ad", mt_win_pte() & ad, ad);
    mt_hex("ad_preserve_new_frame_is_d1",
           (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(mt_d1), 1);
    mt_rc("no_translate", mt_mmu1(mt_win_l1e | MMU_PT_UPDATE_NO_TRANSLATE,
                                  mt_ma(mt_d2) | P_, SELF), 0);
    mt_hex("no_translate_flags", mt_win_pte() & FLAGS_MASK, GK_ | U_ | P_);
    mt_hex("no_translate_is_d2", (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(mt_d2), 1);
    mt_win_restore();
}

/* §2.10: MMU_MACHPHYS_UPDATE sets M2P[ptr >> 12] = val, frame of FD. */
static void machphys(void)
{
    uint64_t mfn = mt_mfn(mt_d1), v = 0;

    mt_rc("m2p_set", mt_mmu1((mfn << 12) + 0x18 + MMU_MACHPHYS_UPDATE, 0x1234, SELF), 0);
    m2p_read(mfn, &v);
    mt_hex("m2p_set_read", v, 0x1234);
    mt_rc("m2p_restore", mt_mmu1((mfn << 12) | MMU_MACHPHYS_UPDATE, mt_d1, SELF), 0);
    m2p_read(mfn, &v);
    mt_hex("m2p_restored", v == mt_d1, 1);
    mt_rc("m2p_foreign", mt_mmu1((mt_foreign << 12) | MMU_MACHPHYS_UPDATE, 5, SELF),
          -XEN_EINVAL);
    mt_rc("m2p_fd_io", mt_mmu1((mfn << 12) | MMU_MACHPHYS_UPDATE, mt_d1, DOMID_IO),
          -XEN_EINVAL);
    mt_rc("m2p_pfd_own", mt_mmu1((mfn << 12) | MMU_MACHPHYS_UPDATE, mt_d1,
                                 (1UL << 16) | SELF), 0);
}

/* §2.1: pdone counts requests done; the first failure stops the batch. */
static void pdone(void)
{
    struct mmu_update r[4];
    unsigned int done = 0xdead;

    for (unsigned int i = 0; i < 4; i++)
        r[i] = (struct mmu_update){ mt_ma(mt_d1) + (12 + i) * 8, 0x500 + i };
    mt_rc("batch4", mt_mmu(r, 4, &done, SELF), 0);
    mt_dec("batch4_pdone", done, 4);
    mt_rc("batch4_no_pdone", mt_mmu(r, 4, NULL, SELF), 0);
    done = 0xdead;
    mt_rc("count0", mt_mmu(r, 0, &done, SELF), 0);
    mt_dec("count0_pdone", done, 0);

    for (unsigned int i = 0; i < 4; i++)
        r[i] = (struct mmu_update){ mt_ma(mt_d1) + (16 + i) * 8, 0x600 + i };
    r[2].ptr |= 5;
    mt_rc("third_fails", mt_mmu(r, 4, &done, SELF), -XEN_ENOSYS);
    mt_dec("third_fails_pdone", done, 2);
    mt_hex("third_fails_applied", (d1(16) == 0x600) + (d1(17) == 0x601) * 2 +
           (d1(19) == 0x603) * 4, 3);
}

/* §2.9 -EFAULT; pdone is still written (unchecked) for a fault mid-batch. */
static void faults(void)
{
    unsigned long last = mt_end_pfn - 1;
    struct mmu_update *r = (struct mmu_update *)((char *)mt_va(last) + PAGE_SIZE) - 2;
    unsigned int done = 0xdead;

    mt_rc("reqs_unmapped", mt_mmu((void *)0x1000, 1, &done, SELF), -XEN_EFAULT);
    mt_hex("reqs_unmapped_pdone", done, 0);
    done = 0xdead;
    mt_rc("reqs_xen_area", mt_mmu((void *)HYPERVISOR_VIRT_START, 1, &done, SELF),
          -XEN_EFAULT);
    /* guest_handle_okay() fails first: Xen returns before pdone */
    mt_hex("reqs_xen_area_pdone", done, 0xdead);
    r[0] = (struct mmu_update){ mt_ma(mt_d1) + 20 * 8, 0x700 };
    r[1] = (struct mmu_update){ mt_ma(mt_d1) + 21 * 8, 0x701 };
    done = 0xdead;
    mt_rc("reqs_straddle", mt_mmu(r, 3, &done, SELF), -XEN_EFAULT);
    mt_dec("reqs_straddle_pdone", done, 2);
    mt_hex("reqs_straddle_applied", d1(20) == 0x700 && d1(21) == 0x701, 1);
    mt_rc("pdone_unmapped", mt_mmu(r, 1, (void *)0x1000, SELF), 0);
}

/* §2.1: count bit 31 marks a continuation: pdone is read and added to. */
static void continuation_args(void)
{
    struct mmu_update r = { mt_ma(mt_d1) + 22 * 8, 0x800 };
    unsigned int done = 5;

    mt_rc("count_preempted_bit", mt_mmu(&r, 1 | PREEMPTED, &done, SELF), 0);
    mt_dec("count_preempted_bit_pdone", done, 6);
    mt_hex("count_preempted_bit_stored", d1(22), 0x800);
    /* reqs NULL, count == PREEMPTED: the final rc rides in foreigndom. */
    mt_rc("null_preempted_fd", mt_mmu(NULL, PREEMPTED, NULL, 12345), 12345);
}

const struct mmu_case mmu_update_cases[] = {
    { "mmu_update_cmd_4_to_7_enosys",        cmd_4_to_7 },
    { "mmu_update_foreigndom_esrch",         fd_errors },
    { "mmu_update_pt_owner_bits",            pt_owner_bits },
    { "mmu_update_ptr_not_own_frame_einval", ptr_not_ours },
    { "mmu_update_plain_store_non_table",    plain_store },
    { "mmu_update_live_l1_bits_added",       live_l1_bits },
    { "mmu_update_map_frame_beyond_region",  beyond_region },
    { "mmu_update_pt_frame_rw_ebusy_ro_ok",  pt_frames },
    { "mmu_update_l1_foreign_frame_ebusy",   foreign_l1e },
    { "mmu_update_pse_global_upper_einval",  upper_flags },
    { "mmu_update_l4_xen_slots_einval",      l4_xen_slots },
    { "mmu_update_preserve_ad",              preserve_ad },
    { "mmu_update_machphys",                 machphys },
    { "mmu_update_pdone_and_first_failure",  pdone },
    { "mmu_update_faults",                   faults },
    { "mmu_update_continuation_args",        continuation_args },
    { NULL, NULL }
};
