/*
 * hcall.c - every MMU hypercall the init kernel makes, one small named
 * function each, counted for the summary.
 *
 * PTE writes are queued and sent as one multicall (§2.13) holding an
 * mmu_update of up to 512 requests (§2.1) and, when asked, the TLB flush
 * the change needs (§2.2: mmu_update never flushes for L1 changes).  This
 * is Linux's lazy-MMU batching (§4.2) in its simplest form.
 */
#include "kernel.h"
#include "console.h"
#include "os.h"
#include "guest-hypercall.h"

#define BATCH 512

struct hc_stats hc;
static struct mmu_update queue[BATCH];
static unsigned int queued;

long hc_count_other(long rc)
{
    hc.other++;
    return rc;
}

void pte_queue(uint64_t ptr, uint64_t val)
{
    if (queued == BATCH)
        pte_commit(FLUSH_NONE);
    queue[queued++] = (struct mmu_update){ .ptr = ptr, .val = val };
}

/*
 * §2.13: one multicall, [mmu_update(queue), mmuext_op(flush)].  A multicall
 * returns 0 even when a sub-call failed (§6 item 23): check each result.
 */
void pte_commit(unsigned long flush)
{
    static struct multicall_entry mc[2];
    static struct mmuext_op op;
    static unsigned int done;
    unsigned int n = 0;
    long rc;

    if (!queued && flush == FLUSH_NONE)
        return;
    if (queued) {
        done = 0;
        mc[n++] = (struct multicall_entry){ .op = __HYPERVISOR_mmu_update,
            .args = { (unsigned long)queue, queued, (unsigned long)&done,
                      DOMID_SELF } };
        hc.mmu_update++;
        hc.batches++;
        hc.pte_batched += queued;
    }
    if (flush != FLUSH_NONE) {
        op = (struct mmuext_op){ .cmd = flush == FLUSH_ALL ?
                                 MMUEXT_TLB_FLUSH_LOCAL : MMUEXT_INVLPG_LOCAL };
        op.arg1.linear_addr = flush;
        mc[n++] = (struct multicall_entry){ .op = __HYPERVISOR_mmuext_op,
            .args = { (unsigned long)&op, 1, 0, DOMID_SELF } };
        hc.mmuext++;
    }
    hc.multicall++;
    rc = HYPERVISOR_multicall(mc, n);
    if (rc)
        panic("multicall: %ld", rc);
    if (queued && (long)mc[0].result)
        panic("batched mmu_update: %ld after %u of %u (ptr %#lx val %#lx)",
              (long)mc[0].result, done, queued, queue[done].ptr,
              queue[done].val);
    if (flush != FLUSH_NONE && (long)mc[n - 1].result)
        panic("batched flush: %ld", (long)mc[n - 1].result);
    queued = 0;
}

/* §2.2/§3.5: hooking a table into a live tree validates it: do it now. */
void pte_link(uint64_t ptr, uint64_t val)
{
    struct mmu_update r = { .ptr = ptr, .val = val };
    long rc;

    pte_commit(FLUSH_NONE);
    hc.mmu_update++;
    rc = HYPERVISOR_mmu_update(&r, 1, NULL, DOMID_SELF);
    if (rc)
        panic("mmu_update(%#lx <- %#lx): %ld", ptr, val, rc);
}

/* §2.11: rewrite the L1 entry that maps va in the current tables. */
long va_remap(unsigned long va, uint64_t pte)
{
    hc.update_va_mapping++;
    return HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG);
}

/* §2.4: a frame must have no writable mapping before it becomes a table. */
void frame_make_ro(unsigned long pfn)
{
    long rc = va_remap((unsigned long)pfn_va(pfn), pte_make(pfn, PTE_KERNEL_RO));

    if (rc)
        panic("remap pfn %#lx read-only: %ld", pfn, rc);
}

/*
 * §2.4, §6 item 14: once no tree uses a table it may be mapped RW again,
 * but Xen drops old CR3s and entries lazily, on a later MMU hypercall:
 * an -EBUSY is retried once after a flush (which is such a hypercall).
 */
void frame_make_rw(unsigned long pfn)
{
    long rc = va_remap((unsigned long)pfn_va(pfn), pte_make(pfn, PTE_KERNEL_RW));

    if (rc == -XEN_EBUSY) {
        hc.busy_retries++;
        mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0);
        rc = va_remap((unsigned long)pfn_va(pfn), pte_make(pfn, PTE_KERNEL_RW));
    }
    if (rc)
        panic("remap pfn %#lx read-write: %ld (still a table?)", pfn, rc);
}

/* §2.12: one mmuext_op; arg is an mfn-argument (gfn) or a linear address. */
long mmuext1(unsigned int cmd, uint64_t arg)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = arg;
    hc.mmuext++;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* §2.12, §3.5: pinning validates the whole tree below the L4. */
void pin_l4(unsigned long pfn)
{
    long rc;

    pte_commit(FLUSH_NONE);
    rc = mmuext1(MMUEXT_PIN_L4_TABLE, gfn_of(pfn));
    if (rc)
        panic("PIN_L4_TABLE pfn %#lx: %ld", pfn, rc);
}

void unpin_table(unsigned long pfn)
{
    long rc = mmuext1(MMUEXT_UNPIN_TABLE, gfn_of(pfn));

    if (rc)
        panic("UNPIN_TABLE pfn %#lx: %ld", pfn, rc);
}

/* §2.12 NEW_BASEPTR: the kernel's CR3. */
void set_kernel_base(unsigned long pfn)
{
    long rc = mmuext1(MMUEXT_NEW_BASEPTR, gfn_of(pfn));

    if (rc)
        panic("NEW_BASEPTR pfn %#lx: %ld", pfn, rc);
}

/* §1.7, §2.12 NEW_USER_BASEPTR: the CR3 Xen loads for guest user mode. */
void set_user_base(unsigned long pfn)
{
    long rc = mmuext1(MMUEXT_NEW_USER_BASEPTR, pfn ? gfn_of(pfn) : 0);

    if (rc)
        panic("NEW_USER_BASEPTR pfn %#lx: %ld", pfn, rc);
}
