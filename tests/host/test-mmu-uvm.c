/*
 * test-mmu-uvm.c - update_va_mapping and update_va_mapping_otherdomain
 * (xen-pvmmu-abi.md §2.11; XTF xsa-279).
 */
#include "sim.h"

#define VA  SIM_SLOT_VA(0)
#define L1E(dom, k) (sim_table(sim_sd(dom)->l1)[256 + (k)])

/* §2.11 + §2.8: maps through the current L1, with adjust_guest_l1e. */
static const char *t_maps_and_adjusts(void)
{
    mfn_t m;

    sim_init();
    sim_switch(1);
    m = sim_mfn(1, SIM_DATA_PFN);
    CHECK_RC(sim_uvm(VA, pte_from_mfn(m, G_L1), UVMF_NONE), 0);
    CHECK_U(L1E(1, 0), pte_from_mfn(m, G_L1 | _PAGE_USER | _PAGE_GUEST_KERNEL));
    CHECK_U(sim_tcount(m), 2);
    CHECK_RC(sim_uvm(VA, 0, UVMF_NONE), 0);
    CHECK_U(L1E(1, 0), 0);
    CHECK_U(sim_tcount(m), 1);
    CHECK_U(sim_count(m), 2);
    return NULL;
}

/* §2.11: flags & 3: 0 none, 1 TLB flush, 2 INVLPG, 3 = no flush. */
static const char *t_flush_flags(void)
{
    uint64_t val;

    sim_init();
    sim_switch(1);
    val = pte_from_mfn(sim_mfn(1, SIM_DATA_PFN), G_L1);
    sim_tlb_clear();
    CHECK_RC(sim_uvm(VA, val, UVMF_NONE), 0);
    CHECK_U(sim_tlb_total(), 0);
    CHECK_RC(sim_uvm(VA, val, 3), 0);
    CHECK_U(sim_tlb_total(), 0);
    CHECK_RC(sim_uvm(VA, val, 3 | UVMF_ALL), 0);
    CHECK_U(sim_tlb_total(), 0);
    CHECK_RC(sim_uvm(VA, val, UVMF_TLB_FLUSH | UVMF_LOCAL), 0);
    CHECK(sim.tlb.local >= 1);
    sim_tlb_clear();
    CHECK_RC(sim_uvm(VA, val, UVMF_INVLPG | UVMF_LOCAL), 0);
    CHECK_U(sim.tlb.invlpg, 1);
    CHECK_U(sim.tlb.last_invlpg_va, VA);
    sim_tlb_clear();
    CHECK_RC(sim_uvm(VA, val, UVMF_TLB_FLUSH | UVMF_ALL), 0);
    CHECK(sim.tlb.domain >= 1);
    sim_tlb_clear();
    CHECK_RC(sim_uvm(VA, val, UVMF_INVLPG | UVMF_ALL), 0);
    CHECK(sim_tlb_total() >= 1);
    return NULL;
}

/* §2.11: other upper bits = a guest pointer to a vCPU bitmap (UVMF_MULTI). */
static const char *t_bitmap_pointer(void)
{
    static unsigned long mask = 1;

    sim_init();
    sim_switch(1);
    sim_tlb_clear();
    CHECK_RC(sim_uvm(VA, pte_from_mfn(sim_mfn(1, SIM_DATA_PFN), G_L1),
                     UVMF_TLB_FLUSH | (unsigned long)&mask), 0);
    CHECK(sim_tlb_total() >= 1);
    return NULL;
}

/* §2.11: an unreadable bitmap -> -EFAULT *after* the PTE was changed. */
static const char *t_bad_bitmap_efault_after_update(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_uvm(VA, pte_from_mfn(sim_mfn(1, SIM_DATA_PFN), G_L1),
                     UVMF_INVLPG | SIM_BAD_PTR), -XEN_EFAULT);
    CHECK(L1E(1, 0) & _PAGE_PRESENT);
    CHECK_U(sim_tcount(sim_mfn(1, SIM_DATA_PFN)), 2);
    return NULL;
}

/* §2.11 / XSA-279: va 1<<63 with INVLPG|ALL: -EINVAL, no flush at all. */
static const char *t_xsa279_noncanonical_no_flush(void)
{
    sim_init();
    sim_switch(1);
    sim_tlb_clear();
    CHECK_RC(sim_uvm(1UL << 63, 0, UVMF_INVLPG | UVMF_ALL), -XEN_EINVAL);
    CHECK_U(sim_tlb_total(), 0);
    CHECK_RC(sim_uvm(1UL << 47, 0, UVMF_INVLPG), -XEN_EINVAL);
    CHECK_RC(sim_uvm(HYPERVISOR_VIRT_START, 0, UVMF_INVLPG), -XEN_EINVAL);
    CHECK_RC(sim_uvm(0xffff870000000000UL, 0, UVMF_INVLPG), -XEN_EINVAL);
    CHECK_U(sim_tlb_total(), 0);
    return NULL;
}

