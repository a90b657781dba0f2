/*
 * gnttab_table.c - the grant table itself: GNTTABOP_query_size,
 * setup_table (sizes, limits, the frame list and its frames), get/
 * set_version and get_status_frames (with XSA-255), and GNTTABOP_copy.
 *
 * Most grant ops answer 0 and put the verdict in each op's `status`
 * (GNTST_*); only malformed calls (count, pointer, command) are refused
 * with an errno.  Cases name which of the two they check.
 */
#include "kernel.h"
#include "mm.h"
#include "console.h"
#include "lib.h"
#include "gnttab_test.h"
#include "guest-hypercall.h"

#define BAD_DOM   100           /* no such domain */
#define XEN_VA    0xffff800000001000UL   /* the hypervisor's area */

static long query(domid_t dom, struct gnttab_query_size *q)
{
    long rc;

    memset(q, 0, sizeof(*q));
    q->dom = dom;
    q->status = 0x7777;
    rc = gnttab_op(GNTTABOP_query_size, q, 1);
    return rc ? rc : q->status;
}

static long setup(domid_t dom, uint32_t nr, xen_pfn_t *list)
{
    struct gnttab_setup_table s = { .dom = dom, .nr_frames = nr, .status = 0x7777 };
    long rc;

    set_xen_guest_handle(s.frame_list, list);
    rc = gnttab_op(GNTTABOP_setup_table, &s, 1);
    return rc ? rc : s.status;
}

static void query_size(void)
{
    struct gnttab_query_size q;

    conf_rc("grant_table_op.query_size.self_is_okay",
            "query_size of DOMID_SELF answers GNTST_okay", query(DOMID_SELF, &q), GNTST_okay);
    conf_dec("grant_table_op.query_size.nr_frames_is_boot_4",
             "query_size reports the frames set up so far (4 at boot)", q.nr_frames, 4);
    conf_dec("grant_table_op.query_size.max_nr_frames_is_64",
             "query_size reports the domain's limit (dom0: 64 frames)", q.max_nr_frames, 64);
    conf_rc("grant_table_op.query_size.own_domid_is_okay",
            "query_size of our own domid answers GNTST_okay", query(SELF_ID, &q), GNTST_okay);
    conf_dec("grant_table_op.query_size.own_domid_same_nr_frames",
             "query_size of our own domid reports the same frames", q.nr_frames, 4);
    conf_rc("grant_table_op.query_size.unknown_domain_is_bad_domain",
            "query_size of a domain that does not exist answers GNTST_bad_domain",
            query(BAD_DOM, &q), GNTST_bad_domain);
    conf_rc("grant_table_op.query_size.domid_xen_is_bad_domain",
            "query_size of DOMID_XEN answers GNTST_bad_domain",
            query(DOMID_XEN, &q), GNTST_bad_domain);
    conf_rc("grant_table_op.query_size.count_2_is_einval",
            "query_size with count 2 is -EINVAL (one op per call)",
            gnttab_op(GNTTABOP_query_size, &q, 2), -XEN_EINVAL);
    conf_rc("grant_table_op.query_size.bad_pointer_is_efault",
            "query_size with its argument in the hypervisor's area is -EFAULT",
            gnttab_op(GNTTABOP_query_size, (void *)XEN_VA, 1), -XEN_EFAULT);
    conf_rc("grant_table_op.op.unknown_command_is_enosys",
            "an unknown GNTTABOP (99) is -ENOSYS", gnttab_op(99, &q, 1), -XEN_ENOSYS);
    conf_rc("grant_table_op.op.dump_table_is_enosys",
            "GNTTABOP_dump_table is -ENOSYS (Xen 4.17 no longer has it)",
            ({ struct gnttab_dump_table d = { .dom = DOMID_SELF };
               long r = gnttab_op(GNTTABOP_dump_table, &d, 1); r ? r : d.status; }), -XEN_ENOSYS);
}

