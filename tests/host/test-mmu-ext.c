/*
 * test-mmu-ext.c - the rest of do_mmuext_op (xen-pvmmu-abi.md §2.12):
 * arguments, foreigndom, flushes, FLUSH_CACHE, SET_LDT, CLEAR/COPY_PAGE,
 * MARK_SUPER, unknown commands, and §7.2 (DOMID_IO -> -EPERM).
 */
#include "sim.h"

/* §2.12: uops unreadable -> -EFAULT. */
static const char *t_uops_unreadable_efault(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_ext((struct mmuext_op *)SIM_BAD_PTR, 1, NULL, DOMID_SELF), -XEN_EFAULT);
    CHECK_RC(sim_ext(NULL, 1, NULL, DOMID_SELF), -XEN_EFAULT);
    return NULL;
}

/* §2.12: unknown cmd (14, 21+) -> -ENOSYS. */
static const char *t_unknown_cmd_enosys(void)
{
    static const unsigned int cmds[] = { 14, 21, 22, 100, 0xffffffffu };

    sim_init();
    sim_switch(1);
    for ( unsigned int i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++ )
        CHECK_RC(sim_ext1(cmds[i], 0, 0), -XEN_ENOSYS);
    return NULL;
}

/* §2.6/§2.12: MARK_SUPER / UNMARK_SUPER -> -EOPNOTSUPP (XTF xsa-167 skips). */
static const char *t_mark_super_eopnotsupp(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_ext1(MMUEXT_MARK_SUPER, 0xffffffffffe00000UL, 0), -XEN_EOPNOTSUPP);
    CHECK_RC(sim_ext1(MMUEXT_UNMARK_SUPER, mfn_x(sim_mfn(1, 0)), 0), -XEN_EOPNOTSUPP);
    return NULL;
}

/* §2.12: FLUSH_CACHE / FLUSH_CACHE_GLOBAL need cache_flush_permitted. */
static const char *t_flush_cache_eacces_unprivileged(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_ext1(MMUEXT_FLUSH_CACHE, 0, 0), -XEN_EACCES);
    CHECK_LOG("-EACCES");
    CHECK_RC(sim_ext1(MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0), -XEN_EACCES);
    sim_switch(0);
    CHECK_RC(sim_ext1(MMUEXT_FLUSH_CACHE, 0, 0), 0);
    CHECK_RC(sim_ext1(MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0), 0);
    return NULL;
}

/* §2.12: local flushes. INVLPG_LOCAL of a non-canonical va is ignored. */
static const char *t_local_flushes(void)
{
    sim_init();
    sim_switch(1);
    sim_tlb_clear();
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK(sim_tlb_total() >= 1);
    sim_tlb_clear();
    CHECK_RC(sim_ext1(MMUEXT_INVLPG_LOCAL, 0x400000, 0), 0);
    CHECK_U(sim.tlb.invlpg, 1);
    CHECK_U(sim.tlb.last_invlpg_va, 0x400000);
    sim_tlb_clear();
    CHECK_RC(sim_ext1(MMUEXT_INVLPG_LOCAL, 1UL << 63, 0), 0);
    CHECK_U(sim.tlb.invlpg, 0);
    return NULL;
}

/* §2.12: MULTI with an unreadable vcpumask -> -EINVAL; readable one works. */
static const char *t_multi_flushes(void)
{
    unsigned long mask = 1;

    sim_init();
    sim_switch(1);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_MULTI, 0, SIM_BAD_PTR), -XEN_EINVAL);
    CHECK_RC(sim_ext1(MMUEXT_INVLPG_MULTI, 0x400000, SIM_BAD_PTR), -XEN_EINVAL);
    sim_tlb_clear();
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_MULTI, 0, (unsigned long)&mask), 0);
    CHECK(sim_tlb_total() >= 1);
    CHECK_RC(sim_ext1(MMUEXT_INVLPG_MULTI, 1UL << 63, (unsigned long)&mask), 0);
    return NULL;
}

