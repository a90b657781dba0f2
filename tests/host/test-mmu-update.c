/*
 * test-mmu-update.c - do_mmu_update's arguments and its per-request rules:
 * xen-pvmmu-abi.md §2.1, §2.2 and the rows of the §2.9 table that are not
 * about one page-table level (those are in test-mmu-l1.c / -upper.c).
 */
#include "sim.h"

#define NOOP_VAL(dom, pfn) pte_from_mfn(sim_mfn(dom, pfn), G_L1)

/* §2.9 "reqs array not accessible" -> -EFAULT, nothing done. */
static const char *t_reqs_unreadable_efault(void)
{
    unsigned int done = 77;

    sim_init();
    sim_switch(1);
    CHECK_RC(sim_mmu((struct mmu_update *)SIM_BAD_PTR, 1, NULL, DOMID_SELF), -XEN_EFAULT);
    CHECK_RC(sim_mmu(NULL, 2, &done, DOMID_SELF), -XEN_EFAULT);
    CHECK_INV();
    return NULL;
}

/* §2.9 "a request cannot be copied" -> -EFAULT; the ones before it stand. */
static const char *t_request_uncopyable_efault(void)
{
    struct mmu_update r[3];
    unsigned int done = 0;

    sim_init();
    sim_switch(1);
    for ( unsigned int k = 0; k < 3; k++ )
    {
        r[k].ptr = sim_slot_ma(1, k);
        r[k].val = NOOP_VAL(1, SIM_DATA_PFN);
    }
    sim_guest_fault(&r[1], sizeof(r[1]));
    CHECK_RC(sim_mmu(r, 3, &done, DOMID_SELF), -XEN_EFAULT);
    sim_guest_fault(NULL, 0);
    CHECK_U(done, 1);
    CHECK(sim_table(sim_sd(1)->l1)[256] & _PAGE_PRESENT);
    CHECK_U(sim_table(sim_sd(1)->l1)[257], 0);
    return NULL;
}

/* §2.1: command = ptr & 7; 4..7 -> -ENOSYS. */
static const char *t_cmd_4_to_7_enosys(void)
{
    sim_init();
    sim_switch(1);
    for ( unsigned int cmd = 4; cmd <= 7; cmd++ )
        CHECK_RC(sim_mmu1(sim_slot_ma(1, 0) | cmd, NOOP_VAL(1, SIM_DATA_PFN), DOMID_SELF),
                 -XEN_ENOSYS);
    CHECK_U(sim_table(sim_sd(1)->l1)[256], 0);
    return NULL;
}

/* §2.1 / surprise 3: own numeric domid as FD -> -ESRCH; unknown FD too. */
static const char *t_fd_own_numeric_id_esrch(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), NOOP_VAL(1, SIM_DATA_PFN), 1), -XEN_ESRCH);
    CHECK_LOG("DOMID_SELF");
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), NOOP_VAL(1, SIM_DATA_PFN), 6), -XEN_ESRCH);
    CHECK_U(sim_table(sim_sd(1)->l1)[256], 0);
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), NOOP_VAL(1, SIM_DATA_PFN), DOMID_SELF), 0);
    return NULL;
}

/* §2.9 "PFD domain unknown" -> -ESRCH (foreigndom bits 31:16 = PFD+1). */
static const char *t_pfd_unknown_esrch(void)
{
    sim_init();
    sim_switch(0);
    CHECK_RC(sim_mmu1(sim_slot_ma(0, 0), NOOP_VAL(0, SIM_DATA_PFN),
                      (6u + 1) << 16 | DOMID_SELF), -XEN_ESRCH);
    return NULL;
}

/*
 * §2.9 "XSM refuses | XSM rc (dummy: -EPERM)": an unprivileged domain
 * editing another domain's tables (PFD = d2).  The reference gives only the
 * dummy policy's code, not which checks it makes; we read it as Xen's
 * XSM_TARGET rule (self or privileged).
 */
static const char *t_pfd_foreign_unprivileged_eperm(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_mmu1(sim_slot_ma(2, 0), NOOP_VAL(2, SIM_DATA_PFN),
                      (2u + 1) << 16 | DOMID_SELF), -XEN_EPERM);
    CHECK_U(sim_table(sim_sd(2)->l1)[256], 0);
    return NULL;
}

/* §2.2 step 1 / §2.9: ptr frame not RAM owned by PFD -> -EINVAL. */
static const char *t_ptr_frame_not_owned_einval(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_mmu1(sim_slot_ma(2, 0), NOOP_VAL(1, SIM_DATA_PFN), DOMID_SELF),
             -XEN_EINVAL);
    CHECK_U(sim_table(sim_sd(2)->l1)[256], 0);
    CHECK_RC(sim_mmu1(mfn_to_maddr(_mfn(SIM_MMIO_MFN)), 0, DOMID_SELF), -XEN_EINVAL);
    CHECK_RC(sim_mmu1(mfn_to_maddr(sim.xen_frame), 0, DOMID_SELF), -XEN_EINVAL);
    return NULL;
}

