/*
 * test-mmu-l1.c - one L1 entry through mmu_update: mod_l1_entry's rules,
 * xen-pvmmu-abi.md §2.3 (flags, get_page_from_l1e, fast path, PRESERVE_AD),
 * §2.8 (adjust_guest_l1e, read back after the update) and the L1 rows of
 * §2.9.  Entries go into unused slots of the domain's bootstrap L1.
 */
#include "sim.h"

#define L1E(dom, k) (sim_table(sim_sd(dom)->l1)[256 + (k)])

static long put1(unsigned int dom, unsigned int k, mfn_t m, unsigned long flags)
{
    sim_switch(dom);
    return sim_mmu1(sim_slot_ma(dom, k), pte_from_mfn(m, flags), DOMID_SELF);
}

/* §2.8: no U -> U + bit 52 (kernel page); no G added. */
static const char *t_adjust_kernel_page(void)
{
    sim_init();
    CHECK_RC(put1(1, 0, sim_mfn(1, SIM_DATA_PFN), G_L1), 0);
    CHECK_U(L1E(1, 0), pte_from_mfn(sim_mfn(1, SIM_DATA_PFN),
                                    G_L1 | _PAGE_USER | _PAGE_GUEST_KERNEL));
    return NULL;
}

/* §2.8: U set by the guest -> U + G (user pages are global), no bit 52. */
static const char *t_adjust_user_page_global(void)
{
    sim_init();
    CHECK_RC(put1(1, 0, sim_mfn(1, SIM_DATA_PFN), G_L1 | _PAGE_USER), 0);
    CHECK_U(L1E(1, 0), pte_from_mfn(sim_mfn(1, SIM_DATA_PFN),
                                    G_L1 | _PAGE_USER | _PAGE_GLOBAL));
    return NULL;
}

/* §2.3: G is allowed at L1 (a kernel page with G only warns). */
static const char *t_global_allowed_at_l1(void)
{
    sim_init();
    CHECK_RC(put1(1, 0, sim_mfn(1, SIM_DATA_PFN), G_L1 | _PAGE_GLOBAL), 0);
    CHECK(L1E(1, 0) & _PAGE_GLOBAL);
    return NULL;
}

/* §2.3: PSE/PAT (bit 7) in an L1e -> -EINVAL. */
static const char *t_pat_bit_einval(void)
{
    sim_init();
    CHECK_RC(put1(1, 0, sim_mfn(1, SIM_DATA_PFN), G_L1 | _PAGE_PAT), -XEN_EINVAL);
    CHECK_U(L1E(1, 0), 0);
    return NULL;
}

/* §2.3 / surprise 10: PCD/PWT for a domU without I/O resources -> -EINVAL. */
static const char *t_cache_bits_domU_einval(void)
{
    sim_init();
    CHECK_RC(put1(1, 0, sim_mfn(1, SIM_DATA_PFN), G_L1 | _PAGE_PCD), -XEN_EINVAL);
    CHECK_RC(put1(1, 0, sim_mfn(1, SIM_DATA_PFN), G_L1 | _PAGE_PWT), -XEN_EINVAL);
    CHECK_U(L1E(1, 0), 0);
    return NULL;
}

/* §7.4: dom0 (I/O rights) may use cache bits on its own RAM. */
static const char *t_cache_bits_dom0_ok(void)
{
    sim_init();
    CHECK_RC(put1(0, 0, sim_mfn(0, SIM_DATA_PFN), G_L1 | _PAGE_PCD | _PAGE_PWT), 0);
    CHECK(L1E(0, 0) & _PAGE_PCD);
    return NULL;
}

/* §2.3 step 4 / §2.9: RAM not owned by FD -> -EBUSY (foreign, Xen, free). */
static const char *t_not_owned_frame_ebusy(void)
{
    mfn_t free_mfn = _mfn(SIM_MMIO_MFN - 1);

    sim_init();
    CHECK(mfn_to_page(free_mfn)->count_info & PGC_free);
    sim_log_clear();
    CHECK_RC(put1(1, 0, sim_mfn(2, SIM_DATA_PFN), G_L1RO), -XEN_EBUSY);
    CHECK_LOG("d1:");
    CHECK_LOG("-EBUSY");
    CHECK_RC(put1(1, 0, sim_mfn(0, SIM_DATA_PFN), G_L1), -XEN_EBUSY);
    CHECK_RC(put1(1, 0, sim.xen_frame, G_L1RO), -XEN_EBUSY);
    CHECK_RC(put1(1, 0, free_mfn, G_L1RO), -XEN_EBUSY);
    CHECK_U(L1E(1, 0), 0);
    CHECK_U(sim_count(sim_mfn(2, SIM_DATA_PFN)), 2);
    return NULL;
}

