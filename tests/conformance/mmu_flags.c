/*
 * mmu_flags.c - mmu_update's flag rules at every level, the bits Xen adds
 * (read back after the update), MMU_PT_UPDATE_PRESERVE_AD at every level,
 * and plain stores into frames that are no live table.  (MACHPHYS_UPDATE
 * and the argument corners are in mmu_args.c.)
 *
 * Rules (reference §2.1, §2.2, §2.3 flag masks, §2.8, §2.9, §2.10):
 *   - a present L1 entry of dom0 may carry any flag: dom0 has I/O rights,
 *     so even PWT/PCD/PAT pass (a domU would get -EINVAL); G is allowed;
 *   - a present L2/L3/L4 entry with PWT, PCD, PSE or G is -EINVAL; the
 *     software bits 9-11 and 52-62 and NX (the CPU has it) pass unchanged;
 *   - a non-present entry is stored as given at every level;
 *   - Xen adds U (and bit 52 for a kernel page, G for a user one) to L1
 *     entries, U to L2/L3 entries and U|A to L4 entries;
 *   - PRESERVE_AD ORs the old entry's A/D bits into the new value at every
 *     level, even into a non-present one; a plain store ignores it;
 *   - MACHPHYS_UPDATE writes any value into the M2P slot of a frame that
 *     FD owns (DOMID_IO owns the first MiB), which the guest reads back
 *     (but cannot write) at MACH2PHYS_VIRT_START.  Its -EPERM (page-table
 *     owner other than the caller) needs a second domain: not tested here;
 *   - count 0 still checks the array address and foreigndom; count and
 *     foreigndom are 32 bits wide; pdone is never a reason to fail.
 *
 * The entries changed are L2/L3 slot 102 of the bootstrap tables and L4
 * slot 302 (all empty at boot), and the window's L1 entry (mmu_lib.c).
 */
#include "kernel.h"
#include "mm.h"
#include "traps.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF
#define PWT_ _PAGE_PWT
#define PCD_ _PAGE_PCD
#define PAT_ 0x080UL                    /* bit 7 of an L1 entry */
#define NX_ (1UL << 63)
#define AVAIL_ 0xe00UL                  /* bits 9-11 */
#define AVAIL_HIGH_ (0x7ffUL << 52)     /* bits 52-62 (52 is GK_ in an L1) */
#define RSVD_ADDR_ (1UL << 51)          /* above any MAXPHYADDR */
#define S2 102                          /* slot used in the bootstrap L2, L3 */
#define S4 302                          /* slot used in the bootstrap L4 */

static unsigned long l2, l3;            /* bootstrap tables on VIRT_BASE's walk */
static unsigned long t1, t2, t3;        /* empty RO frames: an L1, L2, L3 to be */

static long l2_set(uint64_t v) { return mt_mmu1(mt_slot(l2, S2), v, SELF); }
static long l3_set(uint64_t v) { return mt_mmu1(mt_slot(l3, S2), v, SELF); }
static long l4_set(uint64_t v) { return mt_mmu1(mt_slot(mt_l4_pfn, S4), v, SELF); }
static long l2_ad(uint64_t v)
{
    return mt_mmu1(mt_slot(l2, S2) | MMU_PT_UPDATE_PRESERVE_AD, v, SELF);
}
static long l3_ad(uint64_t v)
{
    return mt_mmu1(mt_slot(l3, S2) | MMU_PT_UPDATE_PRESERVE_AD, v, SELF);
}
static long l4_ad(uint64_t v)
{
    return mt_mmu1(mt_slot(mt_l4_pfn, S4) | MMU_PT_UPDATE_PRESERVE_AD, v, SELF);
}
static long win_ad(uint64_t v)
{
    return mt_mmu1(mt_win_l1e | MMU_PT_UPDATE_PRESERVE_AD, v, SELF);
}
static uint64_t win_flags(void) { return mt_win_pte() & FLAGS_MASK; }
/* A non-present entry with every other flag set, naming no frame of ours. */
static uint64_t junk_np(void) { return 0x000abcdef0123000UL | (FLAGS_MASK & ~P_); }

