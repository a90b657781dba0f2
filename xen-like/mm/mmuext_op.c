/*
 * mmuext_op.c - the "extended" MMU operations: pin and unpin page tables,
 * switch page-table bases, flush TLBs, and a few page helpers.
 *
 * Pinning a table takes a type reference on it (validating it, and the
 * tree below it, if needed) and keeps that reference until UNPIN, so the
 * table stays validated even while nothing points at it.  A guest never
 * *has* to pin: loading an unpinned L4 with NEW_BASEPTR validates it on
 * demand, and hooking an unvalidated subtree into a live table validates
 * the subtree (Mini-OS never pins anything).
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"
#include "panic.h"
#include "pt.h"

#define MMU_UPDATE_PREEMPTED 0x80000000u    /* count bit: a continuation */

/* DOMID_IO: the owner of I/O frames; as a foreigndom it means "I/O only". */
static struct domain dom_io = { .domain_id = DOMID_IO, .io_rights = true };
/* DOMID_XEN: the hypervisor as a page owner.  Xen lets privileged guests
 * map pages it shares this way; xen-like shares none, so every frame
 * named with it is refused as not owned. */
static struct domain dom_xen = { .domain_id = DOMID_XEN };

struct domain *get_pg_owner(domid_t domid, int *rc)
{
    struct domain *cur = current->domain, *d;

    *rc = -XEN_ESRCH;
    if ( domid == DOMID_SELF )
        return cur;
    if ( domid == cur->domain_id )
    {
        gprintk(cur, XENLOG_G_WARNING "foreigndom %u is the caller itself: use "
                "DOMID_SELF -> -ESRCH\n", domid);
        return NULL;
    }
    if ( domid == DOMID_IO )
        return &dom_io;
    if ( domid == DOMID_XEN )
        return &dom_xen;
    if ( !(d = get_domain_by_id(domid)) )
        gprintk(cur, XENLOG_G_WARNING "foreigndom %u: no such domain -> -ESRCH\n", domid);
    return d;
}

/* ------------------------------------------------------------------------
 * The deferred put (Xen's old_guest_table).
 */
void defer_put(struct vcpu *v, struct page_info *pg, bool partial)
{
    BUG_ON(!mfn_eq(v->old_guest_table, INVALID_MFN));
    v->old_guest_table = page_to_mfn(pg);
    v->old_guest_table_partial = partial;
}

int put_old_guest_table(struct vcpu *v)
{
    struct page_info *pg;
    int rc;

    if ( mfn_eq(v->old_guest_table, INVALID_MFN) )
        return 0;
    pg = mfn_to_page(v->old_guest_table);
    rc = v->old_guest_table_partial ? put_page_type_partial(pg, true)
                                    : put_page_type_preemptible(pg);
    if ( rc )
    {
        v->old_guest_table_partial = true;
        return rc;
    }
    put_page(pg);
    v->old_guest_table = INVALID_MFN;
    v->old_guest_table_partial = false;
    return 0;
}

/* Drop a root's references; devalidation is deferred if it is preempted. */
static void put_root(struct vcpu *v, mfn_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    if ( mfn_eq(mfn, INVALID_MFN) )
        return;
    if ( (pg->type_info & PGT_count_mask) > 1 || !mfn_eq(v->old_guest_table, INVALID_MFN) )
        put_page_and_type(pg);
    else
        defer_put(v, pg, false);
}

/* Take an L4 reference on mfn for a base pointer: validates on demand. */
static int get_root(struct vcpu *v, mfn_t mfn)
{
    struct domain *d = v->domain;
    struct page_info *pg = mfn_to_page(mfn);
    int rc;

    if ( !mfn_is_ram(mfn) || !get_page(pg, d) )
    {
        gprintk(d, XENLOG_G_WARNING "base pointer mfn %#lx is not a page of d%u -> "
                "-EINVAL\n", mfn_x(mfn), d->domain_id);
        return -XEN_EINVAL;
    }
    rc = get_page_type_rc(pg, PGT_l4_page_table, true);
    if ( rc )
    {
        put_page(pg);
        if ( rc != -XEN_ERESTART )
            gprintk(d, XENLOG_G_WARNING "base pointer mfn %#lx: not usable as an L4 "
                    "(%d)\n", mfn_x(mfn), rc);
    }
    return rc;
}