static void setup_table(void)
{
    xen_pfn_t list[8];
    struct gnttab_query_size q;
    unsigned int same = 0;

    memset(list, 0xff, sizeof(list));
    conf_rc("grant_table_op.setup_table.same_size_is_okay",
            "setup_table for the frames we have answers GNTST_okay",
            setup(DOMID_SELF, 4, list), GNTST_okay);
    for (unsigned int i = 0; i < 4; i++)
        same += list[i] == gnttab.frame[i];
    conf_dec("grant_table_op.setup_table.frame_list_is_stable",
             "setup_table lists the same frames again (4 of 4 equal the boot list)", same, 4);
    conf_rc("grant_table_op.setup_table.own_domid_is_okay",
            "setup_table naming our own domid answers GNTST_okay",
            setup(SELF_ID, 4, list), GNTST_okay);
    conf_rc("grant_table_op.setup_table.fewer_frames_is_okay",
            "setup_table for fewer frames than we have answers GNTST_okay (the table does not shrink)",
            setup(DOMID_SELF, 1, list), GNTST_okay);
    query(DOMID_SELF, &q);
    conf_dec("grant_table_op.setup_table.fewer_frames_keeps_4",
             "after setup_table for 1 frame the table still has 4", q.nr_frames, 4);
    conf_rc("grant_table_op.setup_table.zero_frames_is_okay",
            "setup_table for 0 frames answers GNTST_okay", setup(DOMID_SELF, 0, list), GNTST_okay);
    conf_rc("grant_table_op.setup_table.over_max_is_general_error",
            "setup_table for max_nr_frames + 1 frames answers GNTST_general_error",
            setup(DOMID_SELF, 65, list), GNTST_general_error);
    conf_rc("grant_table_op.setup_table.huge_is_general_error",
            "setup_table for 0x80000000 frames answers GNTST_general_error",
            setup(DOMID_SELF, 0x80000000u, list), GNTST_general_error);
    conf_rc("grant_table_op.setup_table.unknown_domain_is_bad_domain",
            "setup_table for a domain that does not exist answers GNTST_bad_domain",
            setup(BAD_DOM, 1, list), GNTST_bad_domain);
    conf_rc("grant_table_op.setup_table.bad_frame_list_is_efault",
            "setup_table with the frame list in the hypervisor's area is -EFAULT",
            setup(DOMID_SELF, 1, (xen_pfn_t *)XEN_VA), -XEN_EFAULT);
    conf_rc("grant_table_op.setup_table.count_2_is_einval",
            "setup_table with count 2 is -EINVAL",
            ({ struct gnttab_setup_table s2[2] = { { .dom = DOMID_SELF }, { .dom = DOMID_SELF } };
               gnttab_op(GNTTABOP_setup_table, s2, 2); }), -XEN_EINVAL);
    conf_rc("grant_table_op.setup_table.grow_to_6_is_okay",
            "setup_table for 6 frames grows the table: GNTST_okay",
            setup(DOMID_SELF, 6, list), GNTST_okay);
    query(DOMID_SELF, &q);
    conf_dec("grant_table_op.setup_table.grow_to_6_query_says_6",
             "after growing, query_size reports 6 frames", q.nr_frames, 6);
    same = 0;
    for (unsigned int i = 0; i < 4; i++)
        same += list[i] == gnttab.frame[i];
    conf_dec("grant_table_op.setup_table.grow_keeps_first_frames",
             "growing keeps the first 4 frames where they were", same, 4);
    conf_dec("grant_table_op.setup_table.grown_frames_are_new",
             "the 2 new frames differ from the first 4 and from each other",
             list[4] != list[5] && list[4] != list[0] && list[5] != list[3], 1);
    mt_local("gnttab_frame5", list[5]);

    /* Mappable: the new frame read-write at the window, the old one too. */
    conf_rc("update_va_mapping.gnttab.grant_frame_map_rw_is_0",
            "a grant frame setup_table listed can be mapped read-write by its domain",
            mt_win_set((list[5] << 12) | P_ | RW_ | A_ | D_), 0);
    mt_invlpg(WIN_VA);
    gnttab.shared[1].frame = 0x5a5a5a5a;        /* ref 1: reserved, not granted */
    conf_hex("update_va_mapping.gnttab.grant_frame_0_reads_the_table",
             "grant frame 0 mapped a second time shows what the guest wrote in the table",
             (mt_win_set((list[0] << 12) | P_ | A_), mt_invlpg(WIN_VA),
              ((volatile grant_entry_v1_t *)WIN_VA)[1].frame), 0x5a5a5a5a);
    gnttab.shared[1].frame = 0;
    conf_rc("mmuext_op.gnttab.pin_grant_frame_as_l1_is_einval",
            "a grant frame (the hypervisor's, shared, mapped read-write) cannot be pinned as an L1",
            mt_ext(MMUEXT_PIN_L1_TABLE, list[0], 0, DOMID_SELF), -XEN_EINVAL);
    mt_win_restore();
}