/* §2.3 step 4 / §2.9: RW mapping of a live page table -> -EBUSY; RO is fine. */
static const char *t_rw_live_table_ebusy(void)
{
    struct sim_dom *sd;

    sim_init();
    sd = sim_sd(1);
    CHECK_RC(put1(1, 0, sd->l2, G_L1), -XEN_EBUSY);
    CHECK_RC(put1(1, 0, sd->l4, G_L1), -XEN_EBUSY);
    CHECK_RC(put1(1, 0, sd->l1, G_L1), -XEN_EBUSY);
    CHECK_U(sim_count(sd->l2), 3);
    CHECK_RC(put1(1, 0, sd->l2, G_L1RO), 0);
    CHECK_U(sim_count(sd->l2), 4);
    CHECK_U(sim_tcount(sd->l2), 1);
    CHECK_INV();
    return NULL;
}

/* §2.3 step 4 / §2.9: MMIO without permission -> -EPERM; all-ones -> -EINVAL. */
static const char *t_mmio_rules(void)
{
    sim_init();
    sim_log_clear();
    CHECK_RC(put1(1, 0, _mfn(SIM_MMIO_MFN), G_L1), -XEN_EPERM);
    CHECK_LOG("-EPERM");
    CHECK_RC(put1(1, 0, _mfn(PADDR_MASK >> PAGE_SHIFT), G_L1), -XEN_EINVAL);
    CHECK_U(L1E(1, 0), 0);
    /* dom0 has I/O rights. */
    CHECK_RC(put1(0, 0, _mfn(SIM_MMIO_MFN + 1), G_L1), 0);
    return NULL;
}

/* §2.3 step 5 / §3.2: the new entry holds a general ref (+ writable type
 * ref when RW); overwriting drops the old entry's refs. */
static const char *t_refs_taken_and_dropped(void)
{
    mfn_t m;

    sim_init();
    m = sim_mfn(1, SIM_DATA_PFN);
    CHECK_RC(put1(1, 0, m, G_L1), 0);
    CHECK_U(sim_count(m), 3);
    CHECK_U(sim_tcount(m), 2);
    CHECK_RC(put1(1, 0, m, G_L1RO), 0);         /* RW change: not fast path */
    CHECK_U(sim_count(m), 3);
    CHECK_U(sim_tcount(m), 1);
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), 0, DOMID_SELF), 0);
    CHECK_U(sim_count(m), 2);
    CHECK_U(sim_tcount(m), 1);
    CHECK_INV();
    return NULL;
}

/* §2.3 step 3: A/D/AVAIL/NX-only changes keep the references. */
static const char *t_fast_path_keeps_refs(void)
{
    mfn_t m;

    sim_init();
    m = sim_mfn(1, SIM_DATA_PFN);
    CHECK_RC(put1(1, 0, m, G_L1), 0);
    CHECK_RC(put1(1, 0, m, G_L1 | _PAGE_DIRTY | 0x200), 0);
    CHECK_U(sim_count(m), 3);
    CHECK_U(sim_tcount(m), 2);
    CHECK(L1E(1, 0) & _PAGE_DIRTY);
    return NULL;
}

/* §2.3: non-present entries are not validated: any bits are stored. */
static const char *t_non_present_any_bits(void)
{
    uint64_t v = 0x7ff0000000000000UL | mfn_to_maddr(_mfn(SIM_MMIO_MFN)) |
                 _PAGE_PSE | _PAGE_PCD | _PAGE_RW;

    sim_init();
    sim_switch(1);
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), v, DOMID_SELF), 0);
    CHECK_U(L1E(1, 0), v);
    return NULL;
}

/* §2.1/§2.3 step 5: MMU_PT_UPDATE_PRESERVE_AD ORs the old A/D into the new. */
static const char *t_preserve_ad(void)
{
    mfn_t m;

    sim_init();
    m = sim_mfn(1, SIM_DATA_PFN);
    CHECK_RC(put1(1, 0, m, G_L1 | _PAGE_DIRTY), 0);
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0) | MMU_PT_UPDATE_PRESERVE_AD,
                      pte_from_mfn(m, _PAGE_PRESENT | _PAGE_RW), DOMID_SELF), 0);
    CHECK_U(L1E(1, 0) & (_PAGE_ACCESSED | _PAGE_DIRTY), _PAGE_ACCESSED | _PAGE_DIRTY);
    /* MMU_NORMAL_PT_UPDATE does not keep them. */
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), pte_from_mfn(m, _PAGE_PRESENT | _PAGE_RW),
                      DOMID_SELF), 0);
    CHECK_U(L1E(1, 0) & (_PAGE_ACCESSED | _PAGE_DIRTY), 0);
    return NULL;
}

