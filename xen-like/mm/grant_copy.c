/*
 * grant_copy.c - GNTTABOP_copy: the hypervisor copies bytes between two
 * frames, each named by a grant reference of another domain
 * (GNTCOPY_source_gref / GNTCOPY_dest_gref) or by a frame of the caller's
 * own (DOMID_SELF only).  No mapping is made, so nothing outlives the op:
 * each side holds a general reference (and the destination a writable
 * type reference, so a page table is never written) just for the copy.
 *
 * Status codes, in Xen's order: a frame named by number for another
 * domain: GNTST_permission_denied (after the lookup); no such domain:
 * GNTST_bad_domain; ref
 * out of range: GNTST_bad_gntref; entry not granting access to the caller,
 * or read-only for a destination, or a destination that cannot be
 * writable: GNTST_general_error; frame not the owner's: GNTST_bad_page;
 * then offset + len beyond the page: GNTST_bad_copy_arg; outside a v2
 * sub-page grant's bytes: GNTST_general_error (Xen's acquire_grant_for_copy
 * and gnttab_copy_buf).
 */
#include "console.h"
#include "domain.h"
#include "grant_table.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "pt.h"

struct copy_buf {
    struct page_info *pg;
    bool have_type;
    unsigned int off, len;      /* the bytes the grant covers (v2 sub-page) */
};

static int16_t claim(const struct gnttab_copy_ptr *ptr, bool is_gref, bool readonly,
                     struct copy_buf *buf)
{
    struct domain *ld = current->domain, *d;
    mfn_t m;

    /* The domain is looked up first, as Xen does: a frame number naming
     * a domain that does not exist is bad_domain, not permission_denied. */
    d = ptr->domid == DOMID_SELF ? ld : get_domain_by_id(ptr->domid);
    if ( !d || d->state == DOMAIN_DEAD )
    {
        gprintk(ld, XENLOG_G_WARNING "grant copy: no domain %u -> GNTST_bad_domain\n",
                ptr->domid);
        return GNTST_bad_domain;
    }
    if ( !is_gref && ptr->domid != DOMID_SELF )
    {
        gprintk(ld, XENLOG_G_WARNING "grant copy: a frame number for d%u (only "
                "DOMID_SELF) -> GNTST_permission_denied\n", ptr->domid);
        return GNTST_permission_denied;
    }
    if ( is_gref )
    {
        const struct grant_table *gt = &d->grant_table;
        struct grant_view sha;
        const struct active_grant_entry *act;
        bool pinned;

        if ( ptr->u.ref >= nr_grant_entries(gt) )
        {
            gprintk(ld, XENLOG_G_WARNING "grant copy: bad ref %#x for d%u "
                    "-> GNTST_bad_gntref\n", ptr->u.ref, d->domain_id);
            return GNTST_bad_gntref;
        }
        act = active_entry(gt, ptr->u.ref);
        pinned = act && (act->hstr || act->hstw);
        /* v2: a sub-page grant may be copied within its bytes; a
         * transitive one is not followed (docs/divergences.md). */
        if ( !gnttab_read_entry(gt, ptr->u.ref, &sha) ||
             (pinned ? act->domid != ld->domain_id
                     : ((sha.flags & GTF_type_mask) != GTF_permit_access ||
                        sha.domid != ld->domain_id)) ||
             (!readonly && (sha.flags & GTF_readonly)) )
        {
            gprintk(ld, XENLOG_G_WARNING "grant copy: d%u ref %#x does not grant %s access "
                    "to d%u -> GNTST_general_error\n", d->domain_id, ptr->u.ref,
                    readonly ? "read" : "write", ld->domain_id);
            return GNTST_general_error;
        }
        if ( !pinned )
        {
            buf->off = sha.page_off;
            buf->len = sha.length;
        }
        m = pinned ? _mfn(act->mfn)
                   : sha.frame >> 32 ? INVALID_MFN : gfn_to_mfn(d, _gfn((unsigned long)sha.frame));
    }
    else
        m = gfn_to_mfn(ld, _gfn(ptr->u.gmfn));
    if ( !mfn_is_ram(m) || !get_page(buf->pg = mfn_to_page(m), d) )
    {
        gprintk(ld, XENLOG_G_WARNING "grant copy: frame %#lx is not a page of d%u "
                "-> GNTST_bad_page\n", mfn_x(m), d->domain_id);
        buf->pg = NULL;
        return GNTST_bad_page;
    }
    if ( !readonly )
    {
        if ( !get_page_type(buf->pg, PGT_writable_page) )
        {
            gprintk(ld, XENLOG_G_WARNING "grant copy: mfn %#lx is a %s page, not "
                    "writable -> GNTST_general_error\n", mfn_x(m),
                    page_type_name(buf->pg->type_info));
            put_page(buf->pg);
            buf->pg = NULL;
            return GNTST_general_error;
        }
        buf->have_type = true;
    }
    return GNTST_okay;
}

static void release(struct copy_buf *buf)
{
    if ( !buf->pg )
        return;
    if ( buf->have_type )
        put_page_type(buf->pg);
    put_page(buf->pg);
}

void gnttab_copy_one(struct gnttab_copy *op)
{
    struct copy_buf src = { .len = PAGE_SIZE }, dst = { .len = PAGE_SIZE };
    int16_t rc;

    rc = claim(&op->source, op->flags & GNTCOPY_source_gref, true, &src);
    if ( rc == GNTST_okay )
        rc = claim(&op->dest, op->flags & GNTCOPY_dest_gref, false, &dst);
    if ( rc == GNTST_okay &&
         ((unsigned int)op->source.offset + op->len > PAGE_SIZE ||
          (unsigned int)op->dest.offset + op->len > PAGE_SIZE) )
    {
        gprintk(current->domain, XENLOG_G_WARNING "grant copy: %u bytes at %u -> %u cross "
                "a page -> GNTST_bad_copy_arg\n", op->len, op->source.offset,
                op->dest.offset);
        rc = GNTST_bad_copy_arg;
    }
    if ( rc == GNTST_okay &&
         (op->source.offset < src.off || op->source.offset + op->len > src.off + src.len ||
          op->dest.offset < dst.off || op->dest.offset + op->len > dst.off + dst.len) )
    {
        gprintk(current->domain, XENLOG_G_WARNING "grant copy: %u bytes at %u -> %u leave "
                "the sub-page grant -> GNTST_general_error\n", op->len, op->source.offset,
                op->dest.offset);
        rc = GNTST_general_error;
    }
    if ( rc == GNTST_okay )
        memmove((char *)mfn_to_virt(page_to_mfn(dst.pg)) + op->dest.offset,
                (const char *)mfn_to_virt(page_to_mfn(src.pg)) + op->source.offset, op->len);
    release(&dst);
    release(&src);
    op->status = rc;
}
