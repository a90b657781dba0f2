/*
 * trace.c - mmu_trace=1: one line per page-table update, showing the
 * composition the MMU will walk:
 *
 *   d0 L1[0x1a3] of gfn 0x2c1 (mfn 0x8812): va 0x7f0000000000 -> gfn 0x300 -> mfn 0x9a07 RW,U  OK
 *
 * "gfn" is the number the guest used (a machine frame in Xen mode, its own
 * pseudo-physical frame in translate mode); "mfn" is what the hypervisor
 * installed.  Off by default; when off it costs one test of a flag.
 */
#include "console.h"
#include "domain.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "pt.h"

bool mmu_trace_enabled;

static const char *errname(int rc)
{
    switch ( rc )
    {
    case 0: return "OK";
    case -XEN_EINVAL: return "-EINVAL";
    case -XEN_EBUSY: return "-EBUSY";
    case -XEN_EPERM: return "-EPERM";
    case -XEN_EACCES: return "-EACCES";
    case -XEN_ERESTART: return "preempted";
    default: return "refused";
    }
}

void mmu_trace(const struct domain *d, unsigned int level, mfn_t table, unsigned int slot,
               unsigned long va, intpte_t guest_e, intpte_t installed, int rc)
{
    unsigned long table_gfn = d->translated ? get_gpfn_from_mfn(table) : mfn_x(table);
    char vabuf[32] = "va ?";

    if ( !mmu_trace_enabled )
        return;
    if ( va != ~0UL )
        snprintf(vabuf, sizeof(vabuf), "va %#lx", va);
    if ( !(guest_e & _PAGE_PRESENT) )
    {
        printk("d%u L%u[%#x] of gfn %#lx (mfn %#lx): %s -> not present  %s\n",
               d->domain_id, level, slot, table_gfn, mfn_x(table), vabuf, errname(rc));
        return;
    }
    printk("d%u L%u[%#x] of gfn %#lx (mfn %#lx): %s -> gfn %#lx -> mfn %#lx %s%s%s%s  %s\n",
           d->domain_id, level, slot, table_gfn, mfn_x(table), vabuf,
           mfn_x(pte_mfn(guest_e)), rc ? mfn_x(pte_mfn(guest_e)) : mfn_x(pte_mfn(installed)),
           (guest_e & _PAGE_RW) ? "RW" : "RO", (guest_e & _PAGE_USER) ? ",U" : "",
           (installed & _PAGE_GUEST_KERNEL) && !rc ? ",K" : "",
           (installed & _PAGE_GLOBAL) && !rc ? ",G" : "", errname(rc));
}