int new_guest_cr3(struct vcpu *v, mfn_t mfn)
{
    mfn_t old = v->guest_table;
    int rc;

    if ( (rc = put_old_guest_table(v)) )
        return rc;
    if ( mfn_eq(mfn, old) )
    {
        if ( v->kernel_mode )
            arch_load_cr3(mfn);                /* a plain TLB flush */
        return 0;
    }
    if ( (rc = get_root(v, mfn)) )
        return rc;
    init_xen_l4_slots(mfn_to_virt(mfn), v->domain, true);   /* guest-visible M2P */
    v->guest_table = mfn;
    if ( v->kernel_mode )
        arch_load_cr3(mfn);
    put_root(v, old);
    return 0;
}

int new_guest_user_cr3(struct vcpu *v, mfn_t mfn)
{
    mfn_t old = v->guest_table_user;
    int rc;

    if ( (rc = put_old_guest_table(v)) )
        return rc;
    if ( mfn_x(mfn) == 0 )
        mfn = INVALID_MFN;                     /* 0 clears the user table */
    else if ( mfn_eq(mfn, INVALID_MFN) )
        return -XEN_EINVAL;    /* ~0 is no frame, not "none" (XSA-32) */
    if ( mfn_eq(mfn, old) )
        return 0;
    if ( !mfn_eq(mfn, INVALID_MFN) && (rc = get_root(v, mfn)) )
        return rc;
    /* m2p_strict: user mode never sees the M2P. */
    if ( !mfn_eq(mfn, INVALID_MFN) && (v->domain->vm_assist & (1UL << VMASST_TYPE_m2p_strict)) )
        ((intpte_t *)mfn_to_virt(mfn))[256] = 0;
    v->guest_table_user = mfn;
    if ( !v->kernel_mode && !mfn_eq(mfn, INVALID_MFN) )
        arch_load_cr3(mfn);
    put_root(v, old);
    return 0;
}

/* ------------------------------------------------------------------------
 * One operation.  Returns 0, a negative XEN_Exxx, or -XEN_ERESTART to have
 * the same operation retried by a continuation.
 */
static int pin(struct domain *cur, struct domain *pg_owner, unsigned int cmd, mfn_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);
    int rc;

    if ( !mfn_is_ram(mfn) || !get_page(pg, pg_owner) )
    {
        gprintk(cur, XENLOG_G_WARNING "pin: mfn %#lx is not a page of d%u -> -EINVAL\n",
                mfn_x(mfn), pg_owner->domain_id);
        return -XEN_EINVAL;
    }
    rc = get_page_type_rc(pg, pt_level_type(cmd - MMUEXT_PIN_L1_TABLE + 1), true);
    if ( rc )
    {
        put_page(pg);
        if ( rc != -XEN_ERESTART )
            gprintk(cur, XENLOG_G_WARNING "pin L%u: mfn %#lx refused (%s, tc=%lu) -> %d\n",
                    cmd - MMUEXT_PIN_L1_TABLE + 1, mfn_x(mfn), page_type_name(pg->type_info),
                    pg->type_info & PGT_count_mask, rc);
        return rc;
    }
    if ( pg->type_info & PGT_pinned )
    {
        gprintk(cur, XENLOG_G_WARNING "pin: mfn %#lx is already pinned -> -EINVAL\n",
                mfn_x(mfn));
        put_page_and_type(pg);
        return -XEN_EINVAL;
    }
    pg->type_info |= PGT_pinned;               /* the pin holds both refs */
    return 0;
}

static int unpin(struct vcpu *v, struct domain *pg_owner, mfn_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    if ( !mfn_is_ram(mfn) || !get_page(pg, pg_owner) )
    {
        gprintk(v->domain, XENLOG_G_WARNING "unpin: mfn %#lx is not a page of d%u -> "
                "-EINVAL\n", mfn_x(mfn), pg_owner->domain_id);
        return -XEN_EINVAL;
    }
    if ( !(pg->type_info & PGT_pinned) )
    {
        gprintk(v->domain, XENLOG_G_WARNING "unpin: mfn %#lx is not pinned -> -EINVAL\n",
                mfn_x(mfn));
        put_page(pg);
        return -XEN_EINVAL;
    }
    pg->type_info &= ~PGT_pinned;
    if ( put_page_type_preemptible(pg) == -XEN_ERESTART )
        defer_put(v, pg, true);                /* finished before the next op */
    else
        put_page(pg);                          /* the pin's general ref */
    put_page(pg);                              /* ours, from above */
    return 0;
}

