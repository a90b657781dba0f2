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
    conf_rc("mmu_update.cmd.ptr_low_bits_4_is_enosys",
            "command 4 in ptr's low bits is unknown: -ENOSYS",
            mt_mmu1(mt_ma(mt_d1) | 4, 0, SELF), -XEN_ENOSYS);
    conf_rc("mmu_update.cmd.ptr_low_bits_5_is_enosys",
            "command 5 in ptr's low bits is unknown: -ENOSYS",
            mt_mmu1(mt_ma(mt_d1) | 5, 0, SELF), -XEN_ENOSYS);
    conf_rc("mmu_update.cmd.ptr_low_bits_6_is_enosys",
            "command 6 in ptr's low bits is unknown: -ENOSYS",
            mt_mmu1(mt_ma(mt_d1) | 6, 0, SELF), -XEN_ENOSYS);
    conf_rc("mmu_update.cmd.ptr_low_bits_7_is_enosys",
            "command 7 in ptr's low bits is unknown: -ENOSYS",
            mt_mmu1(mt_ma(mt_d1) | 7, 0, SELF), -XEN_ENOSYS);
    conf_hex("mmu_update.cmd.unknown_cmds_store_nothing",
             "a request with an unknown command stores nothing",
             d1(0), D1_MARK);
}

/* §2.1, §6.3: own numeric id is not "self"; unknown ids; pdone left? */
static void fd_errors(void)
{
    struct mmu_update r = { mt_ma(mt_d1) + 8 * 8, 1 };
    unsigned int done = 0xdead;

    conf_rc("mmu_update.foreigndom.own_numeric_id_is_esrch",
            "the caller's own numeric domid as foreigndom is -ESRCH (only DOMID_SELF means self)",
            mt_mmu(&r, 1, &done, 0), -XEN_ESRCH);
    conf_hex("mmu_update.foreigndom.own_numeric_id_writes_pdone_0",
             "a refused foreigndom still writes 0 to pdone",
             done, 0);   /* Xen writes pdone on this path */
    conf_rc("mmu_update.foreigndom.unknown_domid_is_esrch",
            "a foreigndom naming no domain is -ESRCH",
            mt_mmu1(r.ptr, 1, 0x3ff), -XEN_ESRCH);
    conf_rc("mmu_update.foreigndom.domid_cow_is_esrch",
            "DOMID_COW as foreigndom is -ESRCH",
            mt_mmu1(r.ptr, 1, DOMID_COW), -XEN_ESRCH);
    conf_rc("mmu_update.foreigndom.domid_invalid_is_esrch",
            "DOMID_INVALID as foreigndom is -ESRCH",
            mt_mmu1(r.ptr, 1, DOMID_INVALID), -XEN_ESRCH);
    conf_rc("mmu_update.foreigndom.domid_idle_is_esrch",
            "DOMID_IDLE as foreigndom is -ESRCH",
            mt_mmu1(r.ptr, 1, DOMID_IDLE), -XEN_ESRCH);
    conf_hex("mmu_update.foreigndom.refused_stores_nothing",
             "a request refused for its foreigndom stores nothing",
             d1(8), D1_MARK | 8);
}

/* §2.1: bits 16-31 of foreigndom = page-table owner + 1. */
static void pt_owner_bits(void)
{
    uint64_t ptr = mt_ma(mt_d1) + 9 * 8;

    conf_rc("mmu_update.pt_owner.own_id_plus_1_ok",
            "foreigndom bits 16-31 hold the page-table owner plus one; the caller's own id is accepted",
            mt_mmu1(ptr, 0x99, (1UL << 16) | SELF), 0);
    conf_hex("mmu_update.pt_owner.own_id_plus_1_stored",
             "a store with the caller as page-table owner lands",
             d1(9), 0x99);
    conf_rc("mmu_update.pt_owner.unknown_domid_is_esrch",
            "a page-table owner naming no domain is -ESRCH",
            mt_mmu1(ptr, 0x98, (0x101UL << 16) | SELF), -XEN_ESRCH);
    conf_rc("mmu_update.pt_owner.domid_io_is_esrch",
            "DOMID_IO as page-table owner is -ESRCH",
            mt_mmu1(ptr, 0x98, ((DOMID_IO + 1UL) << 16) | SELF),
            -XEN_ESRCH);
    conf_hex("mmu_update.pt_owner.refused_stores_nothing",
             "a request refused for its page-table owner stores nothing",
             d1(9), 0x99);
}