/*
 * §2.2 step 3 / surprise 4: a frame that is not an in-use page table is
 * just written, without validation (here: a present PSE|PCD "entry" in a
 * plain data page, and in a page mapped nowhere RW (type count 0)).
 */
static const char *t_plain_page_store_unvalidated(void)
{
    uint64_t junk = pte_from_mfn(_mfn(SIM_MMIO_MFN), _PAGE_PRESENT | _PAGE_RW |
                                 _PAGE_PSE | _PAGE_PCD);
    unsigned long pfn;
    intpte_t *p;

    sim_init();
    sim_switch(1);
    p = sim_pfn_ptr(1, SIM_DATA_PFN);
    CHECK_RC(sim_mmu1(mfn_to_maddr(sim_mfn(1, SIM_DATA_PFN)) + 8 * 5, junk, DOMID_SELF), 0);
    CHECK_U(p[5], junk);
    CHECK_U(sim_tcount(sim_mfn(1, SIM_DATA_PFN)), 1);

    pfn = sim_alloc_pfn(1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    CHECK_U(sim_tcount(sim_mfn(1, pfn)), 0);
    CHECK_RC(sim_mmu1(mfn_to_maddr(sim_mfn(1, pfn)) + 8 * 7, junk, DOMID_SELF), 0);
    CHECK_U(((intpte_t *)sim_pfn_ptr(1, pfn))[7], junk);
    CHECK_U(sim_tcount(sim_mfn(1, pfn)), 0);          /* the temporary ref is gone */
    CHECK_INV();
    return NULL;
}

/* §2.2 step 2: a seg_desc page is not writable through mmu_update -> -EINVAL. */
static const char *t_seg_desc_page_einval(void)
{
    unsigned long pfn;
    struct page_info *pg;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    pg = mfn_to_page(sim_mfn(1, pfn));
    /* What set_gdt does with a GDT frame (zeroed descriptors are valid). */
    CHECK(get_page_and_type(pg, sim_d(1), PGT_seg_desc_page));
    CHECK_RC(sim_mmu1(mfn_to_maddr(sim_mfn(1, pfn)), 0x1234, DOMID_SELF), -XEN_EINVAL);
    CHECK_U(((intpte_t *)sim_pfn_ptr(1, pfn))[0], 0);
    return NULL;
}

/* §2.1: processing stops at the first failing request; pdone = completed. */
static const char *t_stops_at_first_failure_pdone(void)
{
    struct mmu_update r[3];
    unsigned int done = 0;

    sim_init();
    sim_switch(1);
    r[0].ptr = sim_slot_ma(1, 0);
    r[0].val = NOOP_VAL(1, SIM_DATA_PFN);
    r[1].ptr = sim_slot_ma(1, 1) | 5;                 /* -ENOSYS */
    r[1].val = NOOP_VAL(1, SIM_DATA_PFN);
    r[2].ptr = sim_slot_ma(1, 2);
    r[2].val = NOOP_VAL(1, SIM_DATA_PFN);
    CHECK_RC(sim_mmu(r, 3, &done, DOMID_SELF), -XEN_ENOSYS);
    CHECK_U(done, 1);
    CHECK(sim_table(sim_sd(1)->l1)[256] & _PAGE_PRESENT);
    CHECK_U(sim_table(sim_sd(1)->l1)[258], 0);
    return NULL;
}

static const char *t_pdone_counts_all(void)
{
    struct mmu_update r[4];
    unsigned int done = 0;

    sim_init();
    sim_switch(2);
    for ( unsigned int k = 0; k < 4; k++ )
    {
        r[k].ptr = sim_slot_ma(2, k);
        r[k].val = NOOP_VAL(2, SIM_DATA_PFN + k);
    }
    CHECK_RC(sim_mmu(r, 4, &done, DOMID_SELF), 0);
    CHECK_U(done, 4);
    CHECK_RC(sim_mmu(r, 0, &done, DOMID_SELF), 0);
    CHECK_U(done, 0);
    return NULL;
}

/* §2.2 step 2 / §2.9: an L2-L4 update with FD != PFD -> -EINVAL (privileged
 * caller, so no XSM refusal is involved). */
static const char *t_upper_update_fd_foreign_einval(void)
{
    unsigned long pfn;

    sim_init();
    sim_switch(0);
    pfn = sim_alloc_pfn(0);
    CHECK_RC(sim_set_rw(0, pfn, false), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(0)->l2, SIM_L2_FREE_SLOT),
                      pte_from_mfn(sim_mfn(0, pfn), G_LN), 1), -XEN_EINVAL);
    CHECK_U(sim_table(sim_sd(0)->l2)[SIM_L2_FREE_SLOT], 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(0)->l2, SIM_L2_FREE_SLOT),
                      pte_from_mfn(sim_mfn(0, pfn), G_LN), DOMID_SELF), 0);
    return NULL;
}