static int page_op(struct domain *cur, struct domain *pg_owner, const struct mmuext_op *op)
{
    struct page_info *dst = mfn_to_page(_mfn(op->arg1.mfn)), *src;

    if ( !mfn_is_ram(_mfn(op->arg1.mfn)) ||
         !get_page_and_type(dst, pg_owner, PGT_writable_page) )
    {
        gprintk(cur, XENLOG_G_WARNING "%s: mfn %#lx is not a writable page of d%u -> "
                "-EINVAL\n", op->cmd == MMUEXT_CLEAR_PAGE ? "clear_page" : "copy_page",
                (unsigned long)op->arg1.mfn, pg_owner->domain_id);
        return -XEN_EINVAL;
    }
    if ( op->cmd == MMUEXT_CLEAR_PAGE )
        arch_clear_page(mfn_to_virt(_mfn(op->arg1.mfn)));
    else
    {
        src = mfn_to_page(_mfn(op->arg2.src_mfn));
        if ( !mfn_is_ram(_mfn(op->arg2.src_mfn)) || !get_page(src, pg_owner) )
        {
            put_page_and_type(dst);
            return -XEN_EINVAL;
        }
        memcpy(mfn_to_virt(_mfn(op->arg1.mfn)), mfn_to_virt(_mfn(op->arg2.src_mfn)),
               PAGE_SIZE);
        put_page(src);
    }
    put_page_and_type(dst);
    return 0;
}

/* Read a guest vCPU bitmap (one word is enough: one vCPU here). */
static int read_vcpumask(unsigned long ptr)
{
    unsigned long mask;

    return copy_from_guest(&mask, ptr, sizeof(mask)) ? -XEN_EFAULT : 0;
}

static int do_one_op(struct vcpu *v, struct domain *pg_owner, const struct mmuext_op *op_in)
{
    struct domain *cur = v->domain;
    bool foreign = pg_owner != cur;
    struct mmuext_op tmp = *op_in, *op = &tmp;

    /* Translate mode: frame arguments are the owner's guest frames. */
    switch ( op->cmd )
    {
    case MMUEXT_NEW_USER_BASEPTR:
        if ( op->arg1.mfn == 0 )
            break;                             /* 0 means "none" */
        /* fall through */
    case MMUEXT_PIN_L1_TABLE: case MMUEXT_PIN_L2_TABLE: case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE: case MMUEXT_UNPIN_TABLE: case MMUEXT_NEW_BASEPTR:
    case MMUEXT_CLEAR_PAGE: case MMUEXT_COPY_PAGE:
        op->arg1.mfn = mfn_x(gfn_to_mfn(pg_owner, _gfn(op->arg1.mfn)));
        if ( op->cmd == MMUEXT_COPY_PAGE )
            op->arg2.src_mfn = mfn_x(gfn_to_mfn(pg_owner, _gfn(op->arg2.src_mfn)));
        break;
    }

    switch ( op->cmd )
    {
    case MMUEXT_PIN_L1_TABLE: case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE: case MMUEXT_PIN_L4_TABLE:
        return pin(cur, pg_owner, op->cmd, _mfn(op->arg1.mfn));
    case MMUEXT_UNPIN_TABLE:
        return unpin(v, pg_owner, _mfn(op->arg1.mfn));
    case MMUEXT_NEW_BASEPTR:
        return foreign ? -XEN_EPERM : new_guest_cr3(v, _mfn(op->arg1.mfn));
    case MMUEXT_NEW_USER_BASEPTR:
        return foreign ? -XEN_EPERM : new_guest_user_cr3(v, _mfn(op->arg1.mfn));
    case MMUEXT_TLB_FLUSH_LOCAL:
        if ( foreign )
            return -XEN_EPERM;
        arch_flush_tlb_local();
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        if ( foreign )
            return -XEN_EPERM;
        if ( is_canonical_address(op->arg1.linear_addr) )
            arch_invlpg(op->arg1.linear_addr);
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI:
        if ( foreign )
            return -XEN_EPERM;
        if ( read_vcpumask((unsigned long)op->arg2.vcpumask.p) )
            return -XEN_EINVAL;
        if ( op->cmd == MMUEXT_TLB_FLUSH_MULTI )
            arch_flush_tlb_domain(cur);
        else if ( is_canonical_address(op->arg1.linear_addr) )
            arch_invlpg(op->arg1.linear_addr);
        return 0;
    case MMUEXT_TLB_FLUSH_ALL:
        if ( foreign )
            return -XEN_EPERM;
        arch_flush_tlb_domain(cur);
        return 0;
    case MMUEXT_INVLPG_ALL:
        if ( foreign )
            return -XEN_EPERM;
        if ( is_canonical_address(op->arg1.linear_addr) )
            arch_invlpg(op->arg1.linear_addr);
        return 0;
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:
        if ( foreign )
            return -XEN_EPERM;
        if ( !cur->io_rights )
        {
            gprintk(cur, XENLOG_G_WARNING "flush_cache: d%u has no I/O rights -> "
                    "-EACCES\n", cur->domain_id);
            return -XEN_EACCES;
        }
        arch_flush_cache();
        return 0;
    case MMUEXT_SET_LDT:
        if ( foreign )
            return -XEN_EPERM;
        /* The base matters only with entries; only the base is checked. */
        if ( op->arg2.nr_ents > 8192 ||
             (op->arg2.nr_ents && ((op->arg1.linear_addr & (PAGE_SIZE - 1)) ||
                                   !guest_range_ok(op->arg1.linear_addr, 1))) )
        {
            gprintk(cur, XENLOG_G_WARNING "set_ldt: base %#lx, %u entries -> -EINVAL\n",
                    (unsigned long)op->arg1.linear_addr, op->arg2.nr_ents);
            return -XEN_EINVAL;
        }
        v->ldt_base = op->arg1.linear_addr;
        v->ldt_ents = op->arg2.nr_ents;
        return 0;
    case MMUEXT_CLEAR_PAGE:
    case MMUEXT_COPY_PAGE:
        return page_op(cur, pg_owner, op);
    case MMUEXT_MARK_SUPER:
    case MMUEXT_UNMARK_SUPER:
        return -XEN_EOPNOTSUPP;                /* PV superpages are gone */
    default:
        gprintk(cur, XENLOG_G_WARNING "mmuext_op: unknown command %u -> -ENOSYS\n",
                op->cmd);
        return -XEN_ENOSYS;
    }
}

