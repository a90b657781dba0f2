/*
 * mmu_update.c - mmu_update(reqs, count, pdone, foreigndom): a batch of
 * checked page-table writes.
 *
 * Each request is {ptr, val}: ptr is the machine address of an 8-byte
 * entry, its low three bits the command.  Where the entry lives decides
 * what happens:
 *   - in a live (validated) L1..L4 table: the new entry is validated and
 *     installed (pt_update.c);
 *   - in a page that is not a live table: a plain store, checked later
 *     when the page becomes a table (Linux relies on this);
 *   - in a descriptor page, or a table being validated: refused.
 * foreigndom bits 0-15 name the owner of frames that L1 entries map
 * (DOMID_SELF, another domain for a privileged caller, or DOMID_IO);
 * bits 16-31, if non-zero, name (plus one) the owner of the tables edited.
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"
#include "pt.h"

#define MMU_UPDATE_PREEMPTED 0x80000000u

static int one_update(struct domain *cur, struct domain *pt_owner, struct domain *pg_owner,
                      const struct mmu_update *req, bool *flush)
{
    unsigned int cmd = req->ptr & 7;
    bool translate = cmd != MMU_PT_UPDATE_NO_TRANSLATE;
    mfn_t mfn = maddr_to_mfn(req->ptr);
    struct page_info *pg;
    intpte_t val = req->val;
    intpte_t *p;
    unsigned int level;
    int rc = -XEN_EINVAL;

    switch ( cmd )
    {
    case MMU_NORMAL_PT_UPDATE:
    case MMU_PT_UPDATE_PRESERVE_AD:
    case MMU_PT_UPDATE_NO_TRANSLATE:
        mfn = gfn_to_mfn(pt_owner, _gfn(mfn_x(mfn)));    /* translate mode: ptr */
        pg = mfn_to_page(mfn);
        if ( !mfn_is_ram(mfn) || !get_page(pg, pt_owner) )
        {
            gprintk(cur, XENLOG_G_WARNING "mmu_update: ptr %#lx: mfn %#lx is not a page "
                    "of d%u -> -EINVAL\n", (unsigned long)req->ptr, mfn_x(mfn),
                    pt_owner->domain_id);
            return -XEN_EINVAL;
        }
        p = (intpte_t *)((char *)mfn_to_virt(mfn) + (req->ptr & (PAGE_SIZE - 8)));
        level = pt_type_level(pg->type_info);
        if ( (pg->type_info & PGT_count_mask) && (pg->type_info & PGT_validated) )
        {
            if ( level == 1 )
                rc = mod_l1_entry(p, val, mfn, pt_owner, pg_owner,
                                  cmd == MMU_PT_UPDATE_PRESERVE_AD, translate);
            else if ( level && pg_owner != pt_owner )
                gprintk(cur, XENLOG_G_WARNING "mmu_update: L%u of d%u edited with "
                        "foreign frame owner d%u -> -EINVAL\n", level,
                        pt_owner->domain_id, pg_owner->domain_id);
            else if ( level )
            {
                rc = mod_lN_entry(level, p, val, mfn, pt_owner,
                                  cmd == MMU_PT_UPDATE_PRESERVE_AD, translate);
                *flush |= rc == 0;
            }
            else if ( (pg->type_info & PGT_type_mask) == PGT_writable_page )
            {
                /* A data page: plain store (translated in translate mode,
                 * since it may become a table later). */
                if ( !(rc = translate ? translate_pte(pg_owner, &val) : 0) )
                    *p = val;
            }
            else
                gprintk(cur, XENLOG_G_WARNING "mmu_update: ptr %#lx is in a %s page -> "
                        "-EINVAL\n", (unsigned long)req->ptr, page_type_name(pg->type_info));
        }
        else if ( get_page_type(pg, PGT_writable_page) )
        {
            /* Not a live table: stored now, checked when it becomes one. */
            if ( !(rc = translate ? translate_pte(pg_owner, &val) : 0) )
                *p = val;
            put_page_type(pg);
        }
        else
            gprintk(cur, XENLOG_G_WARNING "mmu_update: ptr %#lx: mfn %#lx is a %s table "
                    "being validated or torn down -> -EINVAL\n", (unsigned long)req->ptr,
                    mfn_x(mfn), page_type_name(pg->type_info));
        put_page(pg);
        return rc;

    case MMU_MACHPHYS_UPDATE:
        pg = mfn_to_page(mfn);
        if ( pt_owner != cur )
            return -XEN_EPERM;
        if ( pg_owner->translated )
            return -XEN_EINVAL;
        /*
         * DOMID_IO owns the first MiB and every non-RAM frame below
         * max_page (as Xen's arch_init_memory() shares them with dom_io),
         * so naming it lets a caller set those frames' M2P entries too.
         */
        if ( pg_owner->domain_id == DOMID_IO && mfn_valid(mfn) &&
             (!mfn_is_ram(mfn) || pg->owner == DOMID_IO) )
        {
            set_gpfn_from_mfn(mfn, req->val);
            return 0;
        }
        if ( !mfn_is_ram(mfn) || !get_page(pg, pg_owner) )
        {
            gprintk(cur, XENLOG_G_WARNING "machphys_update: mfn %#lx is not a page of "
                    "d%u -> -EINVAL\n", mfn_x(mfn), pg_owner->domain_id);
            return -XEN_EINVAL;
        }
        set_gpfn_from_mfn(mfn, req->val);
        put_page(pg);
        return 0;

    default:
        gprintk(cur, XENLOG_G_WARNING "mmu_update: command %u -> -ENOSYS\n", cmd);
        return -XEN_ENOSYS;
    }
}

