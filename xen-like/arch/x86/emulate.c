/*
 * emulate.c - the few guest instructions the hypervisor carries out itself.
 *
 * A PV kernel runs in ring 3, so instructions that need ring 0 fault.  Xen
 * emulates a handful that PV kernels rely on, and so do we:
 *
 *   ud2; .ascii "xen"; cpuid   Xen's forced-emulation prefix: the guest
 *                              asks the hypervisor for CPUID, including the
 *                              hypervisor leaves at 0x40000000.
 *   mov %cr0/%cr2/%cr3/%cr4, reg and mov reg, %cr0/%cr3
 *                              CR3 reads give the kernel L4's machine
 *                              address; CR3 writes are NEW_BASEPTR.
 *   int $n                     allowed if the guest's trap-table entry for
 *                              n has DPL 3 (or >= 1 from guest kernel mode).
 *
 * The `int n` vector is decoded from the instruction bytes, never from the
 * #GP error code: QEMU 7.2's TCG reports that code wrongly (n*16+2 instead
 * of n*8+2), and decoding the instruction is right on every CPU.
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "traps.h"
#include "version.h"
#include "x86.h"

/* Fetch up to `len` instruction bytes at the guest RIP; returns how many. */
static size_t fetch_insn(const struct cpu_user_regs *regs, uint8_t *buf, size_t len)
{
    size_t got;

    for ( got = len; got > 0; got-- )
        if ( copy_from_guest(buf, regs->rip, got) == 0 )
            return got;
    return 0;
}

static void guest_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
                        uint32_t *c, uint32_t *d)
{
    if ( leaf >= 0x40000000 && leaf < 0x40010000 )
    {
        *a = *b = *c = *d = 0;
        switch ( leaf )
        {
        case 0x40000000:                      /* "XenVMMXenVMM", max leaf */
            *a = 0x40000005;
            *b = 0x566e6558;
            *c = 0x65584d4d;
            *d = 0x4d4d566e;
            break;
        case 0x40000001:                      /* version */
            *a = (XEN_LIKE_ABI_MAJOR << 16) | XEN_LIKE_ABI_MINOR;
            break;
        case 0x40000002:                      /* one hypercall page, MSR base */
            *a = 1;
            *b = 0x40000000;
            break;
        }
        return;
    }
    cpuid_count(leaf, sub, a, b, c, d);
    if ( leaf == 1 )
    {
        *c |= 1U << 31;                       /* running under a hypervisor */
        *c &= ~((1U << 5) | (1U << 3));       /* no VMX, no MONITOR */
    }
}

bool pv_emulate_forced_cpuid(struct cpu_user_regs *regs)
{
    static const uint8_t sig[] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };
    uint8_t insn[sizeof(sig)];
    uint32_t a, b, c, d;

    if ( fetch_insn(regs, insn, sizeof(insn)) != sizeof(insn) ||
         memcmp(insn, sig, sizeof(sig)) )
        return false;
    guest_cpuid((uint32_t)regs->rax, (uint32_t)regs->rcx, &a, &b, &c, &d);
    regs->rax = a;
    regs->rbx = b;
    regs->rcx = c;
    regs->rdx = d;
    regs->rip += sizeof(sig);
    return true;
}

bool pv_emulate_soft_interrupt(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    uint8_t insn[2];
    const struct trap_info *ti;
    unsigned int min_dpl = v->kernel_mode ? 1 : 3;

    if ( fetch_insn(regs, insn, 2) != 2 || insn[0] != 0xcd )
        return false;
    ti = &v->trap_ctxt[insn[1]];
    if ( (ti->flags & 3) < min_dpl || ti->address == 0 )
    {
        /* Not allowed: the guest sees #GP naming the IDT entry. */
        pv_inject_hw_exception(regs, TRAP_gp_fault, (uint32_t)insn[1] << 3 | 2);
        return true;
    }
    regs->rip += 2;
    pv_inject_hw_exception(regs, insn[1], X86_EVENT_NO_EC);
    return true;
}

static uint64_t *decode_gpr(struct cpu_user_regs *regs, unsigned int n)
{
    switch ( n )
    {
    case 0: return &regs->rax;  case 1: return &regs->rcx;
    case 2: return &regs->rdx;  case 3: return &regs->rbx;
    case 4: return &regs->rsp;  case 5: return &regs->rbp;
    case 6: return &regs->rsi;  case 7: return &regs->rdi;
    case 8: return &regs->r8;   case 9: return &regs->r9;
    case 10: return &regs->r10; case 11: return &regs->r11;
    case 12: return &regs->r12; case 13: return &regs->r13;
    case 14: return &regs->r14; default: return &regs->r15;
    }
}

/* mov to/from control registers: [REX] 0f 20 /r and [REX] 0f 22 /r. */
bool pv_emulate_privileged_op(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    uint8_t insn[4];
    size_t n = fetch_insn(regs, insn, sizeof(insn));
    unsigned int i = 0, rex = 0, cr, modrm;
    uint64_t *gpr;

    if ( !v->kernel_mode || n < 3 )
        return false;
    if ( (insn[0] & 0xf0) == 0x40 )
        rex = insn[i++];
    if ( n < i + 3 || insn[i] != 0x0f || (insn[i + 1] != 0x20 && insn[i + 1] != 0x22) )
        return false;
    modrm = insn[i + 2];
    if ( (modrm >> 6) != 3 )
        return false;
    cr = ((modrm >> 3) & 7) | ((rex & 4) << 1);
    gpr = decode_gpr(regs, (modrm & 7) | ((rex & 1) << 3));

    if ( insn[i + 1] == 0x20 )                          /* read */
    {
        switch ( cr )
        {
        case 0: *gpr = (read_cr0() & ~X86_CR0_TS) | (v->virtual_ts ? X86_CR0_TS : 0);
                break;
        case 2: *gpr = v->vcpu_info->arch.cr2; break;
        case 3:
            /* Translate mode: the guest's own frame number of its L4. */
            *gpr = v->domain->translated
                   ? get_gpfn_from_mfn(v->guest_table) << PAGE_SHIFT
                   : mfn_to_maddr(v->guest_table);
            break;
        case 4: *gpr = read_cr4(); break;
        default: return false;
        }
    }
    else                                                /* write */
    {
        switch ( cr )
        {
        case 0:
            if ( (*gpr ^ read_cr0()) & ~X86_CR0_TS )
                gprintk(v->domain, XENLOG_G_WARNING
                        "mov to %%cr0: only TS may change, other bits ignored\n");
            v->virtual_ts = (*gpr & X86_CR0_TS) != 0;
            write_cr0(v->virtual_ts ? read_cr0() | X86_CR0_TS : read_cr0() & ~X86_CR0_TS);
            break;
        case 3:
        {
            int rc = new_guest_cr3(v, gfn_to_mfn(v->domain, _gfn(*gpr >> PAGE_SHIFT)));

            if ( rc == -XEN_ERESTART )
                return true;            /* preempted: the mov runs again */
            if ( rc )
                return false;           /* #GP to the guest */
            break;
        }
        default:
            return false;
        }
    }
    regs->rip += i + 3;
    return true;
}
