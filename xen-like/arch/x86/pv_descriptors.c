/*
 * pv_descriptors.c - set_gdt and update_descriptor.
 *
 * A PV guest cannot load its own GDT (lgdt is privileged), so it hands the
 * hypervisor a list of frames.  Each frame becomes a "segment descriptor"
 * page: every descriptor in it is checked, and from then on it can only be
 * changed through update_descriptor, which checks again.  A frame that is
 * still mapped writable cannot become a descriptor page (its type count is
 * held by the writable mapping), so a guest must map its GDT read-only
 * first, exactly as on Xen.
 */
#include "console.h"
#include "desc.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "mm.h"
#include "mmu.h"

static void put_gdt_frames(struct vcpu *v)
{
    for ( unsigned int i = 0; i < GUEST_GDT_FRAMES; i++ )
    {
        if ( mfn_eq(v->gdt_frames[i], INVALID_MFN) )
            continue;
        put_page_type(mfn_to_page(v->gdt_frames[i]));
        put_page(mfn_to_page(v->gdt_frames[i]));
        v->gdt_frames[i] = INVALID_MFN;
        perdomain_map_gdt_frame(v->domain, v->vcpu_id, i, INVALID_MFN);
    }
    v->gdt_ents = 0;
}

long do_set_gdt(unsigned long frame_list, unsigned long entries)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    unsigned long frames[GUEST_GDT_FRAMES];
    unsigned int nr, i;

    if ( entries > FIRST_RESERVED_GDT_ENTRY )
        return -XEN_EINVAL;
    nr = (unsigned int)((entries + 511) / 512);
    if ( copy_from_guest(frames, frame_list, nr * sizeof(frames[0])) )
        return -XEN_EFAULT;

    for ( i = 0; i < nr; i++ )
    {
        mfn_t mfn = gfn_to_mfn(d, _gfn(frames[i]));
        struct page_info *pg = mfn_to_page(mfn);

        frames[i] = mfn_x(mfn);                 /* translate mode: now an mfn */

        if ( !mfn_is_ram(mfn) || !get_page(pg, d) )
            break;
        if ( !get_page_type(pg, PGT_seg_desc_page) )
        {
            put_page(pg);
            break;
        }
    }
    if ( i < nr )
    {
        gprintk(d, XENLOG_G_WARNING "set_gdt: frame %u (mfn %#lx) is not an owned, "
                "read-only page of valid descriptors\n", i, frames[i]);
        while ( i-- )
        {
            put_page_type(mfn_to_page(_mfn(frames[i])));
            put_page(mfn_to_page(_mfn(frames[i])));
        }
        return -XEN_EINVAL;
    }

    put_gdt_frames(v);
    for ( i = 0; i < nr; i++ )
    {
        v->gdt_frames[i] = _mfn(frames[i]);
        perdomain_map_gdt_frame(d, v->vcpu_id, i, v->gdt_frames[i]);
    }
    v->gdt_ents = (unsigned int)entries;
    return 0;
}

long do_update_descriptor(unsigned long maddr, unsigned long desc)
{
    struct domain *d = current->domain;
    mfn_t mfn = gfn_to_mfn(d, _gfn(maddr >> PAGE_SHIFT));
    struct page_info *pg = mfn_to_page(mfn);
    uint64_t newd = desc;
    unsigned long type;

    if ( (maddr & 7) || !check_descriptor(&newd) )
    {
        gprintk(d, XENLOG_G_WARNING "update_descriptor: %#lx at %#lx is misaligned "
                "or not a safe descriptor\n", desc, maddr);
        return -XEN_EINVAL;
    }
    if ( !mfn_is_ram(mfn) || !get_page(pg, d) )
        return -XEN_EINVAL;
    type = (pg->type_info & PGT_type_mask) == PGT_seg_desc_page &&
           (pg->type_info & PGT_count_mask) ? PGT_seg_desc_page : PGT_writable_page;
    if ( !get_page_type(pg, type) )
    {
        put_page(pg);
        return -XEN_EINVAL;
    }
    *(uint64_t *)((char *)mfn_to_virt(mfn) + (maddr & (PAGE_SIZE - 1))) = newd;
    put_page_type(pg);
    put_page(pg);
    return 0;
}