/* §2.3: dom0 has I/O rights, so no flag of a present L1 entry is refused. */
static void l1_flags(void)
{
    unsigned long f = mt_alloc();
    uint64_t ma = mt_ma(f) | P_;

    conf_rc("mmu_update.flags.l1_pwt_dom0_ok",
            "a present L1 entry may set PWT when the domain has I/O rights (dom0)",
            mt_win_set(ma | PWT_), 0);
    conf_hex("mmu_update.flags.l1_pwt_read_back",
             "PWT on RAM is stored as given (only MMIO is forced to UC)",
             win_flags(), GK_ | PWT_ | U_ | P_);
    conf_rc("mmu_update.flags.l1_pcd_dom0_ok",
            "a present L1 entry may set PCD when the domain has I/O rights (dom0)",
            mt_win_set(ma | PCD_), 0);
    conf_hex("mmu_update.flags.l1_pcd_read_back",
             "PCD on RAM is stored as given",
             win_flags(), GK_ | PCD_ | U_ | P_);
    conf_rc("mmu_update.flags.l1_pat_dom0_ok",
            "a present L1 entry may set PAT (bit 7) when the domain has I/O rights (dom0)",
            mt_win_set(ma | PAT_), 0);
    conf_hex("mmu_update.flags.l1_pat_read_back",
             "PAT on RAM is stored as given",
             win_flags(), GK_ | PAT_ | U_ | P_);
    conf_rc("mmu_update.flags.l1_global_ok",
            "G is allowed in an L1 entry, also on a kernel page (Xen only warns)",
            mt_win_set(ma | G_), 0);
    conf_hex("mmu_update.flags.l1_global_kernel_read_back",
             "a kernel page keeps the G it asked for, next to U and bit 52",
             win_flags(), GK_ | G_ | U_ | P_);
    conf_rc("mmu_update.flags.l1_avail_ok",
            "the software bits 9-11 and 53-62 pass in an L1 entry",
            mt_win_set(ma | AVAIL_ | (AVAIL_HIGH_ & ~GK_)), 0);
    conf_hex("mmu_update.flags.l1_avail_read_back",
             "the software bits of an L1 entry are stored as given",
             win_flags(), AVAIL_HIGH_ | AVAIL_ | U_ | P_);
    conf_rc("mmu_update.flags.l1_nx_ok",
            "NX passes in an L1 entry (the CPU has NX)",
            mt_win_set(ma | NX_), 0);
    conf_hex("mmu_update.flags.l1_nx_read_back",
             "NX is stored as given in an L1 entry",
             win_flags(), NX_ | GK_ | U_ | P_);
    conf_rc("mmu_update.flags.l1_reserved_addr_bit_eperm",
            "an L1 frame above the physical address width is MMIO dom0 may not map: -EPERM",
            mt_win_set(RSVD_ADDR_ | mt_ma(f) | P_), -XEN_EPERM);
    conf_rc("mmu_update.flags.l1_not_present_any_bits_ok",
            "a non-present L1 entry is stored without validation",
            mt_win_set(junk_np()), 0);
    conf_hex("mmu_update.flags.l1_not_present_read_back",
             "a non-present L1 entry is stored exactly as given (no bits added)",
             mt_win_pte(), junk_np());
    mt_win_restore();
}