/* §2.2 step 1: ptr must be a frame of the table owner. */
static void ptr_not_ours(void)
{
    conf_rc("mmu_update.ptr.foreign_frame_is_einval",
            "ptr in a RAM frame the caller does not own is -EINVAL",
            mt_mmu1(mt_foreign << 12, 0, SELF), -XEN_EINVAL);
    conf_rc("mmu_update.ptr.io_frame_first_mib_is_einval",
            "ptr in a first-MiB frame (owned by DOMID_IO) is -EINVAL",
            mt_mmu1(0xb8000, 0, SELF), -XEN_EINVAL);
    conf_rc("mmu_update.ptr.beyond_ram_is_einval",
            "ptr in a frame beyond RAM is -EINVAL",
            mt_mmu1(0x7ffff000000UL, 0, SELF), -XEN_EINVAL);
}

/* §2.2 steps 2-3, §6.4: a page that is not a live table takes any value. */
static void plain_store(void)
{
    unsigned long ro = mt_alloc();
    uint64_t junk = (mt_foreign << 12) | P_ | RW_ | PSE_;

    conf_rc("mmu_update.plain_store.rw_data_frame_ok",
            "a store into an RW-mapped data frame of the caller succeeds",
            mt_mmu1(mt_ma(mt_d1) + 10 * 8, 0x1234, SELF), 0);
    conf_hex("mmu_update.plain_store.rw_data_frame_read_back",
             "a store into a data frame lands verbatim",
             d1(10), 0x1234);
    conf_rc("update_va_mapping.setup.remap_data_frame_ro_ok",
            "remapping an own data frame read-only succeeds",
            mt_ro(ro), 0);
    conf_rc("mmu_update.plain_store.ro_frame_any_value_ok",
            "a store into a read-only frame that is no live table takes any value",
            mt_mmu1(mt_slot(ro, 7), junk, SELF), 0);
    conf_hex("mmu_update.plain_store.ro_frame_read_back",
             "a store into a frame that is no live table lands unvalidated",
             mt_get(ro, 7) == junk, 1);
}

/* §2.3 mod_l1_entry, §2.8: Xen adds U + bit 52 (kernel) or U + G (user). */
static void live_l1_bits(void)
{
    uint64_t v;

    conf_rc("mmu_update.l1.kernel_rw_map_ok",
            "a live L1 entry may map an own data frame RW",
            mt_win_set(mt_ma(mt_d1) | P_ | RW_), 0);
    conf_hex("mmu_update.l1.kernel_entry_gets_u_and_bit52",
             "Xen adds U and bit 52 to a kernel L1 entry",
             mt_win_pte() & FLAGS_MASK, GK_ | U_ | RW_ | P_);
    mt_invlpg(WIN_VA);
    conf_hex("mmu_update.l1.kernel_entry_maps_frame",
             "the new L1 entry maps the requested frame",
             mt_peek(WIN_VA, &v) ? 0 : v, D1_MARK);
    conf_rc("mmu_update.l1.user_rw_map_ok",
            "a live L1 entry may map an own data frame RW for the user",
            mt_win_set(mt_ma(mt_d1) | P_ | RW_ | U_), 0);
    /* G only because qemu64 needs no XPTI (docs/testing.md abi.uvm_user_pte_flags) */
    conf_hex("mmu_update.l1.user_entry_gets_global",
             "Xen adds G to a user L1 entry when no XPTI is in force",
             mt_win_pte() & FLAGS_MASK, G_ | U_ | RW_ | P_);
    mt_win_restore();
}

