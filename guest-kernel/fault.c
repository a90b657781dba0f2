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
 * The changed entry goes through the batch with an INVLPG of that page
 * (§2.2: mmu_update does not flush for L1 changes).
 */
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "os.h"

bool vm_fault(struct proc *p, unsigned long va, unsigned long err)
{
    struct vma *v = vma_find(p, va);
    unsigned long page = va & ~(PAGE_SIZE - 1);
    uint64_t e;

    if (!v)
        return false;
    e = as_lookup(&p->as, page);
    if (!(e & _PAGE_PRESENT)) {
        if (!v->demand)
            return false;
        as_map(&p->as, page, frame_alloc(), v->writable ? PTE_USER_RW : PTE_USER_RO);
        pte_commit(FLUSH_NONE);         /* not-present entries are not cached */
        if (v->kind[0] == 's')
            vm.pf_demand_stack++;
        else
            vm.pf_demand_heap++;
        return true;
    }
    if ((err & X86_PFEC_WRITE) && !(e & _PAGE_RW) && v->writable) {
        unsigned long old = pte_pfn(e), pfn = old;

        if (frame_refs(old) == 1) {
            vm.pf_cow_reuse++;
        } else {
            pfn = frame_alloc();
            memcpy(pfn_va(pfn), pfn_va(old), PAGE_SIZE);
            frame_put(old);
            vm.pf_cow_copy++;
        }
        as_map(&p->as, page, pfn, PTE_USER_RW);
        pte_commit(page);
        return true;
    }
    return false;
}