/* §2.8: U and bit 52 in the request decide kernel/user; G only for user. */
static void l1_adjust(void)
{
    uint64_t ma = mt_ma(mt_d2) | P_;

    conf_rc("mmu_update.adjust.l1_gk_without_u_ok",
            "a guest may set bit 52 itself in an L1 entry",
            mt_win_set(ma | GK_), 0);
    conf_hex("mmu_update.adjust.l1_gk_without_u_read_back",
             "bit 52 without U is a kernel page: U is added",
             win_flags(), GK_ | U_ | P_);
    conf_rc("mmu_update.adjust.l1_gk_with_u_ok",
            "U together with bit 52 is accepted in an L1 entry",
            mt_win_set(ma | GK_ | U_), 0);
    conf_hex("mmu_update.adjust.l1_gk_with_u_read_back",
             "U with bit 52 stays a kernel page: no G is added",
             win_flags(), GK_ | U_ | P_);
    conf_rc("mmu_update.adjust.l1_user_global_ok",
            "a user L1 entry may ask for G itself",
            mt_win_set(ma | U_ | G_), 0);
    conf_hex("mmu_update.adjust.l1_user_global_read_back",
             "a user page with G reads back U|G, no bit 52",
             win_flags(), G_ | U_ | P_);
    conf_rc("mmu_update.adjust.l1_user_ad_ok",
            "a user L1 entry with A and D is accepted",
            mt_win_set(ma | U_ | A_ | D_), 0);
    conf_hex("mmu_update.adjust.l1_user_ad_read_back",
             "A and D asked for are kept; G is added to a user page",
             win_flags(), G_ | D_ | A_ | U_ | P_);
    mt_win_restore();
}

/* §2.3 L2 mask, §2.8: an L1 below validated on hooking gets its bits too. */
static void l2_flags(void)
{
    uint64_t *t;

    l2 = mt_table_pfn(VIRT_BASE, 2);
    l3 = mt_table_pfn(VIRT_BASE, 3);
    mt_step("flags_l2_slot_empty", mt_get(l2, S2), 0);
    mt_step("flags_l3_slot_empty", mt_get(l3, S2), 0);
    mt_step("flags_l4_slot_empty", mt_get(mt_l4_pfn, S4), 0);
    t1 = mt_alloc();
    t = mt_va(t1);
    t[0] = mt_ma(mt_d1) | P_;
    t[1] = mt_ma(mt_d2) | P_ | U_;
    t[2] = mt_ma(mt_d1) | P_ | G_;
    t[3] = mt_ma(mt_d2) | P_ | U_ | GK_;
    mt_step("flags_t1_ro", mt_ro(t1), 0);

    conf_rc("mmu_update.flags.l2_pwt_einval", "PWT in a present L2 entry is -EINVAL",
            l2_set(mt_ma(t1) | P_ | RW_ | PWT_), -XEN_EINVAL);
    conf_rc("mmu_update.flags.l2_pcd_einval",
            "PCD in a present L2 entry is -EINVAL, even for dom0",
            l2_set(mt_ma(t1) | P_ | RW_ | PCD_), -XEN_EINVAL);
    conf_rc("mmu_update.flags.l2_pse_einval",
            "PSE in a present L2 entry is -EINVAL (no PV superpages)",
            l2_set(mt_ma(t1) | P_ | RW_ | PSE_), -XEN_EINVAL);
    conf_rc("mmu_update.flags.l2_global_einval", "G in a present L2 entry is -EINVAL",
            l2_set(mt_ma(t1) | P_ | RW_ | G_), -XEN_EINVAL);
    conf_hex("mmu_update.flags.l2_refused_entry_kept",
             "a refused L2 update leaves the entry as it was",
             mt_get(l2, S2), 0);
    conf_rc("mmu_update.flags.l2_reserved_addr_bit_einval",
            "an L2 entry naming a frame above the physical address width is -EINVAL",
            l2_set(RSVD_ADDR_ | mt_ma(t1) | P_ | RW_), -XEN_EINVAL);
    conf_rc("mmu_update.flags.l2_avail_ok",
            "the software bits 9-11 and 52-62 pass in an L2 entry",
            l2_set(mt_ma(t1) | P_ | RW_ | AVAIL_ | AVAIL_HIGH_), 0);
    conf_hex("mmu_update.adjust.l2_avail_read_back",
             "an L2 entry reads back as given plus U",
             mt_get(l2, S2) & FLAGS_MASK, AVAIL_HIGH_ | AVAIL_ | U_ | RW_ | P_);
    conf_hex("mmu_update.adjust.l1_validated_kernel",
             "validation of an L1 adds U and bit 52 to a kernel entry",
             mt_get(t1, 0) & FLAGS_MASK, GK_ | U_ | P_);
    conf_hex("mmu_update.adjust.l1_validated_user",
             "validation of an L1 adds G to a user entry",
             mt_get(t1, 1) & FLAGS_MASK, G_ | U_ | P_);
    conf_hex("mmu_update.adjust.l1_validated_kernel_global",
             "validation of an L1 keeps G on a kernel entry and adds U and bit 52",
             mt_get(t1, 2) & FLAGS_MASK, GK_ | G_ | U_ | P_);
    conf_hex("mmu_update.adjust.l1_validated_user_gk",
             "validation of an L1 leaves U with bit 52 a kernel entry (no G)",
             mt_get(t1, 3) & FLAGS_MASK, GK_ | U_ | P_);
    conf_rc("mmu_update.flags.l2_clear_ok", "clearing an L2 entry releases its L1",
            l2_set(0), 0);
    conf_rc("mmu_update.flags.l2_nx_ok", "NX passes in an L2 entry (the CPU has NX)",
            l2_set(mt_ma(t1) | P_ | RW_ | NX_), 0);
    conf_hex("mmu_update.adjust.l2_nx_read_back", "NX is stored in an L2 entry, U added",
             mt_get(l2, S2) & FLAGS_MASK, NX_ | U_ | RW_ | P_);
    conf_rc("mmu_update.flags.l2_user_ro_ok", "a read-only user L2 entry is accepted",
            l2_set(mt_ma(t1) | P_ | U_), 0);
    conf_hex("mmu_update.adjust.l2_user_ro_read_back",
             "an RO user L2 entry reads back as given",
             mt_get(l2, S2) & FLAGS_MASK, U_ | P_);
    conf_rc("mmu_update.flags.l2_not_present_any_bits_ok",
            "a non-present L2 entry is stored without validation, PSE and G included",
            l2_set(junk_np()), 0);
    conf_hex("mmu_update.flags.l2_not_present_read_back",
             "a non-present L2 entry is stored exactly as given",
             mt_get(l2, S2), junk_np());
    mt_step("flags_l2_clear", l2_set(0), 0);
    mt_step("flags_t1_released_rw", mt_rw(t1), 0);
    mt_step("flags_t1_ro_again", mt_ro(t1), 0);
}

