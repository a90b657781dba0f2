/*
 * test-mmu-audit.c - mmu_audit() (xen-like/mm/audit.c), the from-scratch
 * recount of pvmmu-security.md §3: it is quiet on every state the core
 * leaves between hypercalls (fresh machines, scripted sessions, partial
 * (de)validations and deferred puts left by abandoned continuations), and
 * it names the invariant when a test corrupts the state behind the core's
 * back (one case per invariant it checks).
 */
#include <string.h>

#include "sim.h"

static char why[512];

#define CHECK_AUDIT_OK()                                                    \
    do {                                                                    \
        if ( mmu_audit(why, sizeof(why)) )                                  \
            return test_failf("%s:%d: audit: %s", __FILE__, __LINE__, why); \
    } while ( 0 )

/* The audit fails with invariant inv, and its reason mentions words. */
#define CHECK_AUDIT_FAILS(inv, words)                                       \
    do {                                                                    \
        int r_ = mmu_audit(why, sizeof(why));                               \
        if ( r_ != (inv) || !strstr(why, (words)) )                         \
            return test_failf("%s:%d: audit gave %d \"%s\", expected %d with \"%s\"", \
                              __FILE__, __LINE__, r_, why, (inv), (words)); \
    } while ( 0 )

static const char *t_fresh_machine(void)
{
    sim_init();
    CHECK_AUDIT_OK();
    return NULL;
}

/* A guest session: build, pin, load, link, linear entries, unpin, switch back. */
static const char *t_scripted_session(void)
{
    unsigned long data[2] = { SIM_DATA_PFN, SIM_DATA_PFN + 1 };
    struct sim_tree t;
    struct sim_dom *sd;

    sim_init();
    sim_switch(1);
    sd = sim_sd(1);
    sim_build_tree(1, &t, 0, data, 2);
    CHECK_AUDIT_OK();
    CHECK_RC(sim_pin(4, t.l4), 0);
    CHECK_AUDIT_OK();
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), 0);
    CHECK_AUDIT_OK();
    CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, mfn_x(sd->l4), 0), 0);
    CHECK_AUDIT_OK();
    /* Linear entries: RO self-map and RO link to another validated L4. */
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l4, 5), pte_from_mfn(sd->l4, G_LN & ~_PAGE_RW),
                      DOMID_SELF), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l4, 6), pte_from_mfn(t.l4, G_LN & ~_PAGE_RW),
                      DOMID_SELF), 0);
    CHECK_AUDIT_OK();
    /* A second L2 entry to the new L1, a foreign-less RO map of a table. */
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l2, SIM_L2_FREE_SLOT), pte_from_mfn(t.l1, G_LN),
                      DOMID_SELF), 0);
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), pte_from_mfn(t.l2, G_L1RO), DOMID_SELF), 0);
    CHECK_AUDIT_OK();
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(sd->l4), 0), 0);
    CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, 0, 0), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l4, 6), 0, DOMID_SELF), 0);
    CHECK_RC(sim_unpin(t.l4), 0);
    CHECK_AUDIT_OK();
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l2, SIM_L2_FREE_SLOT), 0, DOMID_SELF), 0);
    CHECK_AUDIT_OK();
    /* dom0 maps a frame of d1 (foreign mapping of a privileged domain). */
    sim_switch(0);
    CHECK_RC(sim_mmu1(sim_slot_ma(0, 1), pte_from_mfn(sim_mfn(1, 9), G_L1), 1), 0);
    CHECK_AUDIT_OK();
    return NULL;
}

/* Abandoned continuations leave partial pages and deferred puts: legal. */
static const char *t_partial_states_are_legal(void)
{
    struct sim_tree t;
    unsigned int pieces = 0;

    sim_init();
    sim_switch(2);
    sim_build_wide_tree(2, &t, 0, 16);
    sim_preempt_every(1);
    /* Pin, one piece at a time, auditing between pieces. */
    {
        struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE };

        op.arg1.mfn = mfn_x(t.l4);
        sim_hc_once(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0);
        CHECK(sim.cont.pending);
        CHECK(mfn_to_page(t.l4)->type_info & PGT_partial);
        CHECK_AUDIT_OK();
        while ( sim.cont.pending )
        {
            sim_hc_once(sim.cont.nr, sim.cont.args[0], sim.cont.args[1], sim.cont.args[2],
                        sim.cont.args[3], 0);
            CHECK_AUDIT_OK();
            pieces++;
        }
        CHECK(sim_pinned(t.l4));
        /* Unpin, abandoned after one piece: the deferred put stays. */
        op.cmd = MMUEXT_UNPIN_TABLE;
        sim_hc_once(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0);
        CHECK(!mfn_eq(sim_d(2)->vcpu[0]->old_guest_table, INVALID_MFN));
        CHECK_AUDIT_OK();
        /* A new pin of the same L2 subtree half-way, then abandoned. */
        op.cmd = MMUEXT_PIN_L2_TABLE;
        op.arg1.mfn = mfn_x(sim_mfn(2, SIM_DATA_PFN));
        sim_hc_once(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0);
        CHECK_AUDIT_OK();
        /* The guest finishes everything with preemption off. */
        sim_preempt_every(0);
        CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
        CHECK_AUDIT_OK();
    }
    CHECK(pieces > 4);
    return NULL;
}