long do_mmuext_op(unsigned long uops, unsigned long count_arg, unsigned long pdone,
                  unsigned long foreigndom)
{
    struct vcpu *v = current;
    struct domain *cur = v->domain, *pg_owner;
    unsigned int count = (unsigned int)count_arg, done = 0, i;
    struct mmuext_op op;
    int rc;

    if ( (rc = put_old_guest_table(v)) )
        return rc == -XEN_ERESTART
               ? hypercall_create_continuation(__HYPERVISOR_mmuext_op, 4, uops,
                                               count_arg, pdone, foreigndom, 0)
               : rc;
    if ( count == MMU_UPDATE_PREEMPTED && uops == 0 )
        return (long)(int)foreigndom;          /* the final rc, passed along */
    if ( count & MMU_UPDATE_PREEMPTED )
    {
        count &= ~MMU_UPDATE_PREEMPTED;
        if ( pdone && copy_from_guest(&done, pdone, sizeof(done)) )
            done = 0;
    }
    if ( !guest_range_ok(uops, (size_t)count * sizeof(op)) )
        return -XEN_EFAULT;                    /* pdone untouched, as Xen */
    if ( !(pg_owner = get_pg_owner((domid_t)foreigndom, &rc)) )
        return rc;
    if ( pg_owner != cur && !cur->is_privileged )
        return -XEN_EPERM;

    rc = 0;
    for ( i = 0; i < count; i++ )
    {
        if ( !mfn_eq(v->old_guest_table, INVALID_MFN) || (i && hypercall_preempt_check()) )
        {
            rc = -XEN_ERESTART;
            break;
        }
        if ( copy_from_guest(&op, uops + i * sizeof(op), sizeof(op)) )
        {
            rc = -XEN_EFAULT;
            break;
        }
        if ( (rc = do_one_op(v, pg_owner, &op)) )
            break;
    }

    done += i;
    if ( pdone )
        (void)copy_to_guest(pdone, &done, sizeof(done));   /* as Xen: unchecked */
    if ( rc == -XEN_ERESTART )
        return hypercall_create_continuation(__HYPERVISOR_mmuext_op, 4,
                                             uops + i * sizeof(op),
                                             (count - i) | MMU_UPDATE_PREEMPTED,
                                             pdone, foreigndom, 0);
    if ( !mfn_eq(v->old_guest_table, INVALID_MFN) )
        return hypercall_create_continuation(__HYPERVISOR_mmuext_op, 4, 0,
                                             MMU_UPDATE_PREEMPTED, 0,
                                             (unsigned long)(long)rc, 0);
    return rc;
}