/* §1.2: pfns beyond the bootstrap region are ours but unmapped. */
static void beyond_region(void)
{
    unsigned long pfn = start_info->nr_pages - 1, copy = mt_alloc();
    uint64_t v = 0;

    conf_rc("mmu_update.l1.map_own_frame_beyond_region_ok",
            "an L1 entry may map an own frame outside the bootstrap region",
            mt_win_set(mt_ma(pfn) | P_ | RW_), 0);
    mt_invlpg(WIN_VA);
    *(volatile uint64_t *)WIN_VA = 0x5eed;
    conf_rc("mmuext_op.copy_page.from_frame_beyond_region_ok",
            "COPY_PAGE copies from an own frame outside the bootstrap region",
            mt_ext(MMUEXT_COPY_PAGE, mt_mfn(copy), mt_mfn(pfn), SELF), 0);
    conf_hex("mmuext_op.copy_page.from_frame_beyond_region_read_back",
             "COPY_PAGE copies the bytes written through the new mapping",
             mt_get(copy, 0), 0x5eed);
    conf_hex("mmu_update.l1.map_own_frame_beyond_region_reads",
             "a frame outside the bootstrap region reads back what was written through the mapping",
             mt_peek(WIN_VA, &v) ? 0 : v, 0x5eed);
    mt_win_restore();
}