/* Hooking a subtree whose validation is preempted, then abandoning. */
static const char *t_hook_preempted_abandoned(void)
{
    struct sim_tree t;
    struct mmu_update r;

    sim_init();
    sim_switch(1);
    sim_build_wide_tree(1, &t, 0, 16);
    sim_preempt_every(2);
    r.ptr = sim_entry_ma(sim_sd(1)->l3, 1);
    r.val = pte_from_mfn(t.l2, G_LN);
    sim_hc_once(__HYPERVISOR_mmu_update, (unsigned long)&r, 1, 0, DOMID_SELF, 0);
    CHECK(sim.cont.pending);
    CHECK(mfn_to_page(t.l2)->type_info & PGT_partial);
    CHECK_AUDIT_OK();
    sim_preempt_every(0);
    CHECK_RC(sim_mmu1(r.ptr, r.val, DOMID_SELF), 0);
    CHECK_AUDIT_OK();
    /* Unhook with preemption: deferred devalidation, abandoned. */
    sim_preempt_every(1);
    r.val = 0;
    sim_hc_once(__HYPERVISOR_mmu_update, (unsigned long)&r, 1, 0, DOMID_SELF, 0);
    CHECK_AUDIT_OK();
    sim_hc_once(__HYPERVISOR_mmu_update, 0, MMU_UPDATE_PREEMPTED, 0, 0, 0);
    CHECK_AUDIT_OK();
    return NULL;
}

/* ---- corruptions, one per invariant ---------------------------------- */

static const char *t_inv3_type_count_bumped(void)
{
    sim_init();
    mfn_to_page(sim_sd(1)->l2)->type_info++;
    CHECK_AUDIT_FAILS(3, "tc 2, but 1 references found");
    return NULL;
}

static const char *t_inv3_writable_count_bumped(void)
{
    sim_init();
    mfn_to_page(sim_mfn(1, SIM_DATA_PFN))->type_info++;
    mfn_to_page(sim_mfn(1, SIM_DATA_PFN))->count_info++;
    CHECK_AUDIT_FAILS(3, "RW L1 entries");
    return NULL;
}

static const char *t_inv3_pin_flag_cleared(void)
{
    sim_init();
    mfn_to_page(sim_sd(2)->l4)->type_info &= ~PGT_pinned;
    CHECK_AUDIT_FAILS(3, "L4, d2): tc 2, but 1");
    return NULL;
}

static const char *t_inv2_rw_l1e_to_table(void)
{
    sim_init();
    /* Written straight into memory, behind the core's back. */
    sim_table(sim_sd(1)->l1)[256] = pte_from_mfn(sim_sd(1)->l2, SIM_L1_PROT);
    CHECK_AUDIT_FAILS(2, "RW but it is a L2 page");
    return NULL;
}

static const char *t_inv1_gdt_frame_not_seg_desc(void)
{
    sim_init();
    sim_d(1)->vcpu[0]->gdt_frames[0] = sim_mfn(1, SIM_DATA_PFN);
    mfn_to_page(sim_mfn(1, SIM_DATA_PFN))->count_info++;
    CHECK_AUDIT_FAILS(1, "as seg_desc but it is writable");
    return NULL;
}

static const char *t_inv4_general_count_short(void)
{
    sim_init();
    mfn_to_page(sim_mfn(2, SIM_DATA_PFN + 1))->count_info--;
    CHECK_AUDIT_FAILS(4, "count 1 < 2 references found");
    return NULL;
}

static const char *t_inv4_general_count_leaked(void)
{
    sim_init();
    mfn_to_page(sim_mfn(2, SIM_DATA_PFN + 1))->count_info++;
    CHECK_AUDIT_FAILS(4, "count 3 > 2 references found (a leaked reference)");
    return NULL;
}

static const char *t_inv6_owner_changed(void)
{
    sim_init();
    mfn_to_page(sim_sd(1)->l1)->owner = 2;
    CHECK_AUDIT_FAILS(6, "owned by 2");
    return NULL;
}

static const char *t_inv6_maps_free_frame(void)
{
    sim_init();
    sim_table(sim_sd(1)->l1)[257] = pte_from_mfn(_mfn(SIM_MMIO_MFN - 1), G_L1RO);
    CHECK_AUDIT_FAILS(6, "names free mfn");
    return NULL;
}