/* §2.3: an L3 of a 64-bit guest has the base mask (PSE and G refused). */
static void l3_flags(void)
{
    t2 = mt_pt_new();

    conf_rc("mmu_update.flags.l3_pwt_einval", "PWT in a present L3 entry is -EINVAL",
            l3_set(mt_ma(t2) | P_ | RW_ | PWT_), -XEN_EINVAL);
    conf_rc("mmu_update.flags.l3_pcd_einval", "PCD in a present L3 entry is -EINVAL",
            l3_set(mt_ma(t2) | P_ | RW_ | PCD_), -XEN_EINVAL);
    conf_rc("mmu_update.flags.l3_pse_einval",
            "PSE in a present L3 entry is -EINVAL (no 1 GiB pages)",
            l3_set(mt_ma(t2) | P_ | RW_ | PSE_), -XEN_EINVAL);
    conf_rc("mmu_update.flags.l3_global_einval", "G in a present L3 entry is -EINVAL",
            l3_set(mt_ma(t2) | P_ | RW_ | G_), -XEN_EINVAL);
    conf_hex("mmu_update.flags.l3_refused_entry_kept",
             "a refused L3 update leaves the entry as it was",
             mt_get(l3, S2), 0);
    conf_rc("mmu_update.flags.l3_reserved_addr_bit_einval",
            "an L3 entry naming a frame above the physical address width is -EINVAL",
            l3_set(RSVD_ADDR_ | mt_ma(t2) | P_ | RW_), -XEN_EINVAL);
    conf_rc("mmu_update.flags.l3_avail_ok",
            "the software bits 9-11 and 52-62 pass in an L3 entry",
            l3_set(mt_ma(t2) | P_ | RW_ | AVAIL_ | AVAIL_HIGH_), 0);
    conf_hex("mmu_update.adjust.l3_avail_read_back",
             "an L3 entry reads back as given plus U",
             mt_get(l3, S2) & FLAGS_MASK, AVAIL_HIGH_ | AVAIL_ | U_ | RW_ | P_);
    conf_rc("mmu_update.flags.l3_clear_ok", "clearing an L3 entry releases its L2",
            l3_set(0), 0);
    conf_rc("mmu_update.flags.l3_nx_ok", "NX passes in an L3 entry (the CPU has NX)",
            l3_set(mt_ma(t2) | P_ | RW_ | NX_), 0);
    conf_hex("mmu_update.adjust.l3_nx_read_back", "NX is stored in an L3 entry, U added",
             mt_get(l3, S2) & FLAGS_MASK, NX_ | U_ | RW_ | P_);
    conf_rc("mmu_update.flags.l3_not_present_any_bits_ok",
            "a non-present L3 entry is stored without validation, PSE and G included",
            l3_set(junk_np()), 0);
    conf_hex("mmu_update.flags.l3_not_present_read_back",
             "a non-present L3 entry is stored exactly as given",
             mt_get(l3, S2), junk_np());
    mt_step("flags_l3_clear", l3_set(0), 0);
    mt_step("flags_t2_released_rw", mt_rw(t2), 0);
    mt_step("flags_t2_ro_again", mt_ro(t2), 0);
}