static long version(uint32_t v)
{
    struct gnttab_set_version s = { .version = v };
    long rc = gnttab_op(GNTTABOP_set_version, &s, 1);

    return rc;
}

static long get_version(domid_t dom, uint32_t *v)
{
    struct gnttab_get_version g = { .dom = dom, .version = 0x77 };
    long rc = gnttab_op(GNTTABOP_get_version, &g, 1);

    *v = g.version;
    return rc;
}

static long status_frames(uint32_t nr, uint64_t *list, int16_t *st)
{
    struct gnttab_get_status_frames g = { .nr_frames = nr, .dom = DOMID_SELF,
                                          .status = 0x7777 };
    long rc;

    set_xen_guest_handle(g.frame_list, list);
    rc = gnttab_op(GNTTABOP_get_status_frames, &g, 1);
    *st = g.status;
    return rc;
}

static void versions(void)
{
    uint32_t v;
    uint64_t sf[2] = { 0, 0 };
    int16_t st;

    conf_rc("grant_table_op.get_version.self_is_0",
            "get_version of DOMID_SELF answers 0", get_version(DOMID_SELF, &v), 0);
    conf_dec("grant_table_op.get_version.default_is_1",
             "a new grant table is version 1", v, 1);
    conf_rc("grant_table_op.get_version.unknown_domain_is_esrch",
            "get_version of a domain that does not exist is -ESRCH",
            get_version(BAD_DOM, &v), -XEN_ESRCH);
    conf_rc("grant_table_op.set_version.v1_is_0",
            "set_version 1 on a version-1 table answers 0", version(1), 0);
    conf_rc("grant_table_op.set_version.v0_is_einval",
            "set_version 0 is -EINVAL", version(0), -XEN_EINVAL);
    conf_rc("grant_table_op.set_version.v3_is_einval",
            "set_version 3 is -EINVAL", version(3), -XEN_EINVAL);
    conf_rc("grant_table_op.get_status_frames.v1_is_0",
            "get_status_frames on a version-1 table answers 0 (status says no)",
            status_frames(1, sf, &st), 0);
    conf_rc("grant_table_op.get_status_frames.v1_status_general_error",
            "get_status_frames on a version-1 table answers GNTST_general_error",
            st, GNTST_general_error);

    /* Version 2 and back (XSA-255: status frames still mapped). */
    conf_rc("grant_table_op.set_version.v2_is_0",
            "set_version 2 on dom0 answers 0 (Xen 4.17 allows version 2 by default)",
            version(2), 0);
    get_version(DOMID_SELF, &v);
    conf_dec("grant_table_op.get_version.after_v2_is_2",
             "after set_version 2, get_version says 2", v, 2);
    conf_rc("grant_table_op.get_status_frames.v2_is_0",
            "get_status_frames for 1 frame on a version-2 table answers 0",
            status_frames(1, sf, &st), 0);
    conf_rc("grant_table_op.get_status_frames.v2_status_okay",
            "get_status_frames for 1 frame on a version-2 table answers GNTST_okay",
            st, GNTST_okay);
    conf_rc("grant_table_op.get_status_frames.too_many_status_general_error",
            "get_status_frames for more status frames than the table has answers GNTST_general_error",
            (status_frames(64, sf, &st), st), GNTST_general_error);
    conf_rc("grant_table_op.set_version.v2_to_v1_is_0",
            "set_version 1 on a version-2 table with nothing granted or mapped answers 0",
            version(1), 0);
    get_version(DOMID_SELF, &v);
    conf_dec("grant_table_op.get_version.back_to_1",
             "after switching back, get_version says 1", v, 1);
    conf_hex("grant_table_op.set_version.v1_entries_still_readable",
             "after v1 -> v2 -> v1 the table frames still read as the guest's v1 entries (ref 0 flags 0)",
             gnttab.shared[0].flags, 0);
}

