/*
 * shared_info.c - mapping the page the hypervisor shares with us.
 *
 * shared_info is one page that belongs to the hypervisor but is shared
 * with this domain: per-vCPU state (vcpu_info: the event mask and pending
 * flags, the virtual CR2, time), event-channel bitmaps, wallclock time.
 * start_info->shared_info gives its MACHINE address; nothing maps it for
 * us.  A PV guest maps a frame by asking the hypervisor to write the page-
 * table entry: update_va_mapping(va, machine address | flags, flush).
 * We sacrifice a page-aligned page of our own image for the virtual
 * address (the RAM frame behind it simply stops being mapped).
 */
#include "kernel.h"
#include "guest-hypercall.h"
#include "x86-pte.h"

shared_info_t *HYPERVISOR_shared_info;

void map_shared_info(void)
{
    unsigned long va = (unsigned long)shared_info_page;
    uint64_t pte = start_info->shared_info | _PAGE_PRESENT | _PAGE_RW |
                   _PAGE_ACCESSED;
    long rc;

    rc = HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG);
    if (rc)
        panic("update_va_mapping(shared_info %lx) failed: %ld",
              (unsigned long)start_info->shared_info, rc);
    HYPERVISOR_shared_info = (shared_info_t *)va;
}

/* Our vcpu_info (we only ever run on vCPU 0). */
vcpu_info_t *this_vcpu(void)
{
    return &HYPERVISOR_shared_info->vcpu_info[0];
}