/* §2.3: an L4 has the base mask; §2.8: Xen adds U|A. */
static void l4_flags(void)
{
    t3 = mt_pt_new();

    conf_rc("mmu_update.flags.l4_pwt_einval", "PWT in a present L4 entry is -EINVAL",
            l4_set(mt_ma(t3) | P_ | RW_ | PWT_), -XEN_EINVAL);
    conf_rc("mmu_update.flags.l4_pcd_einval", "PCD in a present L4 entry is -EINVAL",
            l4_set(mt_ma(t3) | P_ | RW_ | PCD_), -XEN_EINVAL);
    conf_rc("mmu_update.flags.l4_pse_einval", "PSE in a present L4 entry is -EINVAL",
            l4_set(mt_ma(t3) | P_ | RW_ | PSE_), -XEN_EINVAL);
    conf_rc("mmu_update.flags.l4_global_einval", "G in a present L4 entry is -EINVAL",
            l4_set(mt_ma(t3) | P_ | RW_ | G_), -XEN_EINVAL);
    conf_hex("mmu_update.flags.l4_refused_entry_kept",
             "a refused L4 update leaves the entry as it was",
             mt_get(mt_l4_pfn, S4), 0);
    conf_rc("mmu_update.flags.l4_reserved_addr_bit_einval",
            "an L4 entry naming a frame above the physical address width is -EINVAL",
            l4_set(RSVD_ADDR_ | mt_ma(t3) | P_ | RW_), -XEN_EINVAL);
    conf_rc("mmu_update.flags.l4_avail_ok",
            "the software bits 9-11 and 52-62 pass in an L4 entry",
            l4_set(mt_ma(t3) | P_ | RW_ | AVAIL_ | AVAIL_HIGH_), 0);
    conf_hex("mmu_update.adjust.l4_avail_read_back",
             "an L4 entry reads back as given plus U and A",
             mt_get(mt_l4_pfn, S4) & FLAGS_MASK,
             AVAIL_HIGH_ | AVAIL_ | A_ | U_ | RW_ | P_);
    conf_rc("mmu_update.flags.l4_clear_ok", "clearing an L4 entry releases its L3",
            l4_set(0), 0);
    conf_rc("mmu_update.flags.l4_nx_ok", "NX passes in an L4 entry (the CPU has NX)",
            l4_set(mt_ma(t3) | P_ | RW_ | NX_), 0);
    conf_hex("mmu_update.adjust.l4_nx_read_back",
             "NX is stored in an L4 entry, U and A added",
             mt_get(mt_l4_pfn, S4) & FLAGS_MASK, NX_ | A_ | U_ | RW_ | P_);
    conf_rc("mmu_update.flags.l4_not_present_any_bits_ok",
            "a non-present L4 entry is stored without validation, PSE and G included",
            l4_set(junk_np()), 0);
    conf_hex("mmu_update.flags.l4_not_present_read_back",
             "a non-present L4 entry is stored exactly as given (no A added)",
             mt_get(mt_l4_pfn, S4), junk_np());
    mt_step("flags_l4_clear", l4_set(0), 0);
    mt_step("flags_t3_released_rw", mt_rw(t3), 0);
    mt_step("flags_t3_ro_again", mt_ro(t3), 0);
}