static const char *t_inv7_xen_slot_changed(void)
{
    sim_init();
    sim_table(sim_sd(1)->l4)[260] = 0;
    CHECK_AUDIT_FAILS(7, "Xen slot 260");
    return NULL;
}

static const char *t_inv8_bad_flags(void)
{
    intpte_t *e;

    sim_init();
    e = &sim_table(sim_sd(1)->l1)[l1_table_offset(sim_va(SIM_DATA_PFN))];
    *e |= _PAGE_PCD;                        /* d1 has no I/O rights */
    CHECK_AUDIT_FAILS(8, "not allowed in an L1 of d1");
    return NULL;
}

static const char *t_inv9_linear_made_rw(void)
{
    struct sim_dom *sd;

    sim_init();
    sim_switch(1);
    sd = sim_sd(1);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l3, 7), pte_from_mfn(sd->l3, G_LN & ~_PAGE_RW),
                      DOMID_SELF), 0);
    CHECK_AUDIT_OK();
    sim_table(sd->l3)[7] |= _PAGE_RW;
    CHECK_AUDIT_FAILS(9, "maps itself read-write");
    return NULL;
}

static const char *t_inv9_linear_count(void)
{
    sim_init();
    mfn_to_page(sim_sd(1)->l2)->linear_pt_count = 1;
    CHECK_AUDIT_FAILS(9, "linear_pt_count 1");
    return NULL;
}

static const char *t_inv10_validated_and_partial(void)
{
    sim_init();
    mfn_to_page(sim_sd(1)->l3)->type_info |= PGT_partial;
    CHECK_AUDIT_FAILS(10, "both validated and partial");
    return NULL;
}

static const char *t_inv10_partial_prefix(void)
{
    struct sim_tree t;
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L2_TABLE };
    struct page_info *pg;

    sim_init();
    sim_switch(1);
    sim_build_wide_tree(1, &t, 0, 16);
    sim_preempt_every(3);
    op.arg1.mfn = mfn_x(t.l2);
    sim_hc_once(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0);
    pg = mfn_to_page(t.l2);
    CHECK(pg->type_info & PGT_partial);
    CHECK_AUDIT_OK();
    /* Claim one entry more is validated than really is. */
    pg->nr_validated_ptes++;
    pg->partial_flags &= ~0x2;               /* PTF_entry_partial */
    CHECK(mmu_audit(why, sizeof(why)) != 0);
    return NULL;
}

static const char *t_inv11_data_page_pinned(void)
{
    sim_init();
    mfn_to_page(sim_mfn(1, SIM_DATA_PFN))->type_info |= PGT_pinned;
    CHECK_AUDIT_FAILS(11, "pinned as writable");
    return NULL;
}

static const char *t_deferred_put_of_data_page(void)
{
    sim_init();
    sim_d(1)->vcpu[0]->old_guest_table = sim_mfn(1, SIM_DATA_PFN);
    CHECK_AUDIT_FAILS(3, "deferred put of mfn");
    return NULL;
}

static const struct test tests[] = {
    { t_fresh_machine, "fresh machine is consistent" },
    { t_scripted_session, "scripted session stays consistent" },
    { t_partial_states_are_legal, "abandoned continuations: partial/deferred are legal" },
    { t_hook_preempted_abandoned, "preempted hook and unhook are legal" },
    { t_inv3_type_count_bumped, "inv3 bumped L2 type count" },
    { t_inv3_writable_count_bumped, "inv3 bumped writable count" },
    { t_inv3_pin_flag_cleared, "inv3 pin flag cleared" },
    { t_inv2_rw_l1e_to_table, "inv2 RW L1e to a page table" },
    { t_inv1_gdt_frame_not_seg_desc, "inv1 GDT frame of the wrong type" },
    { t_inv4_general_count_short, "inv4 general count short" },
    { t_inv4_general_count_leaked, "inv4 general count leaked" },
    { t_inv6_owner_changed, "inv6 table owner changed" },
    { t_inv6_maps_free_frame, "inv6 L1e names a free frame" },
    { t_inv7_xen_slot_changed, "inv7 Xen L4 slot changed" },
    { t_inv8_bad_flags, "inv8 PCD without I/O rights" },
    { t_inv9_linear_made_rw, "inv9 linear self-map made RW" },
    { t_inv9_linear_count, "inv9 linear_pt_count wrong" },
    { t_inv10_validated_and_partial, "inv10 validated and partial" },
    { t_inv10_partial_prefix, "inv10 partial prefix overstated" },
    { t_inv11_data_page_pinned, "inv11 data page pinned" },
    { t_deferred_put_of_data_page, "deferred put of a data page" },
};

DEFINE_SUITE(mmu_audit_suite, "mmu-audit", tests);
