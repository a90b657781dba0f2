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

/* One attempt = one KTAP case (the scenario) judged by one conformance case. */
static void attempt(const char *name, const char *reason)
{
    ktap_case(name, reason);
    conf_take();
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

    attempt("map_victim_rw",
            conf_rc("update_va_mapping.foreign.map_other_domains_frame_rw_is_ebusy",
                    "an unprivileged domain may not map another domain's frame writable",
                    uva((victim << 12) | P | RW), -XEN_EBUSY));
    attempt("map_victim_ro",
            conf_rc("update_va_mapping.foreign.map_other_domains_frame_ro_is_ebusy",
                    "an unprivileged domain may not map another domain's frame even read-only",
                    uva((victim << 12) | P), -XEN_EBUSY));
    attempt("mmu_update_l1_victim_rw",
            conf_rc("mmu_update.foreign.l1_entry_to_other_domains_frame_is_ebusy",
                    "an L1 entry written by mmu_update may not name another domain's frame",
                    mmu1(l1e_machine(spare_va), (victim << 12) | P | RW,
                                            DOMID_SELF), -XEN_EBUSY));
    attempt("write_into_victim_frame",
            conf_rc("mmu_update.foreign.store_into_other_domains_frame_is_einval",
                    "mmu_update may store only into frames the caller (or the named owner) owns",
                    mmu1(victim << 12, 0x1234, DOMID_SELF), -XEN_EINVAL));
    attempt("pin_l1_victim",
            conf_rc("mmuext_op.foreign.pin_l1_of_other_domains_frame_is_einval",
                    "a domain may pin only its own frames as page tables (L1)",
                    ext(MMUEXT_PIN_L1_TABLE, victim, 0, DOMID_SELF), -XEN_EINVAL));
    attempt("pin_l4_victim",
            conf_rc("mmuext_op.foreign.pin_l4_of_other_domains_frame_is_einval",
                    "a domain may pin only its own frames as page tables (L4)",
                    ext(MMUEXT_PIN_L4_TABLE, victim, 0, DOMID_SELF), -XEN_EINVAL));
    attempt("new_baseptr_victim",
            conf_rc("mmuext_op.foreign.new_baseptr_other_domains_frame_is_einval",
                    "a base pointer must be a frame of the caller",
                    ext(MMUEXT_NEW_BASEPTR, victim, 0, DOMID_SELF), -XEN_EINVAL));
    attempt("clear_victim_page",
            conf_rc("mmuext_op.foreign.clear_page_of_other_domains_frame_is_einval",
                    "CLEAR_PAGE works only on the caller's own writable pages",
                    ext(MMUEXT_CLEAR_PAGE, victim, 0, DOMID_SELF), -XEN_EINVAL));
    attempt("copy_from_victim",
            conf_rc("mmuext_op.foreign.copy_page_from_other_domains_frame_is_einval",
                    "COPY_PAGE may read only from the caller's own pages",
                    ext(MMUEXT_COPY_PAGE, pfn_to_mfn(own_pfn), victim,
                                    DOMID_SELF), -XEN_EINVAL));
    attempt("machphys_victim",
            conf_rc("mmu_update.foreign.machphys_of_other_domains_frame_is_einval",
                    "MMU_MACHPHYS_UPDATE may set the M2P entry only of the caller's own frames",
                    mmu1((victim << 12) | MMU_MACHPHYS_UPDATE, 0, DOMID_SELF),
            -XEN_EINVAL));
    frames[0] = victim;
    attempt("set_gdt_victim",
            conf_rc("set_gdt.foreign.other_domains_frame_is_einval",
                    "set_gdt frames must belong to the caller",
                    HYPERVISOR_set_gdt(frames, 1), -XEN_EINVAL));
    attempt("update_descriptor_victim",
            conf_rc("update_descriptor.foreign.other_domains_frame_is_einval",
                    "update_descriptor may write only into the caller's own frames",
                    HYPERVISOR_update_descriptor(victim << 12, 0),
            -XEN_EINVAL));

    /* Naming another domain is a privilege we do not have. */
    attempt("mmu_update_foreigndom_dom0",
            conf_rc("mmu_update.privilege.foreigndom_dom0_unprivileged_is_eperm",
                    "naming another domain's frames (foreigndom) needs privilege over it",
                    mmu1(l1e_machine(spare_va), spare_pte, 0),
            -XEN_EPERM));
    attempt("mmu_update_pt_owner_dom0",
            conf_rc("mmu_update.privilege.pt_owner_dom0_unprivileged_is_eperm",
                    "naming another page-table owner (foreigndom bits 16-31) needs privilege over it",
                    mmu1(l1e_machine(spare_va), spare_pte,
                                             (1U << 16) | DOMID_SELF), -XEN_EPERM));
    attempt("mmuext_foreigndom_dom0",
            conf_rc("mmuext_op.privilege.foreigndom_dom0_unprivileged_is_eperm",
                    "mmuext_op with another domain as foreigndom needs privilege over it",
                    ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, 0), -XEN_EPERM));
    attempt("uva_otherdomain_dom0",
            conf_rc("update_va_mapping_otherdomain.privilege.unprivileged_is_eperm",
                    "update_va_mapping_otherdomain needs privilege over the named domain",
                    HYPERVISOR_update_va_mapping_otherdomain(
                spare_va, spare_pte, UVMF_INVLPG, 0), -XEN_EPERM));
    attempt("reservation_of_dom0",
            conf_rc("memory_op.privilege.reservation_of_other_domain_is_eperm",
                    "an unprivileged domain may not read another domain's reservation",
                    HYPERVISOR_memory_op(XENMEM_current_reservation, &dom0),
            -XEN_EPERM));
    attempt("remote_shutdown_dom0",
            conf_rc("sched_op.privilege.remote_shutdown_unprivileged_is_eperm",
                    "only a privileged domain may shut another domain down",
                    HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs),
            -XEN_EPERM));
    attempt("evtchn_status_dom0",
            conf_rc("event_channel_op.privilege.status_of_other_domains_port_is_eperm",
                    "an unprivileged domain may not query another domain's event channels",
                    HYPERVISOR_event_channel_op(EVTCHNOP_status, &st),
            -XEN_EPERM));

    /* The hypervisor's own memory and I/O space. */
    attempt("map_hypervisor_image",
            conf_rc("update_va_mapping.foreign.map_hypervisor_image_frame_is_ebusy",
                    "frames of the hypervisor's own image are nobody's to map",
                    uva((0x100UL << 12) | P), -XEN_EBUSY));
    attempt("map_m2p_frame_rw",
            conf_rc("update_va_mapping.foreign.map_m2p_frame_rw_is_ebusy",
                    "the M2P's frames may not be mapped writable by a guest",
                    uva((m2p_frame() << 12) | P | RW), -XEN_EBUSY));
    attempt("map_vga_io",
            conf_rc("update_va_mapping.iomem.map_vga_without_io_rights_is_eperm",
                    "an I/O frame needs I/O rights (an unprivileged domain has none)",
                    uva((0xb8UL << 12) | P | RW), -XEN_EPERM));
    attempt("l4_xen_slot_write",
            conf_rc("mmu_update.l4.write_into_xen_slot_256_is_einval",
                    "the hypervisor's L4 slots (256-271) of a live L4 are not the guest's to write",
                    mmu1(virt_to_machine((void *)start_info->pt_base) + 256 * 8,
                                      0, DOMID_SELF), -XEN_EINVAL));

    /* Nothing changed on our side either. */
    ktap_case("own_mapping_intact", *l1e_of(spare_va) == spare_pte ? NULL
              : ktap_reason("our entry changed to %#lx", (unsigned long)*l1e_of(spare_va)));
    return ktap_end() ? 1 : 0;
}