/* §2.12: ALL variants flush every CPU the domain is dirty on. */
static const char *t_all_flushes(void)
{
    sim_init();
    sim_switch(1);
    sim_tlb_clear();
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_ALL, 0, 0), 0);
    CHECK(sim.tlb.domain >= 1);
    sim_tlb_clear();
    CHECK_RC(sim_ext1(MMUEXT_INVLPG_ALL, 0x400000, 0), 0);
    CHECK(sim_tlb_total() >= 1);
    CHECK_RC(sim_ext1(MMUEXT_INVLPG_ALL, 1UL << 63, 0), 0);    /* bad va ignored */
    return NULL;
}

/* §2.12 get_pg_owner: own numeric id / unknown id -> -ESRCH. */
static const char *t_fd_own_numeric_id_esrch(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_ext1_fd(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, 1), -XEN_ESRCH);
    CHECK_RC(sim_ext1_fd(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, 6), -XEN_ESRCH);
    return NULL;
}

/* §7.2: DOMID_IO passes the "owner is PV" test, then -EPERM (dom0 and domU). */
static const char *t_domid_io_eperm(void)
{
    sim_init();
    sim_switch(0);
    CHECK_RC(sim_ext1_fd(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, DOMID_IO), -XEN_EPERM);
    CHECK_RC(sim_ext1_fd(MMUEXT_INVLPG_LOCAL, 0x400000, 0, DOMID_IO), -XEN_EPERM);
    sim_switch(1);
    CHECK_RC(sim_ext1_fd(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, DOMID_IO), -XEN_EPERM);
    return NULL;
}

/* §2.12: TLB_FLUSH_LOCAL with a foreign FD (privileged caller) -> -EPERM. */
static const char *t_local_flush_foreign_fd_eperm(void)
{
    sim_init();
    sim_switch(0);
    CHECK_RC(sim_ext1_fd(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, 1), -XEN_EPERM);
    CHECK_RC(sim_ext1_fd(MMUEXT_INVLPG_LOCAL, 0x400000, 0, 1), -XEN_EPERM);
    return NULL;
}

/* §2.12 row 13: SET_LDT argument rules. */
static const char *t_set_ldt_args(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_ext1(MMUEXT_SET_LDT, 0x400000, 8193), -XEN_EINVAL);
    CHECK_RC(sim_ext1(MMUEXT_SET_LDT, 0x400008, 1), -XEN_EINVAL);      /* unaligned */
    CHECK_RC(sim_ext1(MMUEXT_SET_LDT, 1UL << 47, 1), -XEN_EINVAL);     /* non-canonical */
    CHECK_RC(sim_ext1(MMUEXT_SET_LDT, 0x400000, 8192), 0);
    CHECK_U(current->ldt_ents, 8192);
    CHECK_U(current->ldt_base, 0x400000);
    CHECK_RC(sim_ext1(MMUEXT_SET_LDT, 0x400008, 0), 0);                /* no LDT */
    CHECK_U(current->ldt_ents, 0);
    return NULL;
}

/* §2.12 row 16: CLEAR_PAGE zeroes an owned, writable-typable frame. */
static const char *t_clear_page(void)
{
    unsigned char *p;

    sim_init();
    sim_switch(1);
    p = sim_pfn_ptr(1, SIM_DATA_PFN);
    for ( unsigned int i = 0; i < PAGE_SIZE; i++ )
        p[i] = 0xaa;
    CHECK_RC(sim_ext1(MMUEXT_CLEAR_PAGE, mfn_x(sim_mfn(1, SIM_DATA_PFN)), 0), 0);
    for ( unsigned int i = 0; i < PAGE_SIZE; i++ )
        CHECK_U(p[i], 0);
    CHECK_U(sim_tcount(sim_mfn(1, SIM_DATA_PFN)), 1);
    /* A live page table, a foreign frame, MMIO: -EINVAL. */
    CHECK_RC(sim_ext1(MMUEXT_CLEAR_PAGE, mfn_x(sim_sd(1)->l2), 0), -XEN_EINVAL);
    CHECK(sim_table(sim_sd(1)->l2)[2] & _PAGE_PRESENT);
    CHECK_RC(sim_ext1(MMUEXT_CLEAR_PAGE, mfn_x(sim_mfn(2, SIM_DATA_PFN)), 0), -XEN_EINVAL);
    CHECK_RC(sim_ext1(MMUEXT_CLEAR_PAGE, SIM_MMIO_MFN, 0), -XEN_EINVAL);
    return NULL;
}