/* §2.1, §2.3 step 5: the A/D bits the CPU set survive a PRESERVE_AD. */
static void preserve_ad_l1(void)
{
    unsigned long f = mt_alloc();

    mt_step("ad_hw_map", mt_win_set(mt_ma(f) | P_ | RW_), 0);
    mt_invlpg(WIN_VA);
    mt_step("ad_hw_before_write", mt_win_pte() & (A_ | D_), 0);
    *(volatile uint64_t *)WIN_VA = 0xad;
    conf_hex("mmu_update.preserve_ad.l1_cpu_sets_ad",
             "the CPU sets A and D in the guest's own L1 entry on a write",
             mt_win_pte() & (A_ | D_), A_ | D_);
    conf_rc("mmu_update.preserve_ad.l1_to_ro_ok",
            "PRESERVE_AD may change an L1 entry from RW to RO",
            win_ad(mt_ma(f) | P_), 0);
    conf_hex("mmu_update.preserve_ad.l1_cpu_ad_kept",
             "PRESERVE_AD keeps the A/D bits the CPU set",
             win_flags(), GK_ | D_ | A_ | U_ | P_);
    conf_rc("mmu_update.preserve_ad.l1_normal_ok", "a normal update of the same entry",
            mt_win_set(mt_ma(f) | P_), 0);
    conf_hex("mmu_update.preserve_ad.l1_normal_drops_ad",
             "a normal update stores the new value: the old A/D bits are gone",
             win_flags(), GK_ | U_ | P_);
    mt_step("ad_hw_set_ad", mt_win_set(mt_ma(f) | P_ | A_ | D_), 0);
    conf_rc("mmu_update.preserve_ad.l1_clear_ok",
            "PRESERVE_AD with a zero value clears the L1 entry",
            win_ad(0), 0);
    conf_hex("mmu_update.preserve_ad.l1_clear_keeps_ad",
             "a PRESERVE_AD clear leaves the old A|D in the non-present entry",
             mt_win_pte(), A_ | D_);
    mt_win_restore();
}

