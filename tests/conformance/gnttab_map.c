/*
 * gnttab_map.c - mapping grants: GNTTABOP_map_grant_ref and
 * unmap_grant_ref by virtual address and by PTE address
 * (GNTMAP_contains_pte), read-only and read-write; every status code dom0
 * alone can provoke; the pin probe (a frame another mapping holds
 * writable cannot become a page table of its owner, and can once that
 * mapping is gone); and the grant advisories:
 *
 * XSA-224: unmap paths mishandled reference counts.  Each unmap in a
 *   batch is all-or-nothing: a refused one leaves its mapping, the
 *   entry's flags and the frame's writable count as they were.
 * XSA-227: map with GNTMAP_contains_pte trusted an unaligned PTE address
 *   (it could write across two entries).  Refused: GNTST_general_error.
 * XSA-234: unmap only checked the PTE's frame, not that it was present
 *   and writable like the grant mapping, so a read-only alias could be
 *   "unmapped" in place of the writable one.  Refused now.
 *
 * dom0 grants to itself: entries name domid 0 (SELF_ID).
 */
#include "kernel.h"
#include "mm.h"
#include "console.h"
#include "lib.h"
#include "gnttab_test.h"
#include "guest-hypercall.h"

#define MAP     GNTMAP_host_map
#define MAP_RO  (GNTMAP_host_map | GNTMAP_readonly)
#define MAP_PTE (GNTMAP_host_map | GNTMAP_contains_pte)
#define NX_     (1UL << 63)
#define TAG     0x6772616e74000000UL   /* "grant", bit 0 clear */
#define TAG2    0x7772697465000000UL   /* "write" */

static unsigned long va2_pfn;           /* a second VA to map at */

static uint64_t pte_of(unsigned long va)
{
    return *l1e_of(va);
}

static void prepare(void)
{
    if (!va2_pfn)
        va2_pfn = mt_alloc();
    gt_fill(gt_data, TAG);
    gnttab_grant_ref(R_RW, SELF_ID, mt_mfn(gt_data), false);
    gnttab_grant_ref(R_RO, SELF_ID, mt_mfn(gt_data), true);
    gnttab_grant_ref(R_OTHER, 5, mt_mfn(gt_data), false);
}

/* A VA of ours the hypervisor cleared by unmapping: map its frame again. */
static void remap(unsigned long pfn)
{
    mt_step("remap_own_frame", mt_rw(pfn), 0);
}

