/*
 * attack.c - the `attack` boot mode: an unprivileged domain tries every
 * cross-domain access it can think of.  Every attempt must be refused,
 * with the error the rules give; a KTAP case per attempt.
 *
 * Victims are found the way a real attacker would: the M2P is readable by
 * every guest, so any machine frame with a valid M2P entry that is not in
 * our own P2M belongs to somebody else.  The hypervisor's own frames (its
 * image at 1 MiB, the M2P) and I/O space are tried too.
 */
#include "abi.h"
#include "console.h"
#include "kernel.h"
#include "ktap.h"
#include "lib.h"
#include "mm.h"
#include "guest-hypercall.h"

#define P 0x1UL
#define RW 0x2UL

static unsigned long victim;          /* a frame of another domain */
static unsigned long spare_va;        /* one of our pages, to remap */
static uint64_t spare_pte;            /* and its own entry, to restore */

static void find_victim(void)
{
    long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    uint64_t pfn;

    for (unsigned long m = 0x200; (long)m < max; m++)
        if (!m2p_read(m, &pfn) && pfn < (1UL << 36) && !mfn_is_ours(m)) {
            victim = m;
            return;
        }
}

static void attempt(const char *name, long rc, long want)
{
    ktap_case(name, expect_rc(name, rc, want));
}

static long uva(uint64_t pte)
{
    return HYPERVISOR_update_va_mapping(spare_va, pte, UVMF_INVLPG);
}

static long mmu1(uint64_t ptr, uint64_t val, unsigned int fd)
{
    struct mmu_update u = { .ptr = ptr, .val = val };

    return HYPERVISOR_mmu_update(&u, 1, NULL, fd);
}

static long ext(unsigned int cmd, unsigned long mfn, unsigned long arg2, unsigned int fd)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

    op.arg2.src_mfn = arg2;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, fd);
}

/* The machine frame of the read-only M2P, read through our own L4. */
static unsigned long m2p_frame(void)
{
    const uint64_t *l4 = (const uint64_t *)start_info->pt_base;
    uint64_t e = l4[256];

    return (e & 1) ? (e & PTE_ADDR_MASK) >> 12 : 0x101;
}

int attack_main(void)
{
    unsigned long own_pfn = virt_to_pfn((void *)start_info->pt_base) +
                            start_info->nr_pt_frames + 1;
    xen_ulong_t frames[1];
    domid_t dom0 = 0;
    struct sched_remote_shutdown rs = { .domain_id = 0, .reason = SHUTDOWN_crash };
    struct evtchn_status st = { .dom = 0, .port = 1 };

    ktap_begin(25);
    find_victim();
    spare_va = VIRT_BASE + own_pfn * 4096;
    spare_pte = *l1e_of(spare_va);
    printk("# attack: victim mfn %#lx (not ours), our spare page va %#lx\n", victim,
           spare_va);
    ktap_case("victim_found", victim ? NULL : ktap_reason("no foreign frame in the M2P"));

    attempt("map_victim_rw", uva((victim << 12) | P | RW), -XEN_EBUSY);
    attempt("map_victim_ro", uva((victim << 12) | P), -XEN_EBUSY);
    attempt("mmu_update_l1_victim_rw", mmu1(l1e_machine(spare_va), (victim << 12) | P | RW,
                                            DOMID_SELF), -XEN_EBUSY);
    attempt("write_into_victim_frame", mmu1(victim << 12, 0x1234, DOMID_SELF), -XEN_EINVAL);
    attempt("pin_l1_victim", ext(MMUEXT_PIN_L1_TABLE, victim, 0, DOMID_SELF), -XEN_EINVAL);
    attempt("pin_l4_victim", ext(MMUEXT_PIN_L4_TABLE, victim, 0, DOMID_SELF), -XEN_EINVAL);
    attempt("new_baseptr_victim", ext(MMUEXT_NEW_BASEPTR, victim, 0, DOMID_SELF), -XEN_EINVAL);
    attempt("clear_victim_page", ext(MMUEXT_CLEAR_PAGE, victim, 0, DOMID_SELF), -XEN_EINVAL);
    attempt("copy_from_victim", ext(MMUEXT_COPY_PAGE, pfn_to_mfn(own_pfn), victim,
                                    DOMID_SELF), -XEN_EINVAL);
    attempt("machphys_victim", mmu1((victim << 12) | MMU_MACHPHYS_UPDATE, 0, DOMID_SELF),
            -XEN_EINVAL);
    frames[0] = victim;
    attempt("set_gdt_victim", HYPERVISOR_set_gdt(frames, 1), -XEN_EINVAL);
    attempt("update_descriptor_victim", HYPERVISOR_update_descriptor(victim << 12, 0),
            -XEN_EINVAL);

    /* Naming another domain is a privilege we do not have. */
    attempt("mmu_update_foreigndom_dom0", mmu1(l1e_machine(spare_va), spare_pte, 0),
            -XEN_EPERM);
    attempt("mmu_update_pt_owner_dom0", mmu1(l1e_machine(spare_va), spare_pte,
                                             (1U << 16) | DOMID_SELF), -XEN_EPERM);
    attempt("mmuext_foreigndom_dom0", ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, 0), -XEN_EPERM);
    attempt("uva_otherdomain_dom0", HYPERVISOR_update_va_mapping_otherdomain(
                spare_va, spare_pte, UVMF_INVLPG, 0), -XEN_EPERM);
    attempt("reservation_of_dom0", HYPERVISOR_memory_op(XENMEM_current_reservation, &dom0),
            -XEN_EPERM);
    attempt("remote_shutdown_dom0", HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs),
            -XEN_EPERM);
    attempt("evtchn_status_dom0", HYPERVISOR_event_channel_op(EVTCHNOP_status, &st),
            -XEN_EPERM);

    /* The hypervisor's own memory and I/O space. */
    attempt("map_hypervisor_image", uva((0x100UL << 12) | P), -XEN_EBUSY);
    attempt("map_m2p_frame_rw", uva((m2p_frame() << 12) | P | RW), -XEN_EBUSY);
    attempt("map_vga_io", uva((0xb8UL << 12) | P | RW), -XEN_EPERM);
    attempt("l4_xen_slot_write", mmu1(virt_to_machine((void *)start_info->pt_base) + 256 * 8,
                                      0, DOMID_SELF), -XEN_EINVAL);

    /* Nothing changed on our side either. */
    ktap_case("own_mapping_intact", *l1e_of(spare_va) == spare_pte ? NULL
              : ktap_reason("our entry changed to %#lx", (unsigned long)*l1e_of(spare_va)));
    return ktap_end() ? 1 : 0;
}