/* §2.4, §6.5: a live table frame maps RO, never RW. */
static void pt_frames(void)
{
    unsigned long n = start_info->nr_pt_frames;
    uint64_t v;

    /* Up to six bootstrap table frames (Xen builds five for 32 MiB). */
    if (n > 0)
        conf_rc("mmu_update.l1.rw_map_of_bootstrap_pt_frame0_is_ebusy",
                "an L1 entry may not map the bootstrap L4 frame writable",
                mt_win_set(mt_ma(mt_l4_pfn + 0) | P_ | RW_), -XEN_EBUSY);
    if (n > 1)
        conf_rc("mmu_update.l1.rw_map_of_bootstrap_pt_frame1_is_ebusy",
                "an L1 entry may not map the second bootstrap table frame writable",
                mt_win_set(mt_ma(mt_l4_pfn + 1) | P_ | RW_), -XEN_EBUSY);
    if (n > 2)
        conf_rc("mmu_update.l1.rw_map_of_bootstrap_pt_frame2_is_ebusy",
                "an L1 entry may not map the third bootstrap table frame writable",
                mt_win_set(mt_ma(mt_l4_pfn + 2) | P_ | RW_), -XEN_EBUSY);
    if (n > 3)
        conf_rc("mmu_update.l1.rw_map_of_bootstrap_pt_frame3_is_ebusy",
                "an L1 entry may not map the fourth bootstrap table frame writable",
                mt_win_set(mt_ma(mt_l4_pfn + 3) | P_ | RW_), -XEN_EBUSY);
    if (n > 4)
        conf_rc("mmu_update.l1.rw_map_of_bootstrap_pt_frame4_is_ebusy",
                "an L1 entry may not map the fifth bootstrap table frame writable",
                mt_win_set(mt_ma(mt_l4_pfn + 4) | P_ | RW_), -XEN_EBUSY);
    conf_hex("mmu_update.l1.rw_map_of_pt_frame_entry_kept",
             "a refused RW mapping of a table frame leaves the L1 entry unchanged",
             (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(mt_win), 1);
    conf_rc("mmu_update.l1.ro_map_of_live_l4_ok",
            "an L1 entry may map a live L4 frame read-only",
            mt_win_set(mt_ma(mt_l4_pfn) | P_), 0);
    mt_invlpg(WIN_VA);
    conf_hex("mmu_update.l1.ro_map_of_live_l4_reads_l4",
             "a read-only mapping of the live L4 reads its entries",
             !mt_peek(WIN_VA + 511 * 8, &v) &&
             v == mt_get(mt_l4_pfn, 511), 1);
    mt_win_restore();
}

/* §2.3 get_page_from_l1e: RAM we do not own -> -EBUSY, entry unchanged. */
static void foreign_l1e(void)
{
    conf_rc("mmu_update.l1.ro_map_of_foreign_ram_is_ebusy",
            "an L1 entry may not map RAM the caller does not own, even read-only: -EBUSY",
            mt_win_set((mt_foreign << 12) | P_), -XEN_EBUSY);
    conf_rc("mmu_update.l1.rw_map_of_foreign_ram_is_ebusy",
            "an L1 entry may not map RAM the caller does not own writable: -EBUSY",
            mt_win_set((mt_foreign << 12) | P_ | RW_), -XEN_EBUSY);
    conf_hex("mmu_update.l1.foreign_ram_refused_entry_kept",
             "a refused mapping of foreign RAM leaves the L1 entry unchanged",
             (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(mt_win), 1);
}

/* §2.3 flag masks: PSE never, G only in an L1; §2.9 L2 target rules. */
static void upper_flags(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2), l3 = mt_table_pfn(VIRT_BASE, 3);
    unsigned long l1 = mt_pt_new();

    conf_rc("mmu_update.l2.pse_superpage_is_einval",
            "a PV L2 entry may not be a PSE superpage: -EINVAL",
            mt_mmu1(mt_slot(l2, 100), mt_ma(mt_d1) | P_ | RW_ | A_ | PSE_, SELF),
            -XEN_EINVAL);
    conf_rc("mmu_update.l2.global_bit_is_einval",
            "G in a present L2 entry naming an L1 is -EINVAL",
            mt_mmu1(mt_slot(l2, 100), mt_ma(l1) | P_ | RW_ | G_, SELF),
            -XEN_EINVAL);
    conf_rc("mmu_update.l3.pse_superpage_is_einval",
            "a PV L3 entry may not be a PSE superpage: -EINVAL",
            mt_mmu1(mt_slot(l3, 100), mt_ma(mt_d1) | P_ | RW_ | PSE_, SELF),
            -XEN_EINVAL);
    conf_rc("mmu_update.l4.pse_bit_is_einval",
            "PSE in a present L4 entry is -EINVAL",
            mt_mmu1(mt_slot(mt_l4_pfn, 300), mt_ma(mt_d1) | P_ | RW_ | PSE_, SELF),
            -XEN_EINVAL);
    conf_rc("mmu_update.l2.target_rw_data_frame_is_einval",
            "an L2 entry may not name a frame that is mapped writable: -EINVAL",
            mt_mmu1(mt_slot(l2, 100), mt_ma(mt_d1) | P_ | RW_, SELF),
            -XEN_EINVAL);
    conf_rc("mmu_update.l2.target_foreign_ram_is_einval",
            "an L2 entry may not name RAM the caller does not own: -EINVAL",
            mt_mmu1(mt_slot(l2, 100), (mt_foreign << 12) | P_ | RW_, SELF),
            -XEN_EINVAL);
    /* The control: an empty RO frame validates on demand as an L1 (§3.5). */
    conf_rc("mmu_update.l2.target_empty_ro_frame_ok",
            "an L2 entry may name an empty read-only frame, which validates as an L1",
            mt_mmu1(mt_slot(l2, 100), mt_ma(l1) | P_ | RW_, SELF), 0);
    conf_hex("mmu_update.l2.entry_gets_u",
             "Xen adds U to an L2 entry",
             mt_get(l2, 100) & FLAGS_MASK, U_ | RW_ | P_);
    conf_rc("update_va_mapping.pt_type.hooked_l1_rw_is_ebusy",
            "a frame in use as an L1 may not be mapped writable: -EBUSY",
            mt_rw(l1), -XEN_EBUSY);
    conf_rc("mmu_update.l2.clear_entry_ok",
            "clearing a live L2 entry succeeds",
            mt_mmu1(mt_slot(l2, 100), 0, SELF), 0);
    conf_rc("update_va_mapping.pt_type.unhooked_l1_rw_ok",
            "an L1 unhooked from its only L2 entry may be mapped writable again",
            mt_rw(l1), 0);
}

/* §2.7: L4 slots 256-271 are the hypervisor's. */
static void l4_xen_slots(void)
{
    conf_rc("mmu_update.l4.xen_slot_256_is_einval",
            "L4 slot 256 belongs to Xen: -EINVAL",
            mt_mmu1(mt_slot(mt_l4_pfn, 256), 0, SELF), -XEN_EINVAL);
    conf_rc("mmu_update.l4.xen_slot_263_is_einval",
            "L4 slot 263 belongs to Xen: -EINVAL",
            mt_mmu1(mt_slot(mt_l4_pfn, 263), 0, SELF), -XEN_EINVAL);
    conf_rc("mmu_update.l4.xen_slot_271_is_einval",
            "L4 slot 271 belongs to Xen: -EINVAL",
            mt_mmu1(mt_slot(mt_l4_pfn, 271), 0, SELF), -XEN_EINVAL);
    conf_rc("mmu_update.l4.guest_slot_255_zero_ok",
            "L4 slot 255, below Xen's slots, takes a zero entry",
            mt_mmu1(mt_slot(mt_l4_pfn, 255), 0, SELF), 0);
    conf_rc("mmu_update.l4.guest_slot_272_zero_ok",
            "L4 slot 272, above Xen's slots, takes a zero entry",
            mt_mmu1(mt_slot(mt_l4_pfn, 272), 0, SELF), 0);
}

/* §2.1 MMU_PT_UPDATE_PRESERVE_AD: old A/D ORed into the new value. */
static void preserve_ad(void)
{
    uint64_t ad = A_ | D_;

    conf_rc("mmu_update.preserve_ad.l1_with_ad_ok",
            "a live L1 entry may be set with A and D",
            mt_win_set(mt_ma(mt_d2) | P_ | RW_ | ad), 0);
    conf_hex("mmu_update.preserve_ad.l1_with_ad_read_back",
             "A and D asked for in an L1 entry are stored",
             mt_win_pte() & ad, ad);
    conf_rc("mmu_update.preserve_ad.l1_without_ad_ok",
            "PRESERVE_AD on a live L1 entry succeeds",
            mt_mmu1(mt_win_l1e | MMU_PT_UPDATE_PRESERVE_AD,
                                   mt_ma(mt_d2) | P_ | RW_, SELF), 0);
    conf_hex("mmu_update.preserve_ad.l1_old_ad_ored_in",
             "PRESERVE_AD ORs the old entry's A and D into the new L1 entry",
             mt_win_pte() & ad, ad);
    conf_rc("mmu_update.preserve_ad.l1_plain_update_ok",
            "a plain update of a live L1 entry succeeds",
            mt_win_set(mt_ma(mt_d2) | P_ | RW_), 0);
    conf_hex("mmu_update.preserve_ad.l1_plain_update_clears_ad",
             "a plain update stores A and D as given (here clear)",
             mt_win_pte() & ad, 0);
    conf_rc("mmu_update.preserve_ad.l1_with_ad_again_ok",
            "a live L1 entry may be set with A and D again",
            mt_win_set(mt_ma(mt_d2) | P_ | RW_ | ad), 0);
    conf_rc("mmu_update.preserve_ad.l1_other_frame_ok",
            "PRESERVE_AD may change the frame an L1 entry maps",
            mt_mmu1(mt_win_l1e | MMU_PT_UPDATE_PRESERVE_AD,
                                             mt_ma(mt_d1) | P_ | RW_, SELF), 0);
    conf_hex("mmu_update.preserve_ad.l1_other_frame_keeps_ad",
             "PRESERVE_AD keeps the old A and D when the frame changes",
             mt_win_pte() & ad, ad);
    conf_hex("mmu_update.preserve_ad.l1_other_frame_mapped",
             "PRESERVE_AD stores the new frame",
             
             (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(mt_d1), 1);
    conf_rc("mmu_update.no_translate.live_l1_ok",
            "MMU_PT_UPDATE_NO_TRANSLATE on a PV live L1 entry succeeds",
            mt_mmu1(mt_win_l1e | MMU_PT_UPDATE_NO_TRANSLATE,
                                    mt_ma(mt_d2) | P_, SELF), 0);
    conf_hex("mmu_update.no_translate.live_l1_flags_adjusted",
             "a NO_TRANSLATE update of a live L1 entry gets U and bit 52 like any other",
             mt_win_pte() & FLAGS_MASK, GK_ | U_ | P_);
    conf_hex("mmu_update.no_translate.live_l1_maps_frame",
             "a NO_TRANSLATE update of a live L1 entry maps the frame given",
             (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(mt_d2), 1);
    mt_win_restore();
}

/* §2.10: MMU_MACHPHYS_UPDATE sets M2P[ptr >> 12] = val, frame of FD. */
static void machphys(void)
{
    uint64_t mfn = mt_mfn(mt_d1), v = 0;

    conf_rc("mmu_update.machphys.offset_in_ptr_ok",
            "MACHPHYS_UPDATE ignores the byte offset in ptr",
            mt_mmu1((mfn << 12) + 0x18 + MMU_MACHPHYS_UPDATE, 0x1234, SELF), 0);
    m2p_read(mfn, &v);
    conf_hex("mmu_update.machphys.offset_in_ptr_read_back",
             "MACHPHYS_UPDATE sets the M2P slot of ptr's frame to val",
             v, 0x1234);
    conf_rc("mmu_update.machphys.set_own_pfn_ok",
            "MACHPHYS_UPDATE of an own frame back to its pfn succeeds",
            mt_mmu1((mfn << 12) | MMU_MACHPHYS_UPDATE, mt_d1, SELF), 0);
    m2p_read(mfn, &v);
    conf_hex("mmu_update.machphys.set_own_pfn_read_back",
             "the M2P slot reads back the pfn written",
             v == mt_d1, 1);
    conf_rc("mmu_update.machphys.foreign_frame_is_einval",
            "MACHPHYS_UPDATE of a frame the caller does not own is -EINVAL",
            mt_mmu1((mt_foreign << 12) | MMU_MACHPHYS_UPDATE, 5, SELF),
            -XEN_EINVAL);
    conf_rc("mmu_update.machphys.own_frame_fd_io_is_einval",
            "MACHPHYS_UPDATE of an own RAM frame with foreigndom DOMID_IO is -EINVAL",
            mt_mmu1((mfn << 12) | MMU_MACHPHYS_UPDATE, mt_d1, DOMID_IO),
            -XEN_EINVAL);
    conf_rc("mmu_update.machphys.pt_owner_self_ok",
            "MACHPHYS_UPDATE with the caller as page-table owner succeeds",
            mt_mmu1((mfn << 12) | MMU_MACHPHYS_UPDATE, mt_d1,
                                   (1UL << 16) | SELF), 0);
}

/* §2.1: pdone counts requests done; the first failure stops the batch. */
static void pdone(void)
{
    struct mmu_update r[4];
    unsigned int done = 0xdead;

    for (unsigned int i = 0; i < 4; i++)
        r[i] = (struct mmu_update){ mt_ma(mt_d1) + (12 + i) * 8, 0x500 + i };
    conf_rc("mmu_update.pdone.batch_of_4_ok",
            "a batch of four plain stores succeeds",
            mt_mmu(r, 4, &done, SELF), 0);
    conf_dec("mmu_update.pdone.batch_of_4_is_4",
             "pdone counts the requests done",
             done, 4);
    conf_rc("mmu_update.pdone.null_pdone_ok",
            "pdone may be NULL",
            mt_mmu(r, 4, NULL, SELF), 0);
    done = 0xdead;
    conf_rc("mmu_update.pdone.count0_ok",
            "a count of zero succeeds",
            mt_mmu(r, 0, &done, SELF), 0);
    conf_dec("mmu_update.pdone.count0_is_0",
             "a count of zero writes 0 to pdone",
             done, 0);

    for (unsigned int i = 0; i < 4; i++)
        r[i] = (struct mmu_update){ mt_ma(mt_d1) + (16 + i) * 8, 0x600 + i };
    r[2].ptr |= 5;
    conf_rc("mmu_update.pdone.third_request_fails_enosys",
            "a batch returns the first failing request's error",
            mt_mmu(r, 4, &done, SELF), -XEN_ENOSYS);
    conf_dec("mmu_update.pdone.third_request_fails_is_2",
             "pdone counts the requests done before the first failure",
             done, 2);
    conf_hex("mmu_update.pdone.third_request_fails_stops_batch",
             "requests before the failure are applied, those after it are not",
             (d1(16) == 0x600) + (d1(17) == 0x601) * 2 +
             (d1(19) == 0x603) * 4, 3);
}

/* §2.9 -EFAULT; pdone is still written (unchecked) for a fault mid-batch. */
static void faults(void)
{
    unsigned long last = mt_end_pfn - 1;
    struct mmu_update *r = (struct mmu_update *)((char *)mt_va(last) + PAGE_SIZE) - 2;
    unsigned int done = 0xdead;

    conf_rc("mmu_update.fault.reqs_unmapped_is_efault",
            "an unmapped request array is -EFAULT",
            mt_mmu((void *)0x1000, 1, &done, SELF), -XEN_EFAULT);
    conf_hex("mmu_update.fault.reqs_unmapped_writes_pdone_0",
             "an unreadable first request still writes 0 to pdone",
             done, 0);
    done = 0xdead;
    conf_rc("mmu_update.fault.reqs_xen_area_is_efault",
            "a request array in Xen's area is -EFAULT",
            mt_mmu((void *)HYPERVISOR_VIRT_START, 1, &done, SELF),
            -XEN_EFAULT);
    /* guest_handle_okay() fails first: Xen returns before pdone */
    conf_hex("mmu_update.fault.reqs_xen_area_pdone_untouched",
             "a request array in Xen's area fails before pdone is written",
             done, 0xdead);
    r[0] = (struct mmu_update){ mt_ma(mt_d1) + 20 * 8, 0x700 };
    r[1] = (struct mmu_update){ mt_ma(mt_d1) + 21 * 8, 0x701 };
    done = 0xdead;
    conf_rc("mmu_update.fault.reqs_run_into_unmapped_is_efault",
            "a request array that runs into an unmapped page is -EFAULT at the first unreadable request",
            mt_mmu(r, 3, &done, SELF), -XEN_EFAULT);
    conf_dec("mmu_update.fault.reqs_run_into_unmapped_is_2",
             "pdone counts the requests read before the fault",
             done, 2);
    conf_hex("mmu_update.fault.reqs_run_into_unmapped_applied",
             "requests read before the fault are applied",
             d1(20) == 0x700 && d1(21) == 0x701, 1);
    conf_rc("mmu_update.fault.pdone_unmapped_ok",
            "an unmapped pdone is no reason to fail",
            mt_mmu(r, 1, (void *)0x1000, SELF), 0);
}

/* §2.1: count bit 31 marks a continuation: pdone is read and added to. */
static void continuation_args(void)
{
    struct mmu_update r = { mt_ma(mt_d1) + 22 * 8, 0x800 };
    unsigned int done = 5;

    conf_rc("mmu_update.continuation.count_bit31_ok",
            "count bit 31 marks a continuation and is accepted from a guest",
            mt_mmu(&r, 1 | PREEMPTED, &done, SELF), 0);
    conf_dec("mmu_update.continuation.count_bit31_adds_to_pdone",
             "a continuation adds the requests done to the pdone it reads",
             done, 6);
    conf_hex("mmu_update.continuation.count_bit31_stored",
             "a continuation runs its requests",
             d1(22), 0x800);
    /* reqs NULL, count == PREEMPTED: the final rc rides in foreigndom. */
    conf_rc("mmu_update.continuation.null_reqs_returns_foreigndom",
            "NULL reqs with count exactly bit 31 return foreigndom as the result",
            mt_mmu(NULL, PREEMPTED, NULL, 12345), 12345);
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