static void map_va_rw(void)
{
    grant_handle_t h = 0xdead, h2;
    uint64_t dev = 0x1234;
    struct gnttab_map_grant_ref m = { .host_addr = WIN_VA, .flags = MAP,
                                      .ref = R_RW, .dom = SELF_ID };

    prepare();
    conf_rc("grant_table_op.map.domid_self_is_bad_domain",
            "map_grant_ref naming DOMID_SELF as the granting domain answers GNTST_bad_domain (it takes a real domid)",
            gt_map(DOMID_SELF, R_RW, WIN_VA, MAP, NULL), GNTST_bad_domain);
    conf_rc("grant_table_op.map.va_rw_is_0",
            "map_grant_ref by VA of a ref granted to ourselves answers 0",
            gnttab_op(GNTTABOP_map_grant_ref, &m, 1), 0);
    conf_rc("grant_table_op.map.va_rw_status_okay",
            "map_grant_ref by VA (our own domid, read-write) answers GNTST_okay", m.status, GNTST_okay);
    h = m.handle;
    dev = m.dev_bus_addr;
    mt_local("gnttab_handle", h);
    conf_hex("grant_table_op.map.va_rw_dev_bus_addr_is_frame",
             "a host mapping by dom0 (no IOMMU) reports dev_bus_addr = the frame's machine address",
             dev == mt_ma(gt_data), 1);
    conf_hex("grant_table_op.map.va_rw_entry_flags_reading_writing",
             "while mapped read-write the entry reads permit_access|reading|writing",
             gnttab_flags(R_RW), GTF_permit_access | GTF_reading | GTF_writing);
    conf_hex("grant_table_op.map.va_rw_pte_names_granted_frame",
             "the PTE at the VA now names the granted frame",
             (pte_of(WIN_VA) & PTE_ADDR_MASK) >> 12 == mt_mfn(gt_data), 1);
    conf_hex("grant_table_op.map.va_rw_pte_flags",
             "the PTE flags of a read-write grant mapping (Xen writes them)",
             pte_of(WIN_VA) & FLAGS_MASK, NX_ | P_ | RW_ | U_ | A_ | D_ | GK_);
    conf_hex("grant_table_op.map.va_rw_reads_granted_data",
             "reading through the mapping gives the granted frame's words",
             *(volatile uint64_t *)(WIN_VA + 8 * 9), TAG | 18);
    *(volatile uint64_t *)(WIN_VA + 8 * 3) = TAG2;
    conf_hex("grant_table_op.map.va_rw_write_lands_in_frame",
             "a write through the mapping lands in the granting side's frame",
             mt_get(gt_data, 3), TAG2);
    ((uint64_t *)mt_va(gt_data))[3] = TAG | 6;

    /* The pin probe: the only writable mapping left is the grant's. */
    mt_step("own_mapping_ro", mt_ro(gt_data), 0);
    conf_rc("mmuext_op.gnttab.pin_l1_while_mapped_rw_is_einval",
            "a frame mapped read-write through a grant cannot be pinned as an L1 by its owner",
            mt_pin(1, gt_data), -XEN_EINVAL);
    conf_hex("grant_table_op.end.while_mapped_refused",
             "a grant cannot be ended while mapped (the flags cmpxchg sees reading|writing)",
             gnttab_end(R_RW), 0);

    /* Second mapping of the same grant, then unmap errors. */
    conf_rc("grant_table_op.map.same_ref_twice_is_okay",
            "the same ref can be mapped again at another VA",
            gt_map(SELF_ID, R_RW, (unsigned long)mt_va(va2_pfn), MAP, &h2), GNTST_okay);
    conf_hex("grant_table_op.map.two_handles_differ",
             "two mappings get two handles", h != h2, 1);
    conf_rc("grant_table_op.unmap.other_frame_va_is_general_error",
            "unmap at a VA that maps another frame answers GNTST_general_error",
            gt_unmap((unsigned long)mt_va(mt_d1), h), GNTST_general_error);
    conf_rc("grant_table_op.unmap.bad_handle_is_bad_handle",
            "unmap with a handle never issued (0x7777) answers GNTST_bad_handle",
            gt_unmap(WIN_VA, 0x7777), GNTST_bad_handle);
    conf_rc("grant_table_op.unmap.huge_handle_is_bad_handle",
            "unmap with handle 0xffffffff answers GNTST_bad_handle",
            gt_unmap(WIN_VA, 0xffffffffu), GNTST_bad_handle);
    conf_hex("grant_table_op.unmap.refusals_leave_both_ptes",
             "after the refused unmaps both VAs still map the granted frame",
             (pte_of(WIN_VA) & PTE_ADDR_MASK) == mt_ma(gt_data) &&
             (pte_of((unsigned long)mt_va(va2_pfn)) & PTE_ADDR_MASK) == mt_ma(gt_data), 1);
    conf_rc("grant_table_op.unmap.other_handles_va_same_frame_is_okay",
            "unmap checks the PTE's frame and flags, not which handle made it: handle 2 at mapping 1's VA answers GNTST_okay",
            gt_unmap(WIN_VA, h2), GNTST_okay);
    conf_hex("grant_table_op.unmap.va_cleared",
             "after unmap by VA the PTE is 0 (Xen clears it, it does not restore the old one)",
             pte_of(WIN_VA), 0);
    conf_hex("grant_table_op.unmap.one_left_still_writing",
             "with one read-write mapping left the entry still reads reading|writing",
             gnttab_flags(R_RW), GTF_permit_access | GTF_reading | GTF_writing);
    conf_rc("grant_table_op.unmap.dev_bus_addr_ignored_for_host_map",
            "unmap of a host-only mapping ignores dev_bus_addr (here another frame's): handle 1 at handle 2's VA answers GNTST_okay",
            ({ int16_t s; long r = gnttab_unmap((unsigned long)mt_va(va2_pfn), h,
                                                 mt_ma(mt_d1), &s); r ? r : s; }),
            GNTST_okay);
    conf_hex("grant_table_op.unmap.last_va_cleared",
             "after the last unmap that VA's PTE is 0 too", pte_of((unsigned long)mt_va(va2_pfn)), 0);
    conf_hex("grant_table_op.unmap.entry_flags_back",
             "after the last unmap the entry reads permit_access only",
             gnttab_flags(R_RW), GTF_permit_access);
    conf_rc("grant_table_op.unmap.twice_is_bad_handle",
            "unmapping the same handle again answers GNTST_bad_handle",
            gt_unmap((unsigned long)mt_va(va2_pfn), h), GNTST_bad_handle);
    remap(va2_pfn);
    mt_win_restore();
    conf_rc("mmuext_op.gnttab.pin_l1_after_unmap_is_0",
            "once the grant mapping is gone its owner can pin the frame as an L1",
            mt_pin(1, gt_data), 0);
    mt_step("unpin", mt_unpin(gt_data), 0);
    conf_hex("grant_table_op.end.after_unmap_is_true",
             "after the unmap the grant can be ended", gnttab_end(R_RW), 1);
    gnttab_grant_ref(R_RW, SELF_ID, mt_mfn(gt_data), false);
    mt_step("own_mapping_rw", mt_rw(gt_data), 0);
}