/* §2.3 mod_l2/3/4_entry pass preserve_ad to the same store. */
static void preserve_ad_upper(void)
{
    conf_rc("mmu_update.preserve_ad.l2_set_ok", "an L2 entry with A and D",
            l2_set(mt_ma(t1) | P_ | RW_ | A_ | D_), 0);
    conf_rc("mmu_update.preserve_ad.l2_ok", "PRESERVE_AD on a live L2 entry",
            l2_ad(mt_ma(t1) | P_ | RW_), 0);
    conf_hex("mmu_update.preserve_ad.l2_ad_kept",
             "PRESERVE_AD keeps the old A/D bits of an L2 entry",
             mt_get(l2, S2) & FLAGS_MASK, D_ | A_ | U_ | RW_ | P_);
    conf_rc("mmu_update.preserve_ad.l2_normal_ok", "a normal update of the L2 entry",
            l2_set(mt_ma(t1) | P_ | RW_), 0);
    conf_hex("mmu_update.preserve_ad.l2_normal_drops_ad",
             "a normal update of an L2 entry drops the old A/D bits",
             mt_get(l2, S2) & FLAGS_MASK, U_ | RW_ | P_);
    mt_step("ad_l2_set_again", l2_set(mt_ma(t1) | P_ | RW_ | A_ | D_), 0);
    conf_rc("mmu_update.preserve_ad.l2_clear_ok",
            "PRESERVE_AD with a zero value clears an L2 entry",
            l2_ad(0), 0);
    conf_hex("mmu_update.preserve_ad.l2_clear_keeps_ad",
             "a PRESERVE_AD clear leaves the old A|D in the non-present L2 entry",
             mt_get(l2, S2), A_ | D_);
    mt_step("ad_l2_zero", l2_set(0), 0);
    mt_step("ad_t1_released_rw", mt_rw(t1), 0);
    mt_step("ad_t1_ro_again", mt_ro(t1), 0);

    conf_rc("mmu_update.preserve_ad.l3_set_ok", "an L3 entry with A and D",
            l3_set(mt_ma(t2) | P_ | RW_ | A_ | D_), 0);
    conf_rc("mmu_update.preserve_ad.l3_ok", "PRESERVE_AD on a live L3 entry",
            l3_ad(mt_ma(t2) | P_ | RW_), 0);
    conf_hex("mmu_update.preserve_ad.l3_ad_kept",
             "PRESERVE_AD keeps the old A/D bits of an L3 entry",
             mt_get(l3, S2) & FLAGS_MASK, D_ | A_ | U_ | RW_ | P_);
    mt_step("ad_l3_zero", l3_set(0), 0);

    conf_rc("mmu_update.preserve_ad.l4_set_ok", "an L4 entry with D",
            l4_set(mt_ma(t3) | P_ | RW_ | D_), 0);
    conf_rc("mmu_update.preserve_ad.l4_ok", "PRESERVE_AD on a live L4 entry",
            l4_ad(mt_ma(t3) | P_ | RW_), 0);
    conf_hex("mmu_update.preserve_ad.l4_d_kept",
             "PRESERVE_AD keeps the old D bit of an L4 entry (A is Xen's anyway)",
             mt_get(mt_l4_pfn, S4) & FLAGS_MASK, D_ | A_ | U_ | RW_ | P_);
    conf_rc("mmu_update.preserve_ad.l4_normal_ok", "a normal update of the L4 entry",
            l4_set(mt_ma(t3) | P_ | RW_), 0);
    conf_hex("mmu_update.preserve_ad.l4_normal_drops_d",
             "a normal update of an L4 entry drops the old D bit",
             mt_get(mt_l4_pfn, S4) & FLAGS_MASK, A_ | U_ | RW_ | P_);
    mt_step("ad_l4_zero", l4_set(0), 0);
}

/* §2.2 step 3: a frame that is no live table takes a plain store. */
static void preserve_ad_plain(void)
{
    unsigned long rw = mt_alloc(), ro = mt_alloc();

    mt_step("ad_plain_ro", mt_ro(ro), 0);
    mt_step("ad_plain_rw_first", mt_mmu1(mt_slot(rw, 4), 0x1067, SELF), 0);
    conf_rc("mmu_update.preserve_ad.plain_store_rw_ok",
            "PRESERVE_AD into a frame mapped RW is a plain store",
            mt_mmu1(mt_slot(rw, 4) | MMU_PT_UPDATE_PRESERVE_AD, 0x2000, SELF), 0);
    conf_hex("mmu_update.preserve_ad.plain_store_rw_verbatim",
             "a plain store ignores PRESERVE_AD: the old A/D bits are not ORed in",
             mt_get(rw, 4), 0x2000);
    mt_step("ad_plain_ro_first", mt_mmu1(mt_slot(ro, 4), 0x1067, SELF), 0);
    conf_rc("mmu_update.preserve_ad.plain_store_untyped_ok",
            "PRESERVE_AD into an untyped (RO-mapped) frame is a plain store",
            mt_mmu1(mt_slot(ro, 4) | MMU_PT_UPDATE_PRESERVE_AD, 0x2000, SELF), 0);
    conf_hex("mmu_update.preserve_ad.plain_store_untyped_verbatim",
             "a plain store into an untyped frame ignores PRESERVE_AD",
             mt_get(ro, 4), 0x2000);
    conf_rc("mmu_update.plain_store.no_translate_untyped_ok",
            "NO_TRANSLATE into an untyped frame is a plain store",
            mt_mmu1(mt_slot(ro, 5) | MMU_PT_UPDATE_NO_TRANSLATE, junk_np() | P_, SELF), 0);
    conf_hex("mmu_update.plain_store.no_translate_untyped_verbatim",
             "a NO_TRANSLATE plain store is stored exactly as given",
             mt_get(ro, 5), junk_np() | P_);
}

