/*
 * seg_desc.c - which segment descriptors a guest may own.
 *
 * Part of the PV-MMU core (no hardware access): a frame becomes a GDT/LDT
 * ("seg_desc") page only if every descriptor in it passes this check, and
 * update_descriptor checks each new one.
 */
#include "desc.h"

/*
 * A guest-owned descriptor must not grant more than ring 3, where both guest
 * kernel and guest user run.  As Xen's check_descriptor() does, a code or
 * data segment with a lower DPL is not refused but fixed up to DPL 3 in
 * place; not-present entries are left alone; system descriptors (TSS, LDT,
 * gates) are refused (Xen also accepts call gates, for 32-bit guests,
 * which xen-like does not run).
 */
bool check_descriptor(uint64_t *desc)
{
    uint64_t d = *desc;

    if ( !(d & (1UL << 47)) )
        return true;                               /* not present */
    if ( !(d & (1UL << 44)) )
        return false;                              /* system descriptor */
    if ( ((d >> 45) & 3) != 3 )
        *desc = d | (3UL << 45);                   /* DPL -> 3 */
    return true;
}