static void map_va_ro(void)
{
    grant_handle_t h;

    prepare();
    conf_rc("grant_table_op.map.va_ro_is_okay",
            "map_grant_ref read-only of a read-only grant answers GNTST_okay",
            gt_map(SELF_ID, R_RO, WIN_VA, MAP_RO, &h), GNTST_okay);
    conf_hex("grant_table_op.map.va_ro_pte_flags",
             "the PTE flags of a read-only grant mapping (no RW)",
             pte_of(WIN_VA) & FLAGS_MASK, NX_ | P_ | U_ | A_ | D_ | GK_);
    conf_hex("grant_table_op.map.va_ro_entry_flags_reading",
             "while mapped read-only the entry reads permit_access|readonly|reading",
             gnttab_flags(R_RO), GTF_permit_access | GTF_readonly | GTF_reading);
    mt_step("own_mapping_ro", mt_ro(gt_data), 0);
    conf_rc("mmuext_op.gnttab.pin_l1_while_mapped_ro_is_0",
            "a frame mapped only read-only through a grant can be pinned as an L1",
            mt_pin(1, gt_data), 0);
    conf_rc("grant_table_op.map.rw_of_pinned_frame_is_general_error",
            "mapping read-write a grant of a frame pinned as a page table answers GNTST_general_error",
            gt_map(SELF_ID, R_RW, (unsigned long)mt_va(va2_pfn), MAP, NULL), GNTST_general_error);
    conf_hex("grant_table_op.map.refused_leaves_pte",
             "the refused map leaves the target VA mapping its own frame",
             (pte_of((unsigned long)mt_va(va2_pfn)) & PTE_ADDR_MASK) == mt_ma(va2_pfn), 1);
    mt_step("unpin", mt_unpin(gt_data), 0);
    mt_step("own_mapping_rw", mt_rw(gt_data), 0);
    conf_rc("grant_table_op.map.rw_of_ro_grant_is_general_error",
            "mapping read-write a ref granted read-only answers GNTST_general_error",
            gt_map(SELF_ID, R_RO, (unsigned long)mt_va(va2_pfn), MAP, NULL), GNTST_general_error);
    conf_rc("grant_table_op.map.ro_of_rw_grant_is_okay",
            "mapping read-only a ref granted read-write answers GNTST_okay",
            ({ grant_handle_t h3; long r = gt_map(SELF_ID, R_RW,
                   (unsigned long)mt_va(va2_pfn), MAP_RO, &h3);
               if (!r)
                   r = gt_unmap((unsigned long)mt_va(va2_pfn), h3);
               r; }), GNTST_okay);
    remap(va2_pfn);
    conf_rc("grant_table_op.unmap.va_ro_is_okay",
            "unmap of the read-only mapping answers GNTST_okay", gt_unmap(WIN_VA, h), GNTST_okay);
    conf_hex("grant_table_op.unmap.ro_entry_flags_back",
             "after unmap the read-only entry reads permit_access|readonly",
             gnttab_flags(R_RO), GTF_permit_access | GTF_readonly);
    mt_win_restore();
}

