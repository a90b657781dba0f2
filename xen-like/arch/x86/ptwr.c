/*
 * ptwr.c - writable page tables: a guest kernel's plain store into one of
 * its own L1 tables.
 *
 * The L1 page is mapped read-only, so the store faults.  If the page is a
 * validated L1 of the domain, the hypervisor emulates the instruction: it
 * builds the new 8-byte entry, puts it through the same checks as
 * mmu_update (mod_l1_entry), and steps over the instruction.  An entry that
 * fails the checks is not written and the #PF goes to the guest.  Xen does
 * this for every domain that enabled VMASST_TYPE_writable_pagetables, and
 * always for the hardware domain (measured on Xen 4.17; reference §7.1).
 *
 * Only the stores a kernel writes page-table entries with are decoded:
 * mov (88/89/C6/C7), xchg (86/87) and cmpxchg (0F B0/B1), with the 66, F0
 * and REX prefixes.  The address comes from CR2; the decoder only needs the
 * operand size, the source and the instruction length.
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "mm.h"
#include "mmu.h"
#include "traps.h"
#include "x86.h"

struct store {
    unsigned int len;            /* instruction length */
    unsigned int bytes;          /* operand size */
    enum { ST_MOV, ST_XCHG, ST_CMPXCHG } kind;
    uint64_t value;              /* what a mov/xchg/cmpxchg writes */
    uint64_t *reg;               /* the register operand (xchg, cmpxchg) */
};

static uint64_t *gpr(struct cpu_user_regs *r, unsigned int n)
{
    uint64_t *const map[16] = {
        &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
        &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
    };
    return map[n & 15];
}

/* Length of a ModRM memory operand (ModRM, SIB, displacement), or 0. */
static unsigned int modrm_len(const uint8_t *p, size_t avail)
{
    unsigned int mod = p[0] >> 6, rm = p[0] & 7, n = 1;

    if ( mod == 3 )
        return 0;                             /* a register, not memory */
    if ( rm == 4 )
    {
        if ( avail < 2 )
            return 0;
        n++;                                  /* SIB */
        if ( mod == 0 && (p[1] & 7) == 5 )
            n += 4;
    }
    else if ( mod == 0 && rm == 5 )
        n += 4;                               /* RIP-relative */
    n += mod == 1 ? 1 : mod == 2 ? 4 : 0;
    return n <= avail ? n : 0;
}

static bool decode(struct cpu_user_regs *regs, const uint8_t *b, size_t n, struct store *s)
{
    unsigned int i = 0, rex = 0, opsz = 4, m;
    uint8_t op;

    for ( ; i < n && (b[i] == 0x66 || b[i] == 0xf0); i++ )
        if ( b[i] == 0x66 )
            opsz = 2;
    if ( i < n && (b[i] & 0xf0) == 0x40 )
        rex = b[i++];
    if ( rex & 8 )
        opsz = 8;
    if ( i + 1 >= n )
        return false;
    op = b[i++];
    if ( op == 0x0f )
    {
        op = b[i++];
        if ( op != 0xb0 && op != 0xb1 )
            return false;
        s->kind = ST_CMPXCHG;
        s->bytes = op == 0xb0 ? 1 : opsz;
    }
    else if ( op == 0x88 || op == 0x89 || op == 0x86 || op == 0x87 )
    {
        s->kind = (op == 0x86 || op == 0x87) ? ST_XCHG : ST_MOV;
        s->bytes = (op & 1) ? opsz : 1;
    }
    else if ( op == 0xc6 || op == 0xc7 )
    {
        s->kind = ST_MOV;
        s->bytes = op == 0xc6 ? 1 : opsz;
    }
    else
        return false;
    if ( i >= n || !(m = modrm_len(&b[i], n - i)) )
        return false;
    s->reg = gpr(regs, ((b[i] >> 3) & 7) | ((rex & 4) << 1));
    if ( op == 0xc6 || op == 0xc7 )
    {
        unsigned int isz = op == 0xc6 ? 1 : opsz == 2 ? 2 : 4;
        int64_t imm = 0;

        if ( ((b[i] >> 3) & 7) != 0 || i + m + isz > n )
            return false;
        for ( unsigned int k = 0; k < isz; k++ )
            imm |= (int64_t)b[i + m + k] << (8 * k);
        if ( isz == 4 )
            imm = (int32_t)imm;               /* sign-extended to 64 bits */
        s->value = (uint64_t)imm;
        s->len = i + m + isz;
    }
    else
    {
        s->value = *s->reg;
        s->len = i + m;
    }
    return true;
}