/* §1.4: shared_info (a Xen-heap page owned by the domain) maps RW. */
static const char *t_shared_info_mappable(void)
{
    sim_init();
    CHECK_RC(put1(1, 0, sim_d(1)->shared_info_mfn, G_L1 | _PAGE_USER), 0);
    CHECK_RC(put1(1, 0, sim_d(2)->shared_info_mfn, G_L1), -XEN_EBUSY);
    return NULL;
}

/* §2.3 step 4: non-WB attributes on a Xen-heap page -> -EACCES (dom0 may
 * use cache bits, so the check that fires is the special-page one). */
static const char *t_shared_info_uncached_eacces(void)
{
    sim_init();
    CHECK_RC(put1(0, 0, sim_d(0)->shared_info_mfn, G_L1 | _PAGE_PCD), -XEN_EACCES);
    CHECK_U(L1E(0, 0), 0);
    return NULL;
}

/* §2.2 / XTF xsa-224 shape: NO_TRANSLATE (cmd 3) behaves as NORMAL for PV. */
static const char *t_no_translate_is_normal(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0) | MMU_PT_UPDATE_NO_TRANSLATE,
                      pte_from_mfn(sim_mfn(1, SIM_DATA_PFN), G_L1), DOMID_SELF), 0);
    CHECK(L1E(1, 0) & _PAGE_GUEST_KERNEL);
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 1) | MMU_PT_UPDATE_NO_TRANSLATE,
                      pte_from_mfn(sim_mfn(2, SIM_DATA_PFN), G_L1), DOMID_SELF),
             -XEN_EBUSY);
    return NULL;
}

/* §2.3: a privileged FD may map its target's pages (dom0, FD = d1). */
static const char *t_privileged_foreign_fd_maps(void)
{
    mfn_t m;

    sim_init();
    sim_switch(0);
    m = sim_mfn(1, SIM_DATA_PFN);
    CHECK_RC(sim_mmu1(sim_slot_ma(0, 0), pte_from_mfn(m, G_L1RO), 1), 0);
    CHECK_U(sim_count(m), 3);
    /* ... but with FD = self it is not its frame. */
    CHECK_RC(sim_mmu1(sim_slot_ma(0, 1), pte_from_mfn(m, G_L1RO), DOMID_SELF), -XEN_EBUSY);
    return NULL;
}

static const struct test tests[] = {
    { t_adjust_kernel_page, "2.8 kernel page gets U and bit 52" },
    { t_adjust_user_page_global, "2.8 user page gets U and G" },
    { t_global_allowed_at_l1, "2.3 G allowed in L1" },
    { t_pat_bit_einval, "2.3 PAT/PSE in L1 -EINVAL" },
    { t_cache_bits_domU_einval, "2.3 PCD/PWT in domU L1 -EINVAL" },
    { t_cache_bits_dom0_ok, "7.4 cache bits allowed for dom0" },
    { t_not_owned_frame_ebusy, "2.9 L1 target not owned / Xen / free -EBUSY" },
    { t_rw_live_table_ebusy, "2.9 L1 RW target is a live PT -EBUSY" },
    { t_mmio_rules, "2.9 MMIO without rights -EPERM, all-ones -EINVAL" },
    { t_refs_taken_and_dropped, "3.2 L1 entry refs taken and dropped" },
    { t_fast_path_keeps_refs, "2.3 fast path keeps refs" },
    { t_non_present_any_bits, "2.3 non-present entries not validated" },
    { t_preserve_ad, "2.1 MMU_PT_UPDATE_PRESERVE_AD" },
    { t_shared_info_mappable, "1.4 own shared_info maps, foreign -EBUSY" },
    { t_shared_info_uncached_eacces, "2.3 non-WB on Xen-heap page -EACCES" },
    { t_no_translate_is_normal, "2.1 NO_TRANSLATE as NORMAL for PV" },
    { t_privileged_foreign_fd_maps, "2.3 privileged FD maps target's pages" },
};
DEFINE_SUITE(mmu_l1_suite, "mmu-l1", tests);