static void map_errors(void)
{
    unsigned long va = (unsigned long)mt_va(va2_pfn);
    uint64_t before;

    prepare();
    before = pte_of(va);
    conf_rc("grant_table_op.map.ref_past_table_is_bad_gntref",
            "map of a ref past the end of the table answers GNTST_bad_gntref",
            gt_map(SELF_ID, 0x100000, va, MAP, NULL), GNTST_bad_gntref);
    conf_rc("grant_table_op.map.ungranted_ref_is_general_error",
            "map of a ref whose entry grants nothing answers GNTST_general_error",
            gt_map(SELF_ID, R_NONE, va, MAP, NULL), GNTST_general_error);
    conf_rc("grant_table_op.map.granted_to_other_domain_is_general_error",
            "map of a ref granted to another domain answers GNTST_general_error",
            gt_map(SELF_ID, R_OTHER, va, MAP, NULL), GNTST_general_error);
    conf_rc("grant_table_op.map.no_host_or_device_flag_is_bad_gntref",
            "map with neither GNTMAP_host_map nor GNTMAP_device_map answers GNTST_bad_gntref",
            gt_map(SELF_ID, R_RW, va, 0, NULL), GNTST_bad_gntref);
    conf_rc("grant_table_op.map.unknown_domain_is_bad_domain",
            "map from a domain that does not exist answers GNTST_bad_domain",
            gt_map(100, R_RW, va, MAP, NULL), GNTST_bad_domain);
    conf_rc("grant_table_op.map.xen_va_is_general_error",
            "map at a VA in the hypervisor's area answers GNTST_general_error",
            gt_map(SELF_ID, R_RW, 0xffff800000001000UL, MAP, NULL), GNTST_general_error);
    conf_rc("grant_table_op.map.va_zero_is_general_error",
            "map at VA 0 (no L1 maps it) answers GNTST_general_error",
            gt_map(SELF_ID, R_RW, 0, MAP, NULL), GNTST_general_error);
    conf_rc("grant_table_op.map.count_0_is_0",
            "map_grant_ref with count 0 answers 0", gnttab_op(GNTTABOP_map_grant_ref, NULL, 0), 0);
    conf_rc("grant_table_op.map.bad_pointer_is_efault",
            "map_grant_ref with its argument in the hypervisor's area is -EFAULT",
            gnttab_op(GNTTABOP_map_grant_ref, (void *)0xffff800000001000UL, 1), -XEN_EFAULT);
    conf_hex("grant_table_op.map.refusals_leave_pte",
             "after the refused maps the target VA's PTE is unchanged", pte_of(va) == before, 1);
    conf_hex("grant_table_op.map.refusals_leave_flags",
             "after the refused maps the entry's flags are unchanged",
             gnttab_flags(R_RW), GTF_permit_access);
}

