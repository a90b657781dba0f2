/*
 * fault.c - what a user page fault means.
 *
 * Xen bounces a user #PF to our trap table with the U bit set in the error
 * code and the address in vcpu_info.arch.cr2 (§1.7).  Three outcomes:
 *   - not present, inside the heap or the stack: demand-zero, a fresh
 *     zeroed frame mapped read-write;
 *   - a write to a present read-only page of a writable area: copy-on-
 *     write after fork.  If no one else shares the frame any more it is
 *     simply remapped read-write ("reuse"), otherwise copied first;
 *   - anything else: the process dies (proc.c), never the kernel.
 * Out of memory is checked before anything is allocated (frames.c): a
 * fault that cannot get its frame (and the tables on the way) kills the
 * process with a message, and nothing was taken, so nothing leaks.
 * The changed entry goes through the batch with an INVLPG of that page
 * (§2.2: mmu_update does not flush for L1 changes).
 */
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "os.h"

int vm_fault(struct proc *p, unsigned long va, unsigned long err)
{
    struct vma *v = vma_find(p, va);
    unsigned long page = va & ~(PAGE_SIZE - 1);
    uint64_t e;

    if (!v)
        return 0;
    e = as_lookup(&p->as, page);
    if (!(e & _PAGE_PRESENT)) {
        if (!v->demand)
            return 0;
        if (!frames_available(4))       /* the page, at worst 3 tables */
            return -1;
        as_map(&p->as, page, frame_alloc(), v->writable ? PTE_USER_RW : PTE_USER_RO);
        pte_commit(FLUSH_NONE);         /* not-present entries are not cached */
        if (v->kind[0] == 's')
            vm.pf_demand_stack++;
        else
            vm.pf_demand_heap++;
        return 1;
    }
    if ((err & X86_PFEC_WRITE) && !(e & _PAGE_RW) && v->writable) {
        unsigned long old = pte_pfn(e), pfn = old;

        if (frame_refs(old) == 1) {
            vm.pf_cow_reuse++;
        } else {
            if (!frames_available(1))   /* the L1 exists: just the copy */
                return -1;
            pfn = frame_alloc();
            memcpy(pfn_va(pfn), pfn_va(old), PAGE_SIZE);
            frame_put(old);
            vm.pf_cow_copy++;
        }
        as_map(&p->as, page, pfn, PTE_USER_RW);
        pte_commit(page);
        return 1;
    }
    return 0;
}
