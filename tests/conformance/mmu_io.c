/*
 * mmu_io.c - foreigndom DOMID_IO / DOMID_XEN, and L1 entries that name
 * frames which are not ordinary RAM of ours.
 *
 * Rules (reference §2.1 foreigndom, §2.2 step 2 "L2-L4: FD must equal
 * PFD", §2.3 get_page_from_l1e I/O path, §2.9, §7.2, §7.4):
 *   - DOMID_IO as FD allows only I/O mappings, checked with the caller's
 *     rights; own RAM through DOMID_IO is an owner mismatch (-EBUSY);
 *   - Xen gives the first MiB to DOMID_IO: dom0 (I/O rights) maps it, and
 *     Xen turns a write-back request for MMIO into UC (PCD|PWT set);
 *   - the local APIC is denied to dom0 (-EPERM); an all-ones MFN is
 *     -EINVAL; non-WB attributes on a Xen-heap page (shared_info) are
 *     -EACCES.
 * Every case leaves the window mapped back to its own frame.
 */
#include "kernel.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF

/* §2.1: a plain store does not look at FD, but FD must exist. */
static void fd_special_store(void)
{
    uint64_t ptr = mt_ma(mt_d1) + 30 * 8;

    conf_rc("mmu_update.io.foreigndom_domid_io_plain_store_ok",
            "a plain store with foreigndom DOMID_IO succeeds",
            mt_mmu1(ptr, 0x30, DOMID_IO), 0);
    conf_rc("mmu_update.io.foreigndom_domid_xen_plain_store_ok",
            "a plain store with foreigndom DOMID_XEN succeeds",
            mt_mmu1(ptr, 0x31, DOMID_XEN), 0);
    conf_hex("mmu_update.io.foreigndom_special_plain_store_lands",
             "a plain store with DOMID_IO or DOMID_XEN as foreigndom lands",
             mt_get(mt_d1, 30), 0x31);
}

/* §2.3: DOMID_IO maps only I/O frames; own RAM -> owner mismatch. */
static void fd_io_own_ram(void)
{
    uint64_t ram = mt_ma(mt_d1) | P_;

    conf_rc("mmu_update.io.foreigndom_domid_io_own_ram_is_ebusy",
            "an L1 entry with foreigndom DOMID_IO may not map the caller's RAM: -EBUSY",
            mt_mmu1(mt_win_l1e, ram, DOMID_IO), -XEN_EBUSY);
    conf_rc("mmu_update.io.foreigndom_domid_xen_own_ram_is_ebusy",
            "an L1 entry with foreigndom DOMID_XEN may not map the caller's RAM: -EBUSY",
            mt_mmu1(mt_win_l1e, ram, DOMID_XEN), -XEN_EBUSY);
    conf_hex("mmu_update.io.foreigndom_own_ram_refused_entry_kept",
             "a refused L1 entry with foreigndom DOMID_IO or DOMID_XEN stays unchanged",
             (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(mt_win), 1);
}

/* §2.2 step 2: an L2-L4 update with FD != PFD is -EINVAL, even a zero. */
static void fd_io_upper(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2);

    conf_rc("mmu_update.io.foreigndom_domid_io_l2_is_einval",
            "an L2 update with foreigndom DOMID_IO is -EINVAL, even a zero entry",
            mt_mmu1(mt_slot(l2, 101), 0, DOMID_IO), -XEN_EINVAL);
    conf_rc("mmu_update.io.foreigndom_domid_io_l4_is_einval",
            "an L4 update with foreigndom DOMID_IO is -EINVAL, even a zero entry",
            mt_mmu1(mt_slot(mt_l4_pfn, 301), 0, DOMID_IO), -XEN_EINVAL);
}