static void contains_pte(void)
{
    grant_handle_t h;
    uint64_t before = mt_win_pte();
    unsigned long l2 = mt_table_pfn(WIN_VA, 2);

    prepare();
    conf_rc("grant_table_op.map.pte_rw_is_okay",
            "map with GNTMAP_contains_pte at the machine address of one of our L1 entries answers GNTST_okay",
            gt_map(SELF_ID, R_RW, mt_win_l1e, MAP_PTE, &h), GNTST_okay);
    conf_hex("grant_table_op.map.pte_names_granted_frame",
             "the L1 entry now names the granted frame",
             (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(gt_data), 1);
    mt_invlpg(WIN_VA);
    conf_hex("grant_table_op.map.pte_reads_granted_data",
             "reading through the entry's VA gives the granted frame's words",
             *(volatile uint64_t *)(WIN_VA + 8 * 5), TAG | 10);
    mt_step("own_mapping_ro", mt_ro(gt_data), 0);
    conf_rc("mmuext_op.gnttab.pin_l1_while_pte_mapped_is_einval",
            "a frame mapped read-write through a grant PTE cannot be pinned as an L1",
            mt_pin(1, gt_data), -XEN_EINVAL);
    conf_rc("grant_table_op.unmap.pte_unaligned_is_general_error",
            "unmap by PTE address not 8-byte aligned answers GNTST_general_error (XSA-227)",
            gt_unmap(mt_win_l1e + 4, h), GNTST_general_error);
    conf_rc("grant_table_op.unmap.pte_is_okay",
            "unmap by the same PTE address answers GNTST_okay", gt_unmap(mt_win_l1e, h), GNTST_okay);
    conf_hex("grant_table_op.unmap.pte_cleared",
             "after unmap by PTE the entry is 0", mt_win_pte(), 0);
    conf_rc("mmuext_op.gnttab.pin_l1_after_pte_unmap_is_0",
            "after the PTE unmap the owner can pin the frame as an L1", mt_pin(1, gt_data), 0);
    mt_step("unpin", mt_unpin(gt_data), 0);
    mt_step("own_mapping_rw", mt_rw(gt_data), 0);
    mt_win_restore();

    before = mt_win_pte();
    conf_rc("grant_table_op.xsa227.pte_unaligned_is_general_error",
            "map with GNTMAP_contains_pte at an address not 8-byte aligned answers GNTST_general_error (XSA-227)",
            gt_map(SELF_ID, R_RW, mt_win_l1e + 4, MAP_PTE, NULL), GNTST_general_error);
    conf_rc("grant_table_op.xsa227.pte_offset_1_is_general_error",
            "map with GNTMAP_contains_pte at entry address + 1 answers GNTST_general_error (XSA-227)",
            gt_map(SELF_ID, R_RW, mt_win_l1e + 1, MAP_PTE, NULL), GNTST_general_error);
    conf_hex("grant_table_op.xsa227.entries_unchanged",
             "after the refused unaligned maps the entry and its neighbour are unchanged",
             mt_win_pte() == before && gnttab_flags(R_RW) == GTF_permit_access, 1);
    conf_rc("grant_table_op.map.pte_in_data_frame_is_general_error",
            "map with GNTMAP_contains_pte into a frame that is not a page table answers GNTST_general_error",
            gt_map(SELF_ID, R_RW, mt_ma(mt_d1) + 8, MAP_PTE, NULL), GNTST_general_error);
    conf_hex("grant_table_op.map.pte_in_data_frame_unchanged",
             "the refused map left the data frame's word alone", mt_get(mt_d1, 1), D1_MARK | 1);
    conf_rc("grant_table_op.map.pte_in_foreign_frame_is_general_error",
            "map with GNTMAP_contains_pte into a frame we do not own answers GNTST_general_error",
            gt_map(SELF_ID, R_RW, (mt_foreign << 12) + 8, MAP_PTE, NULL), GNTST_general_error);
    conf_rc("grant_table_op.map.pte_in_l2_is_general_error",
            "map with GNTMAP_contains_pte into one of our L2 tables answers GNTST_general_error",
            gt_map(SELF_ID, R_RW, mt_slot(l2, 500), MAP_PTE, NULL), GNTST_general_error);
    conf_hex("grant_table_op.map.pte_refusals_leave_flags",
             "after the refused PTE maps the entry's flags are unchanged",
             gnttab_flags(R_RW), GTF_permit_access);
}

/* XSA-224: two mappings, one batch of two unmaps, the second refused. */
static void xsa224(void)
{
    unsigned long va2 = (unsigned long)mt_va(va2_pfn);
    grant_handle_t h1, h2;
    struct gnttab_unmap_grant_ref u[2];

    prepare();
    mt_step("map_1", gt_map(SELF_ID, R_RW, WIN_VA, MAP, &h1), 0);
    mt_step("map_2", gt_map(SELF_ID, R_RW, va2, MAP, &h2), 0);
    memset(u, 0, sizeof(u));
    u[0].host_addr = WIN_VA;
    u[0].handle = h1;
    u[1].host_addr = WIN_VA;        /* wrong: h2 is at va2 */
    u[1].handle = h2;
    conf_rc("grant_table_op.xsa224.batch_unmap_is_0",
            "a batch of two unmaps, the second with the wrong VA, answers 0 (statuses per op)",
            gnttab_op(GNTTABOP_unmap_grant_ref, u, 2), 0);
    conf_rc("grant_table_op.xsa224.first_unmap_okay",
            "the good unmap of the batch answers GNTST_okay (XSA-224)", u[0].status, GNTST_okay);
    conf_rc("grant_table_op.xsa224.second_unmap_general_error",
            "the bad unmap of the batch answers GNTST_general_error (XSA-224)",
            u[1].status, GNTST_general_error);
    conf_hex("grant_table_op.xsa224.refused_mapping_still_live",
             "the refused unmap left its mapping: va2 still maps the granted frame",
             (pte_of(va2) & PTE_ADDR_MASK) == mt_ma(gt_data), 1);
    conf_hex("grant_table_op.xsa224.entry_still_writing",
             "the entry still reads reading|writing (one mapping left)",
             gnttab_flags(R_RW), GTF_permit_access | GTF_reading | GTF_writing);
    mt_step("own_mapping_ro", mt_ro(gt_data), 0);
    conf_rc("mmuext_op.xsa224.pin_still_einval",
            "the pin probe still fails: the writable count was not dropped by the refused unmap (XSA-224)",
            mt_pin(1, gt_data), -XEN_EINVAL);
    conf_rc("grant_table_op.xsa224.second_unmap_retry_okay",
            "the refused unmap, retried with the right VA, answers GNTST_okay",
            gt_unmap(va2, h2), GNTST_okay);
    conf_rc("grant_table_op.xsa224.first_handle_gone",
            "the handle unmapped in the batch is gone: GNTST_bad_handle",
            gt_unmap(WIN_VA, h1), GNTST_bad_handle);
    conf_rc("mmuext_op.xsa224.pin_after_both_unmaps_is_0",
            "after both unmaps the pin probe succeeds (counts balanced)", mt_pin(1, gt_data), 0);
    mt_step("unpin", mt_unpin(gt_data), 0);
    mt_step("own_mapping_rw", mt_rw(gt_data), 0);
    remap(va2_pfn);
    mt_win_restore();
}

/* XSA-234: unmap must check the PTE is present and as writable as the grant map. */
static void xsa234(void)
{
    unsigned long va2 = (unsigned long)mt_va(va2_pfn);
    unsigned long gone = mt_alloc();
    grant_handle_t hrw, hro;

    prepare();
    mt_step("map_rw", gt_map(SELF_ID, R_RW, WIN_VA, MAP, &hrw), 0);
    mt_step("map_ro", gt_map(SELF_ID, R_RW, va2, MAP_RO, &hro), 0);
    conf_rc("grant_table_op.xsa234.unmap_rw_handle_at_ro_pte_is_general_error",
            "unmap of the read-write handle at the read-only mapping of the same frame answers GNTST_general_error (XSA-234)",
            gt_unmap(va2, hrw), GNTST_general_error);
    conf_rc("grant_table_op.xsa234.unmap_ro_handle_at_rw_pte_is_general_error",
            "unmap of the read-only handle at the read-write mapping of the same frame answers GNTST_general_error (XSA-234)",
            gt_unmap(WIN_VA, hro), GNTST_general_error);
    mt_step("unmap_own_va", mt_map(gone, 0), 0);
    conf_rc("grant_table_op.xsa234.unmap_at_not_present_pte_is_general_error",
            "unmap at a VA whose PTE is not present answers GNTST_general_error (XSA-234)",
            gt_unmap((unsigned long)mt_va(gone), hrw), GNTST_general_error);
    conf_hex("grant_table_op.xsa234.both_mappings_intact",
             "after the refused unmaps both PTEs still map the frame, one RW, one RO",
             (pte_of(WIN_VA) & (PTE_ADDR_MASK | RW_)) == (mt_ma(gt_data) | RW_) &&
             (pte_of(va2) & (PTE_ADDR_MASK | RW_)) == mt_ma(gt_data), 1);
    mt_step("own_mapping_ro", mt_ro(gt_data), 0);
    conf_rc("mmuext_op.xsa234.pin_still_einval",
            "the pin probe still fails: the writable mapping still counts (XSA-234)",
            mt_pin(1, gt_data), -XEN_EINVAL);
    conf_rc("grant_table_op.xsa234.unmap_rw_okay",
            "unmap of the read-write handle at its own VA answers GNTST_okay",
            gt_unmap(WIN_VA, hrw), GNTST_okay);
    conf_rc("grant_table_op.xsa234.unmap_ro_okay",
            "unmap of the read-only handle at its own VA answers GNTST_okay",
            gt_unmap(va2, hro), GNTST_okay);
    conf_rc("mmuext_op.xsa234.pin_after_unmaps_is_0",
            "after both unmaps the pin probe succeeds", mt_pin(1, gt_data), 0);
    mt_step("unpin", mt_unpin(gt_data), 0);
    mt_step("own_mapping_rw", mt_rw(gt_data), 0);
    remap(va2_pfn);
    remap(gone);
    mt_win_restore();
}

/*
 * Overwriting a grant PTE with update_va_mapping: Xen 4.17 (a release
 * build, no _PAGE_GNTTAB marker) accepts it as an ordinary PTE change and
 * drops the writable reference the grant map took; the grant stays
 * active (its handle can no longer be unmapped: the PTE is gone).  Own
 * frame and ref, run after the others.
 */
static void uvm_over_grant(void)
{
    unsigned long f = mt_alloc(), va = (unsigned long)mt_va(va2_pfn);
    grant_handle_t h;

    gnttab_grant_ref(R_LEAK, SELF_ID, mt_mfn(f), false);
    mt_step("map", gt_map(SELF_ID, R_LEAK, va, MAP, &h), 0);
    mt_step("own_mapping_ro", mt_ro(f), 0);
    conf_rc("update_va_mapping.gnttab.over_grant_pte_is_0",
            "update_va_mapping over a grant PTE answers 0 (an implicit unmap, not refused)",
            mt_rw(va2_pfn), 0);
    conf_hex("update_va_mapping.gnttab.over_grant_pte_entry_still_writing",
             "after the implicit unmap the grant stays active: reading|writing",
             gnttab_flags(R_LEAK), GTF_permit_access | GTF_reading | GTF_writing);
    conf_rc("update_va_mapping.gnttab.over_grant_pte_unmap_is_general_error",
            "the handle can no longer be unmapped at its VA: GNTST_general_error",
            gt_unmap(va, h), GNTST_general_error);
    conf_rc("mmuext_op.gnttab.pin_after_implicit_unmap_is_0",
            "the writable reference went with the PTE: the pin probe answers 0",
            mt_pin(1, f), 0);
    mt_step("unpin", mt_unpin(f), 0);
    conf_hex("update_va_mapping.gnttab.over_grant_pte_end_refused",
             "the still-active grant cannot be ended", gnttab_end(R_LEAK), 0);
    conf_rc("grant_table_op.set_version.v2_with_active_grant_is_ebusy",
            "set_version 2 while a grant is active (mapped) is -EBUSY",
            ({ struct gnttab_set_version sv = { .version = 2 };
               gnttab_op(GNTTABOP_set_version, &sv, 1); }), -XEN_EBUSY);
}

/* Last: it leaves R_LEAK active for good. */
const struct mmu_case gnttab_last_cases[] = {
    { "uvm_over_grant_pte", uvm_over_grant },
    { NULL, NULL },
};

const struct mmu_case gnttab_map_cases[] = {
    { "map_va_rw_and_pin_probe", map_va_rw },
    { "map_va_ro", map_va_ro },
    { "map_errors", map_errors },
    { "contains_pte_and_xsa227", contains_pte },
    { "xsa224_batch_unmap", xsa224 },
    { "xsa234_unmap_checks", xsa234 },
    { NULL, NULL },
};