/* ---- GNTTABOP_copy ---- */
static long copy(uint32_t src, domid_t sdom, uint16_t soff,
                 uint32_t dst, domid_t ddom, uint16_t doff,
                 uint16_t len, uint16_t flags)
{
    struct gnttab_copy c = {
        .source = { .domid = sdom, .offset = soff },
        .dest = { .domid = ddom, .offset = doff },
        .len = len, .flags = flags,
    };
    int16_t st;
    long rc;

    if (flags & GNTCOPY_source_gref)
        c.source.u.ref = src;
    else
        c.source.u.gmfn = src;
    if (flags & GNTCOPY_dest_gref)
        c.dest.u.ref = dst;
    else
        c.dest.u.gmfn = dst;
    rc = gnttab_copy1(&c, &st);
    return rc ? rc : st;
}

#define SG GNTCOPY_source_gref
#define DG GNTCOPY_dest_gref

static void copy_ops(void)
{
    unsigned long d1m = mt_mfn(mt_d1);
    unsigned long cm = mt_mfn(gt_copy);

    gnttab_grant_ref(R_COPY, SELF_ID, cm, false);
    gnttab_grant_ref(R_COPYRO, SELF_ID, cm, true);
    conf_rc("grant_table_op.copy.gmfn_to_gref_is_okay",
            "copy from our own frame to a ref granted to us read-write answers GNTST_okay",
            copy(d1m, DOMID_SELF, 0, R_COPY, SELF_ID, 0, 4096, DG), GNTST_okay);
    conf_hex("grant_table_op.copy.gmfn_to_gref_data_arrived",
             "after the copy the granted frame holds the source's words",
             mt_get(gt_copy, 7), D1_MARK | 7);
    conf_hex("grant_table_op.copy.flags_clear_after_copy",
             "after a copy the entry's reading/writing flags are clear again",
             gnttab_flags(R_COPY), GTF_permit_access);
    memset(mt_va(gt_copy), 0, 4096);
    conf_rc("grant_table_op.copy.gref_to_gmfn_is_okay",
            "copy from a ref granted to us to our own frame (offsets, 8 bytes) answers GNTST_okay",
            (((uint64_t *)mt_va(gt_copy))[1] = 0x1234abcd,
             copy(R_COPYRO, SELF_ID, 8, mt_mfn(mt_d2), DOMID_SELF, 16, 8, SG)), GNTST_okay);
    conf_hex("grant_table_op.copy.gref_to_gmfn_data_arrived",
             "the 8 bytes land at the destination offset", mt_get(mt_d2, 2), 0x1234abcd);
    ((uint64_t *)mt_va(mt_d2))[2] = D2_MARK | 2;
    conf_rc("grant_table_op.copy.gref_to_gref_is_okay",
            "copy between two refs granted to us answers GNTST_okay",
            copy(R_COPYRO, SELF_ID, 0, R_COPY, SELF_ID, 64, 8, SG | DG), GNTST_okay);
    conf_rc("grant_table_op.copy.crosses_page_is_bad_copy_arg",
            "copy whose offset + len crosses the page answers GNTST_bad_copy_arg",
            copy(d1m, DOMID_SELF, 4000, R_COPY, SELF_ID, 0, 200, DG), GNTST_bad_copy_arg);
    conf_rc("grant_table_op.copy.dest_crosses_page_is_bad_copy_arg",
            "copy whose destination offset + len crosses the page answers GNTST_bad_copy_arg",
            copy(d1m, DOMID_SELF, 0, R_COPY, SELF_ID, 4090, 8, DG), GNTST_bad_copy_arg);
    conf_rc("grant_table_op.copy.dest_ro_grant_is_general_error",
            "copy into a ref granted read-only answers GNTST_general_error",
            copy(d1m, DOMID_SELF, 0, R_COPYRO, SELF_ID, 0, 8, DG), GNTST_general_error);
    conf_rc("grant_table_op.copy.ungranted_ref_is_general_error",
            "copy from a ref that is not granted answers GNTST_general_error",
            copy(R_NONE, SELF_ID, 0, d1m, DOMID_SELF, 0, 8, SG), GNTST_general_error);
    conf_rc("grant_table_op.copy.bad_ref_is_bad_gntref",
            "copy from a ref past the table answers GNTST_bad_gntref",
            copy(0x100000, SELF_ID, 0, d1m, DOMID_SELF, 0, 8, SG), GNTST_bad_gntref);
    conf_rc("grant_table_op.copy.unknown_domain_is_bad_domain",
            "copy from a ref of a domain that does not exist answers GNTST_bad_domain",
            copy(R_COPY, BAD_DOM, 0, d1m, DOMID_SELF, 0, 8, SG), GNTST_bad_domain);
    conf_rc("grant_table_op.copy.foreign_gmfn_is_bad_page",
            "copy from a frame we do not own (by gmfn) answers GNTST_bad_page",
            copy(mt_foreign, DOMID_SELF, 0, R_COPY, SELF_ID, 0, 8, DG), GNTST_bad_page);
    conf_rc("grant_table_op.copy.gmfn_of_unknown_domain_is_bad_domain",
            "copy by gmfn naming a domain that does not exist answers GNTST_bad_domain",
            copy(d1m, 5, 0, R_COPY, SELF_ID, 0, 8, DG), GNTST_bad_domain);
    conf_rc("grant_table_op.copy.gmfn_own_domid_is_permission_denied",
            "copy by gmfn must name DOMID_SELF: naming our own domid answers GNTST_permission_denied",
            copy(d1m, SELF_ID, 0, R_COPY, SELF_ID, 0, 8, DG), GNTST_permission_denied);
    conf_rc("grant_table_op.copy.count_0_is_0",
            "GNTTABOP_copy with count 0 answers 0", gnttab_op(GNTTABOP_copy, NULL, 0), 0);
    conf_hex("grant_table_op.copy.end_after_copies_is_true",
             "after the copies the grant can be ended (nothing holds it)",
             gnttab_end(R_COPY) && gnttab_end(R_COPYRO), 1);
}