/* §2.3: the first MiB is DOMID_IO's; WB on MMIO becomes UC (flags flipped). */
static void low_mib(void)
{
    uint64_t v = 0xb8000 | P_;

    conf_rc("mmu_update.io.first_mib_ro_self_ok",
            "dom0 may map a first-MiB frame with foreigndom DOMID_SELF",
            mt_win_set(v), 0);
    conf_hex("mmu_update.io.first_mib_wb_becomes_uc",
             "Xen sets PCD and PWT on a write-back mapping of MMIO",
             mt_win_pte() & (PTE_ADDR_MASK | FLAGS_MASK),
             0xb8000 | GK_ | _PAGE_PCD | _PAGE_PWT | U_ | P_);
    mt_win_restore();
    conf_rc("mmu_update.io.foreigndom_domid_io_first_mib_ok",
            "dom0 may map a first-MiB frame writable with foreigndom DOMID_IO",
            mt_mmu1(mt_win_l1e, v | RW_, DOMID_IO), 0);
    conf_hex("mmu_update.io.foreigndom_domid_io_first_mib_becomes_uc",
             "a writable write-back MMIO mapping with foreigndom DOMID_IO gets PCD and PWT",
             mt_win_pte() & (PTE_ADDR_MASK | FLAGS_MASK),
             0xb8000 | GK_ | _PAGE_PCD | _PAGE_PWT | U_ | RW_ | P_);
    mt_win_restore();
    conf_rc("mmu_update.io.first_mib_uc_minus_ok",
            "dom0 may map a first-MiB frame UC-",
            mt_win_set(v | _PAGE_PCD), 0);
    /* Only WB (and WT/WP) are rewritten: UC- stays as asked. */
    conf_hex("mmu_update.io.first_mib_uc_minus_kept",
             "Xen leaves a UC- mapping of MMIO as asked",
             mt_win_pte() & FLAGS_MASK, GK_ | _PAGE_PCD | U_ | P_);
    mt_win_restore();
}

/* §2.3: I/O frames dom0 may or may not map. */
static void mmio(void)
{
    conf_rc("mmu_update.io.local_apic_is_eperm",
            "dom0 may not map the local APIC: -EPERM",
            mt_win_set(0xfee00000UL | P_), -XEN_EPERM);
    mt_win_restore();
    conf_rc("mmu_update.io.hole_at_2g_ok",
            "dom0 may map a frame in the hole at 2 GiB",
            mt_win_set(0x80000000UL | P_), 0);
    conf_hex("mmu_update.io.hole_at_2g_becomes_uc",
             "a write-back mapping of a hole frame gets PCD and PWT",
             mt_win_pte() & FLAGS_MASK, GK_ | _PAGE_PCD | _PAGE_PWT | U_ | P_);
    mt_win_restore();
    conf_rc("mmu_update.io.all_ones_mfn_is_einval",
            "an L1 entry with an all-ones MFN is -EINVAL",
            mt_win_set(0x000ffffffffff000UL | P_), -XEN_EINVAL);
    conf_hex("mmu_update.io.mmio_refused_entry_kept",
             "a refused I/O mapping leaves the L1 entry unchanged",
             (mt_win_pte() & PTE_ADDR_MASK) == mt_ma(mt_win), 1);
}

/* §2.3: non-WB attributes on a Xen-heap page -> -EACCES. */
static void shared_info_uc(void)
{
    uint64_t si = start_info->shared_info & PTE_ADDR_MASK;

    conf_rc("mmu_update.io.shared_info_uc_is_eacces",
            "a non-WB mapping of a Xen-heap page (shared_info) is -EACCES",
            mt_win_set(si | P_ | _PAGE_PCD), -XEN_EACCES);
    conf_rc("mmu_update.io.shared_info_wb_ok",
            "dom0 may map shared_info write-back",
            mt_win_set(si | P_), 0);
    mt_win_restore();
}

const struct mmu_case mmu_io_cases[] = {
    { "mmu_update_fd_io_xen_plain_store",    fd_special_store },
    { "mmu_update_fd_io_own_ram_ebusy",      fd_io_own_ram },
    { "mmu_update_fd_io_upper_level_einval", fd_io_upper },
    { "mmu_update_low_mib_io_uc_flip",       low_mib },
    { "mmu_update_mmio_lapic_hole_allones",  mmio },
    { "mmu_update_shared_info_uc_eacces",    shared_info_uc },
    { NULL, NULL }
};