static uint64_t merge(uint64_t old, uint64_t val, unsigned int off, unsigned int bytes)
{
    uint64_t mask = bytes == 8 ? ~0UL : ((1UL << (8 * bytes)) - 1) << (8 * off);

    return (old & ~mask) | ((val << (8 * off)) & mask);
}

bool pv_ptwr_emulate(struct cpu_user_regs *regs, unsigned long cr2, uint32_t ec)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    intpte_t e = pte_from_mfn(v->guest_table, _PAGE_PRESENT), *pl1e, old, nl1e;
    unsigned int off = cr2 & 7;
    struct page_info *pg;
    struct store s;
    uint8_t insn[16];
    size_t n;

    if ( (ec & (PFEC_present | PFEC_write)) != (PFEC_present | PFEC_write) ||
         !v->kernel_mode || mfn_eq(v->guest_table, INVALID_MFN) ||
         (!d->is_privileged && !(d->vm_assist & (1UL << VMASST_TYPE_writable_pagetables))) )
        return false;
    /* The frame being written: follow the kernel tables to cr2's L1 entry. */
    for ( unsigned int shift = L4_PAGETABLE_SHIFT; shift >= L1_PAGETABLE_SHIFT; shift -= 9 )
    {
        e = ((intpte_t *)mfn_to_virt(pte_mfn(e)))[(cr2 >> shift) & 511];
        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) || !mfn_is_ram(pte_mfn(e)) )
            return false;
    }
    pg = mfn_to_page(pte_mfn(e));
    if ( pg->owner != d->domain_id || !(pg->type_info & PGT_count_mask) ||
         (pg->type_info & (PGT_type_mask | PGT_validated)) !=
         (PGT_l1_page_table | PGT_validated) )
        return false;                         /* not a live L1 of ours */

    for ( n = sizeof(insn); n && copy_from_guest(insn, regs->rip, n); n-- )
        ;
    if ( !n || !decode(regs, insn, n, &s) || off + s.bytes > 8 )
        return false;

    pl1e = (intpte_t *)mfn_to_virt(pte_mfn(e)) + ((cr2 & (PAGE_SIZE - 1)) >> 3);
    old = *pl1e;
    if ( s.kind == ST_CMPXCHG )
    {
        uint64_t mask = s.bytes == 8 ? ~0UL : (1UL << (8 * s.bytes)) - 1;
        uint64_t cur = (old >> (8 * off)) & mask;

        if ( cur != (regs->rax & mask) )
        {
            regs->rax = (regs->rax & ~mask) | cur;   /* failed compare */
            regs->rflags &= ~0x40UL;                  /* ZF = 0 */
            regs->rip += s.len;
            return true;
        }
        regs->rflags |= 0x40UL;                       /* ZF = 1 */
    }
    nl1e = merge(old, s.value, off, s.bytes);
    if ( mod_l1_entry(pl1e, nl1e, pte_mfn(e), d, d, false, d->translated) )
        return false;                         /* refused: the #PF goes to the guest */
    if ( s.kind == ST_XCHG )
        *s.reg = s.bytes == 8 ? old : (old >> (8 * off)) & ((1UL << (8 * s.bytes)) - 1);
    regs->rip += s.len;
    return true;
}