/*
 * XSA-255: switching v2 -> v1 freed the status frames even while the
 * guest still had one mapped.  Xen 4.17 refuses the switch with -EBUSY
 * and keeps version 2 until the frame is unmapped.
 */
static void xsa255(void)
{
    uint32_t v;
    uint64_t sf[2] = { 0, 0 };
    int16_t st;

    conf_rc("grant_table_op.xsa255.set_version_2_is_0",
            "set_version 2 answers 0 (XSA-255 setup)", version(2), 0);
    conf_rc("grant_table_op.xsa255.get_status_frames_is_okay",
            "get_status_frames for 1 frame answers GNTST_okay (XSA-255 setup)",
            (status_frames(1, sf, &st), st), GNTST_okay);
    mt_local("gnttab_status_frame0", sf[0]);
    conf_rc("update_va_mapping.xsa255.status_frame_map_ro_is_0",
            "a version-2 status frame can be mapped read-only by its domain",
            mt_win_set((sf[0] << 12) | P_ | A_), 0);
    conf_rc("grant_table_op.xsa255.v2_to_v1_status_frame_mapped_is_ebusy",
            "set_version 1 while a status frame is still mapped is -EBUSY (XSA-255)",
            version(1), -XEN_EBUSY);
    get_version(DOMID_SELF, &v);
    conf_dec("grant_table_op.xsa255.still_v2_after_ebusy",
             "after the refused switch the table is still version 2", v, 2);
    mt_win_restore();
    conf_rc("grant_table_op.xsa255.v2_to_v1_after_unmap_is_0",
            "set_version 1 once no status frame is mapped answers 0 (XSA-255)",
            version(1), 0);
    get_version(DOMID_SELF, &v);
    conf_dec("grant_table_op.xsa255.back_to_v1",
             "after the switch, get_version says 1", v, 1);
}

const struct mmu_case gnttab_xsa255_cases[] = {
    { "xsa255", xsa255 },
    { NULL, NULL },
};

const struct mmu_case gnttab_table_cases[] = {
    { "query_size", query_size },
    { "setup_table", setup_table },
    { "versions_and_xsa255", versions },
    { "copy", copy_ops },
    { NULL, NULL },
};