/* §2.2 step 4: L1 changes are never flushed by mmu_update; a successful
 * L2-L4 change flushes every CPU the PFD ran on (XSA-286). */
static const char *t_flush_only_after_upper_change(void)
{
    unsigned long pfn;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    sim_tlb_clear();
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), NOOP_VAL(1, SIM_DATA_PFN), DOMID_SELF), 0);
    CHECK_U(sim_tlb_total(), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l2, SIM_L2_FREE_SLOT),
                      pte_from_mfn(sim_mfn(1, pfn), G_LN), DOMID_SELF), 0);
    CHECK(sim.tlb.domain >= 1);
    sim_tlb_clear();
    /* A failed L2 change flushes nothing. */
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l2, SIM_L2_FREE_SLOT + 1),
                      pte_from_mfn(sim_mfn(1, pfn), G_LN | _PAGE_PSE), DOMID_SELF),
             -XEN_EINVAL);
    CHECK_U(sim_tlb_total(), 0);
    return NULL;
}

/* §2.2 step 4: the flush follows any successful L2-L4 change of the batch,
 * even when a later request fails. */
static const char *t_flush_after_partial_batch(void)
{
    struct mmu_update r[2];
    unsigned int done = 0;
    unsigned long pfn;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    r[0].ptr = sim_entry_ma(sim_sd(1)->l2, SIM_L2_FREE_SLOT);
    r[0].val = pte_from_mfn(sim_mfn(1, pfn), G_LN);
    r[1].ptr = sim_slot_ma(1, 0) | 7;
    r[1].val = 0;
    sim_tlb_clear();
    CHECK_RC(sim_mmu(r, 2, &done, DOMID_SELF), -XEN_ENOSYS);
    CHECK_U(done, 1);
    CHECK(sim_table(sim_sd(1)->l2)[SIM_L2_FREE_SLOT] & _PAGE_PRESENT);
    CHECK(sim.tlb.domain >= 1);
    return NULL;
}

/* §2.1/§2.2: a privileged caller edits another domain's L1 (PFD = FD = d1). */
static const char *t_privileged_pfd_edits_foreign_table(void)
{
    sim_init();
    sim_switch(0);
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), NOOP_VAL(1, SIM_DATA_PFN), (1u + 1) << 16 | 1), 0);
    CHECK(sim_table(sim_sd(1)->l1)[256] & _PAGE_PRESENT);
    /* FD = d1 but the frame is d2's: its owner must be FD -> -EBUSY. */
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 1), NOOP_VAL(2, SIM_DATA_PFN), (1u + 1) << 16 | 1),
             -XEN_EBUSY);
    CHECK_U(sim_table(sim_sd(1)->l1)[257], 0);
    return NULL;
}

/* §2.1: pdone unwritable is reported; NULL pdone is fine. */
static const char *t_count_zero_ok(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_mmu(NULL, 0, NULL, DOMID_SELF), 0);
    return NULL;
}

static const struct test tests[] = {
    { t_reqs_unreadable_efault, "2.9 reqs unreadable -EFAULT" },
    { t_request_uncopyable_efault, "2.9 a request cannot be copied -EFAULT" },
    { t_cmd_4_to_7_enosys, "2.1 ptr&7 commands 4-7 -ENOSYS" },
    { t_fd_own_numeric_id_esrch, "2.1 foreigndom own numeric id / unknown -ESRCH" },
    { t_pfd_unknown_esrch, "2.9 PFD unknown -ESRCH" },
    { t_pfd_foreign_unprivileged_eperm, "2.9 XSM: unprivileged PFD=other -EPERM" },
    { t_ptr_frame_not_owned_einval, "2.2 ptr frame not RAM of PFD -EINVAL" },
    { t_plain_page_store_unvalidated, "2.2 non-table frame is stored unvalidated" },
    { t_seg_desc_page_einval, "2.2 seg_desc frame -EINVAL" },
    { t_stops_at_first_failure_pdone, "2.1 stops at first failure, pdone" },
    { t_pdone_counts_all, "2.1 pdone counts every request" },
    { t_upper_update_fd_foreign_einval, "2.2 L2-L4 update with FD != PFD -EINVAL" },
    { t_flush_only_after_upper_change, "2.2 no flush for L1, domain flush for L2 (XSA-286)" },
    { t_flush_after_partial_batch, "2.2 flush after L2 change even if batch fails later" },
    { t_privileged_pfd_edits_foreign_table, "2.1 privileged PFD edits another domain's L1" },
    { t_count_zero_ok, "2.1 count 0 is a no-op" },
};
DEFINE_SUITE(mmu_update_suite, "mmu_update", tests);
