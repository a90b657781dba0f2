/*
 * test-mmu-machphys.c - MMU_MACHPHYS_UPDATE (xen-pvmmu-abi.md §2.10 and
 * the three MACHPHYS rows of the §2.9 table).
 */
#include "sim.h"

#define MACHPHYS(m, off) (mfn_to_maddr(m) + (off) + MMU_MACHPHYS_UPDATE)

/* §2.10: m2p[ptr>>12] = val, any address inside the frame, val unchecked. */
static const char *t_sets_m2p(void)
{
    mfn_t m;

    sim_init();
    sim_switch(1);
    m = sim_mfn(1, SIM_DATA_PFN);
    CHECK_RC(sim_mmu1(MACHPHYS(m, 0), 0x1234, DOMID_SELF), 0);
    CHECK_U(host_m2p[mfn_x(m)], 0x1234);
    CHECK_RC(sim_mmu1(MACHPHYS(m, 0xff8), 0xfffffffffUL, DOMID_SELF), 0);
    CHECK_U(host_m2p[mfn_x(m)], 0xfffffffffUL);
    /* The frame's page-table role is irrelevant: only ownership counts. */
    CHECK_RC(sim_mmu1(MACHPHYS(sim_sd(1)->l2, 0x10), 7, DOMID_SELF), 0);
    CHECK_U(host_m2p[mfn_x(sim_sd(1)->l2)], 7);
    return NULL;
}

/* §2.9: frame not owned by FD -> -EINVAL. */
static const char *t_not_owned_einval(void)
{
    mfn_t m;

    sim_init();
    sim_switch(1);
    m = sim_mfn(2, SIM_DATA_PFN);
    CHECK_RC(sim_mmu1(MACHPHYS(m, 0), 0x55, DOMID_SELF), -XEN_EINVAL);
    CHECK_U(host_m2p[mfn_x(m)], SIM_DATA_PFN);
    CHECK_RC(sim_mmu1(MACHPHYS(_mfn(SIM_MMIO_MFN), 0), 0x55, DOMID_SELF), -XEN_EINVAL);
    return NULL;
}

/* §2.9: PFD != caller -> -EPERM (privileged caller naming d1 as PFD). */
static const char *t_pfd_not_caller_eperm(void)
{
    mfn_t m;

    sim_init();
    sim_switch(0);
    m = sim_mfn(1, SIM_DATA_PFN);
    CHECK_RC(sim_mmu1(MACHPHYS(m, 0), 0x55, (1u + 1) << 16 | 1), -XEN_EPERM);
    CHECK_U(host_m2p[mfn_x(m)], SIM_DATA_PFN);
    return NULL;
}

/* §2.10: the frame must belong to FD: a privileged caller with FD = d1. */
static const char *t_foreign_fd_privileged(void)
{
    mfn_t m;

    sim_init();
    sim_switch(0);
    m = sim_mfn(1, SIM_DATA_PFN);
    CHECK_RC(sim_mmu1(MACHPHYS(m, 0), 0x66, 1), 0);
    CHECK_U(host_m2p[mfn_x(m)], 0x66);
    /* ... and its own frame is then not FD's. */
    CHECK_RC(sim_mmu1(MACHPHYS(sim_mfn(0, SIM_DATA_PFN), 0), 0x66, 1), -XEN_EINVAL);
    return NULL;
}

/* §2.9: FD translated -> -EINVAL. */
static const char *t_fd_translated_einval(void)
{
    mfn_t m;

    sim_init();
    sim_d(2)->translated = true;        /* builder property: an HVM/PVH FD */
    sim_switch(0);
    m = sim_mfn(2, SIM_DATA_PFN);
    CHECK_RC(sim_mmu1(MACHPHYS(m, 0), 0x66, 2), -XEN_EINVAL);
    CHECK_U(host_m2p[mfn_x(m)], SIM_DATA_PFN);
    return NULL;
}

static const struct test tests[] = {
    { t_sets_m2p, "2.10 sets m2p[ptr>>12] = val" },
    { t_not_owned_einval, "2.9 MACHPHYS frame not owned by FD -EINVAL" },
    { t_pfd_not_caller_eperm, "2.9 MACHPHYS PFD != caller -EPERM" },
    { t_foreign_fd_privileged, "2.10 MACHPHYS with privileged FD" },
    { t_fd_translated_einval, "2.9 MACHPHYS FD translated -EINVAL" },
};
DEFINE_SUITE(mmu_machphys_suite, "mmu-machphys", tests);