/* §2.12 row 17: COPY_PAGE: dst needs a writable type, src only ownership. */
static const char *t_copy_page(void)
{
    unsigned char *src, *dst;

    sim_init();
    sim_switch(1);
    src = sim_pfn_ptr(1, SIM_DATA_PFN);
    dst = sim_pfn_ptr(1, SIM_DATA_PFN + 1);
    for ( unsigned int i = 0; i < PAGE_SIZE; i++ )
        src[i] = (unsigned char)i;
    CHECK_RC(sim_ext1(MMUEXT_COPY_PAGE, mfn_x(sim_mfn(1, SIM_DATA_PFN + 1)),
                      mfn_x(sim_mfn(1, SIM_DATA_PFN))), 0);
    for ( unsigned int i = 0; i < PAGE_SIZE; i++ )
        CHECK_U(dst[i], (unsigned char)i);
    /* src a live table: allowed (ownership only). */
    CHECK_RC(sim_ext1(MMUEXT_COPY_PAGE, mfn_x(sim_mfn(1, SIM_DATA_PFN + 1)),
                      mfn_x(sim_sd(1)->l2)), 0);
    CHECK_U(((intpte_t *)dst)[2], sim_table(sim_sd(1)->l2)[2]);
    /* dst a live table, src foreign: -EINVAL. */
    CHECK_RC(sim_ext1(MMUEXT_COPY_PAGE, mfn_x(sim_sd(1)->l2),
                      mfn_x(sim_mfn(1, SIM_DATA_PFN))), -XEN_EINVAL);
    CHECK_RC(sim_ext1(MMUEXT_COPY_PAGE, mfn_x(sim_mfn(1, SIM_DATA_PFN + 1)),
                      mfn_x(sim_mfn(2, SIM_DATA_PFN))), -XEN_EINVAL);
    CHECK_INV();
    return NULL;
}

/* §2.12: same pdone convention as mmu_update; stops at the first failure. */
static const char *t_pdone_and_stop(void)
{
    struct mmuext_op ops[3];
    unsigned int done = 99;

    sim_init();
    sim_switch(1);
    for ( unsigned int i = 0; i < 3; i++ )
    {
        ops[i].cmd = MMUEXT_TLB_FLUSH_LOCAL;
        ops[i].arg1.mfn = 0;
        ops[i].arg2.src_mfn = 0;
    }
    CHECK_RC(sim_ext(ops, 3, &done, DOMID_SELF), 0);
    CHECK_U(done, 3);
    ops[1].cmd = MMUEXT_MARK_SUPER;
    CHECK_RC(sim_ext(ops, 3, &done, DOMID_SELF), -XEN_EOPNOTSUPP);
    CHECK_U(done, 1);
    return NULL;
}

static const struct test tests[] = {
    { t_uops_unreadable_efault, "2.12 uops unreadable -EFAULT" },
    { t_unknown_cmd_enosys, "2.12 unknown cmd -ENOSYS" },
    { t_mark_super_eopnotsupp, "2.12 MARK_SUPER/UNMARK_SUPER -EOPNOTSUPP" },
    { t_flush_cache_eacces_unprivileged, "2.12 FLUSH_CACHE -EACCES unprivileged" },
    { t_local_flushes, "2.12 TLB_FLUSH_LOCAL, INVLPG_LOCAL (bad va ignored)" },
    { t_multi_flushes, "2.12 *_MULTI bad vcpumask -EINVAL" },
    { t_all_flushes, "2.12 TLB_FLUSH_ALL / INVLPG_ALL" },
    { t_fd_own_numeric_id_esrch, "2.12 foreigndom own id / unknown -ESRCH" },
    { t_domid_io_eperm, "7.2 mmuext_op with DOMID_IO -EPERM" },
    { t_local_flush_foreign_fd_eperm, "2.12 local flush foreign FD -EPERM" },
    { t_set_ldt_args, "2.12 SET_LDT arguments" },
    { t_clear_page, "2.12 CLEAR_PAGE" },
    { t_copy_page, "2.12 COPY_PAGE" },
    { t_pdone_and_stop, "2.12 pdone, stop at first failure" },
};
DEFINE_SUITE(mmu_ext_suite, "mmuext_op", tests);