/* §2.2 step 3: no validation until the frame is used as a table. */
static void plain_untyped(void)
{
    unsigned long far = start_info->nr_pages - 2, t = mt_pt_new();
    uint64_t bad = (mt_foreign << 12) | P_, v = 0;

    conf_rc("mmu_update.plain_store.unmapped_frame_ok",
            "a frame we own but never mapped takes a plain store",
            mt_mmu1(mt_slot(far, 5), junk_np(), SELF), 0);
    mt_step("plain_far_map", mt_win_set(mt_ma(far) | P_), 0);
    mt_invlpg(WIN_VA);
    conf_hex("mmu_update.plain_store.unmapped_frame_read_back",
             "the store into an unmapped frame is there when it is mapped",
             mt_peek(WIN_VA + 5 * 8, &v) ? 0 : v, junk_np());
    mt_win_restore();
    conf_rc("mmu_update.plain_store.slot_256_of_untyped_ok",
            "slot 256 of a frame that is no L4 is an ordinary word",
            mt_mmu1(mt_slot(t, 256), bad | RW_, SELF), 0);
    mt_step("plain_slot256_zero", mt_mmu1(mt_slot(t, 256), 0, SELF), 0);

    /* A former table is untyped again once released. */
    mt_step("plain_hook_t", l2_set(mt_ma(t) | P_ | RW_), 0);
    mt_step("plain_unhook_t", l2_set(0), 0);
    conf_rc("mmu_update.plain_store.former_l1_foreign_ok",
            "a released L1 takes a plain store of an entry it could not validate",
            mt_mmu1(mt_slot(t, 7), bad, SELF), 0);
    conf_dec("mmu_update.plain_store.former_l1_read_back",
             "the unvalidated entry is stored as given",
             mt_get(t, 7) == bad, 1);
    conf_rc("mmu_update.plain_store.hook_checks_later_ebusy",
            "hooking the frame validates it then: the foreign entry is -EBUSY",
            l2_set(mt_ma(t) | P_ | RW_), -XEN_EBUSY);
    conf_hex("mmu_update.plain_store.hook_refused_entry_kept",
             "the refused hook leaves the L2 entry empty",
             mt_get(l2, S2), 0);
    conf_rc("mmu_update.plain_store.fix_after_refusal_ok",
            "after the refused hook the frame is still untyped: a plain store fixes it",
            mt_mmu1(mt_slot(t, 7), mt_ma(mt_d2) | P_, SELF), 0);
    conf_rc("mmu_update.plain_store.hook_after_fix_ok",
            "the fixed frame validates as an L1",
            l2_set(mt_ma(t) | P_ | RW_), 0);
    conf_hex("mmu_update.plain_store.fixed_entry_adjusted",
             "the entry stored plainly got U and bit 52 at validation",
             mt_get(t, 7) & FLAGS_MASK, GK_ | U_ | P_);
    conf_rc("mmu_update.plain_store.now_live_foreign_ebusy",
            "once live, the same store is validated: -EBUSY",
            mt_mmu1(mt_slot(t, 7), bad, SELF), -XEN_EBUSY);
    mt_step("plain_unhook_t_again", l2_set(0), 0);
}

const struct mmu_case mmu_flags_cases[] = {
    { "mmu_update_flags_l1_dom0_all_allowed", l1_flags },
    { "mmu_update_adjust_l1_kernel_user",     l1_adjust },
    { "mmu_update_flags_l2",                  l2_flags },
    { "mmu_update_flags_l3",                  l3_flags },
    { "mmu_update_flags_l4",                  l4_flags },
    { "mmu_update_preserve_ad_l1_cpu_bits",   preserve_ad_l1 },
    { "mmu_update_preserve_ad_l2_l3_l4",      preserve_ad_upper },
    { "mmu_update_preserve_ad_plain_store",   preserve_ad_plain },
    { "mmu_update_plain_store_untyped",       plain_untyped },
    { NULL, NULL }
};