/* §2.11: no present non-PSE L2e / no validated L1 for va -> -EINVAL. */
static const char *t_no_l1_einval(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_uvm(0x40000000UL, 0, UVMF_NONE), -XEN_EINVAL);    /* no L3e */
    CHECK_RC(sim_uvm(0x800000UL, 0, UVMF_NONE), -XEN_EINVAL);      /* no L2e */
    CHECK_RC(sim_uvm(0xffff880000000000UL, 0, UVMF_NONE), -XEN_EINVAL);
    return NULL;
}

/* §2.11: failures flush nothing; mod_l1_entry codes pass through. */
static const char *t_failure_no_flush(void)
{
    sim_init();
    sim_switch(1);
    sim_tlb_clear();
    CHECK_RC(sim_uvm(VA, pte_from_mfn(sim_mfn(2, 0), G_L1RO), UVMF_TLB_FLUSH | UVMF_ALL),
             -XEN_EBUSY);
    CHECK_RC(sim_uvm(VA, pte_from_mfn(sim_sd(1)->l2, G_L1), UVMF_INVLPG), -XEN_EBUSY);
    CHECK_RC(sim_uvm(VA, pte_from_mfn(sim_mfn(1, 9), G_L1 | _PAGE_PCD), UVMF_INVLPG),
             -XEN_EINVAL);
    CHECK_U(sim_tlb_total(), 0);
    CHECK_U(L1E(1, 0), 0);
    return NULL;
}

/* §2.11: the L1 is found through the *current* page table. */
static const char *t_uses_current_tables(void)
{
    sim_init();
    sim_switch(2);
    CHECK_RC(sim_uvm(VA, pte_from_mfn(sim_mfn(2, 9), G_L1), UVMF_NONE), 0);
    CHECK(L1E(2, 0) & _PAGE_PRESENT);
    CHECK_U(L1E(1, 0), 0);
    return NULL;
}

/* §2.11: _otherdomain: FD = domid; dom0 maps d1's frame into its own L1. */
static const char *t_otherdomain_maps_foreign(void)
{
    mfn_t m;

    sim_init();
    sim_switch(0);
    m = sim_mfn(1, SIM_DATA_PFN);
    CHECK_RC(sim_uvm_other(VA, pte_from_mfn(m, G_L1RO), UVMF_INVLPG, 1), 0);
    CHECK_U(pte_mfn(L1E(0, 0)).m, m.m);
    CHECK_U(sim_count(m), 3);
    CHECK_RC(sim_uvm_other(VA + PAGE_SIZE, pte_from_mfn(sim_mfn(0, 9), G_L1RO),
                           UVMF_NONE, DOMID_SELF), 0);
    return NULL;
}

/* §2.11: _otherdomain goes through get_pg_owner: own id / unknown -ESRCH. */
static const char *t_otherdomain_own_id_esrch(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_uvm_other(VA, pte_from_mfn(sim_mfn(1, 9), G_L1), UVMF_NONE, 1), -XEN_ESRCH);
    CHECK_RC(sim_uvm_other(VA, pte_from_mfn(sim_mfn(1, 9), G_L1), UVMF_NONE, 6), -XEN_ESRCH);
    CHECK_U(L1E(1, 0), 0);
    return NULL;
}

/*
 * _otherdomain by an unprivileged domain naming another domain: the
 * reference does not list it; by §2.9's XSM row (dummy -EPERM) and §2.3
 * (frame must be owned by FD, which it is) we expect a refusal.
 * Ambiguous: -EPERM (XSM) is what real Xen's dummy policy returns.
 */
static const char *t_otherdomain_unprivileged_refused(void)
{
    long rc;

    sim_init();
    sim_switch(1);
    rc = sim_uvm_other(VA, pte_from_mfn(sim_mfn(2, 9), G_L1RO), UVMF_NONE, 2);
    CHECK_RC(rc, -XEN_EPERM);
    CHECK_U(L1E(1, 0), 0);
    return NULL;
}

static const struct test tests[] = {
    { t_maps_and_adjusts, "2.11 maps via current L1 with adjust rules" },
    { t_flush_flags, "2.11 UVMF flush types (3 = no flush)" },
    { t_bitmap_pointer, "2.11 UVMF_MULTI bitmap pointer" },
    { t_bad_bitmap_efault_after_update, "2.11 bad bitmap -EFAULT after update" },
    { t_xsa279_noncanonical_no_flush, "2.11 XSA-279 non-canonical va fails before flush" },
    { t_no_l1_einval, "2.11 no validated L1 for va -EINVAL" },
    { t_failure_no_flush, "2.11 failed update flushes nothing" },
    { t_uses_current_tables, "2.11 uses the current vCPU's tables" },
    { t_otherdomain_maps_foreign, "2.11 _otherdomain maps FD's frame" },
    { t_otherdomain_own_id_esrch, "2.11 _otherdomain own/unknown id -ESRCH" },
    { t_otherdomain_unprivileged_refused, "2.9 _otherdomain unprivileged -EPERM (XSM)" },
};
DEFINE_SUITE(mmu_uvm_suite, "update_va_mapping", tests);