long do_mmu_update(unsigned long ureqs, unsigned long count_arg, unsigned long pdone,
                   unsigned long foreigndom)
{
    struct vcpu *v = current;
    struct domain *cur = v->domain, *pt_owner = cur, *pg_owner;
    unsigned int count = (unsigned int)count_arg, done = 0, i, pt_dom;
    struct mmu_update req;
    bool flush = false;
    int rc;

    if ( (rc = put_old_guest_table(v)) )
        return rc == -XEN_ERESTART
               ? hypercall_create_continuation(__HYPERVISOR_mmu_update, 4, ureqs,
                                               count_arg, pdone, foreigndom, 0)
               : rc;
    if ( count == MMU_UPDATE_PREEMPTED && ureqs == 0 )
        return (long)(int)foreigndom;          /* the final rc, passed along */
    if ( count & MMU_UPDATE_PREEMPTED )
    {
        count &= ~MMU_UPDATE_PREEMPTED;
        if ( pdone && copy_from_guest(&done, pdone, sizeof(done)) )
            done = 0;
    }

    /* The whole array must be guest address space (not its mapping). */
    if ( !guest_range_ok(ureqs, (size_t)count * sizeof(req)) )
        return -XEN_EFAULT;
    if ( (pt_dom = (unsigned int)(foreigndom >> 16) & 0xffff) != 0 )
    {
        if ( !(pt_owner = get_domain_by_id((domid_t)(pt_dom - 1))) )
            return -XEN_ESRCH;
        if ( pt_owner != cur && (pt_owner->max_vcpus == 0 || !pt_owner->vcpu[0]) )
        {
            rc = -XEN_EINVAL;
            i = 0;
            goto out;
        }
    }
    i = 0;
    if ( !(pg_owner = get_pg_owner((domid_t)foreigndom, &rc)) )
        goto out;                               /* pdone is still written */
    if ( ((pg_owner->domain_id != DOMID_IO && pg_owner != cur) || pt_owner != cur) &&
         !cur->is_privileged )
    {
        rc = -XEN_EPERM;
        goto out;
    }

    rc = 0;
    for ( i = 0; i < count; i++ )
    {
        if ( !mfn_eq(v->old_guest_table, INVALID_MFN) || (i && hypercall_preempt_check()) )
        {
            rc = -XEN_ERESTART;
            break;
        }
        if ( copy_from_guest(&req, ureqs + i * sizeof(req), sizeof(req)) )
        {
            rc = -XEN_EFAULT;
            break;
        }
        if ( (rc = one_update(cur, pt_owner, pg_owner, &req, &flush)) )
            break;
    }

    /* L2-L4 changes: the hypervisor's own view must not be stale (XSA-286). */
    if ( flush )
        arch_flush_tlb_domain(pt_owner);
 out:
    done += i;
    if ( pdone )
        (void)copy_to_guest(pdone, &done, sizeof(done));   /* as Xen: unchecked */
    if ( rc == -XEN_ERESTART )
        return hypercall_create_continuation(__HYPERVISOR_mmu_update, 4,
                                             ureqs + i * sizeof(req),
                                             (count - i) | MMU_UPDATE_PREEMPTED,
                                             pdone, foreigndom, 0);
    if ( !mfn_eq(v->old_guest_table, INVALID_MFN) )
        return hypercall_create_continuation(__HYPERVISOR_mmu_update, 4, 0,
                                             MMU_UPDATE_PREEMPTED, 0,
                                             (unsigned long)(long)rc, 0);
    return rc;
}
