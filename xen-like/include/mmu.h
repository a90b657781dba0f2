/*
 * mmu.h - the PV-MMU operations other parts of the hypervisor call.
 */
#ifndef XL_MMU_H
#define XL_MMU_H

#include "domain.h"
#include "page.h"

struct page_info;

/* Load mfn as the vCPU's kernel page table (mov %cr3 / NEW_BASEPTR). */
int new_guest_cr3(struct vcpu *v, mfn_t mfn);

/* get_page/put_page: general references. */
bool get_page(struct page_info *pg, const struct domain *d);
void put_page(struct page_info *pg);
/* get_page_type/put_page_type: type references. */
bool get_page_type(struct page_info *pg, unsigned long type);
void put_page_type(struct page_info *pg);

#endif
