/*
 * elf.c - exec: load one of the ELF programs embedded in the kernel image
 * (guest-kernel/user/NAME.c, linked at 0x400000 and copied in as binary
 * blobs by the Makefile) into a fresh address space.
 *
 * Each PT_LOAD segment becomes an area (text read-only, data writable)
 * whose pages are allocated and filled now; after the last segment come
 * the heap (empty, grows with sbrk, demand-zero) and, below USTACK_TOP,
 * the stack (demand-zero).  The old address space is torn down only once
 * the new one is complete, so a failed exec returns to the old program.
 */
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "os.h"

/* The few ELF64 definitions we need (System V gABI). */
typedef struct {
    unsigned char e_ident[16];
    uint16_t e_type, e_machine;
    uint32_t e_version;
    uint64_t e_entry, e_phoff, e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;
typedef struct {
    uint32_t p_type, p_flags;
    uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Elf64_Phdr;
#define PT_LOAD   1
#define PF_W      2
#define EM_X86_64 62

#define BLOB(n) extern const char _binary_##n##_elf_start[], _binary_##n##_elf_end[]
BLOB(init); BLOB(hello); BLOB(spin); BLOB(bench);
#define PROG(n) { #n, _binary_##n##_elf_start, _binary_##n##_elf_end }

static const struct program {
    const char *name;
    const char *start, *end;
} programs[] = { PROG(init), PROG(hello), PROG(spin), PROG(bench) };

static const struct program *find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(programs); i++)
        if (!strcmp(programs[i].name, name))
            return &programs[i];
    return NULL;
}

static void add_vma(struct proc *p, unsigned long s, unsigned long e,
                    bool w, bool demand, const char *kind)
{
    p->vma[p->nvma++] = (struct vma){ s, e, w, demand, kind };
}

/* Map one segment's pages, copying its file bytes in. */
static void load_segment(struct aspace *as, const struct program *prog,
                         const Elf64_Phdr *ph)
{
    unsigned long lo = ph->p_vaddr & ~(PAGE_SIZE - 1);
    unsigned long hi = ph->p_vaddr + ph->p_memsz;

    for (unsigned long va = lo; va < hi; va += PAGE_SIZE) {
        unsigned long pfn = frame_alloc();

        for (unsigned long b = va; b < va + PAGE_SIZE; b++)
            if (b >= ph->p_vaddr && b < ph->p_vaddr + ph->p_filesz)
                ((char *)pfn_va(pfn))[b - va] =
                    prog->start[ph->p_offset + (b - ph->p_vaddr)];
        as_map(as, va, pfn, (ph->p_flags & PF_W) ? PTE_USER_RW : PTE_USER_RO);
    }
}

int elf_exec(struct proc *p, const char *name)
{
    const struct program *prog = find(name);
    struct aspace as;
    Elf64_Ehdr eh;
    unsigned long top = 0, need = 1;    /* the L4 */

    if (!prog || (unsigned long)(prog->end - prog->start) < sizeof(eh))
        return -1;
    memcpy(&eh, prog->start, sizeof(eh));
    if (memcmp(eh.e_ident, "\177ELF", 4) || eh.e_machine != EM_X86_64 ||
        eh.e_phnum > 8)
        return -1;
    for (unsigned int i = 0; i < eh.e_phnum; i++) {     /* worst case first */
        Elf64_Phdr ph;

        memcpy(&ph, prog->start + eh.e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type == PT_LOAD)
            need += (ph.p_vaddr + ph.p_memsz - (ph.p_vaddr & ~(PAGE_SIZE - 1)) +
                     PAGE_SIZE - 1) / PAGE_SIZE + 3;    /* pages, L3-L1 */
    }
    if (!frames_available(need))
        return -2;                      /* out of memory; nothing taken */
    as_create(&as);
    p->nvma = 0;
    for (unsigned int i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;

        memcpy(&ph, prog->start + eh.e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_LOAD || !ph.p_memsz)
            continue;
        load_segment(&as, prog, &ph);
        add_vma(p, ph.p_vaddr & ~(PAGE_SIZE - 1),
                (ph.p_vaddr + ph.p_memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1),
                ph.p_flags & PF_W, false, (ph.p_flags & PF_W) ? "data" : "text");
        if (ph.p_vaddr + ph.p_memsz > top)
            top = ph.p_vaddr + ph.p_memsz;
    }
    pte_commit(FLUSH_NONE);
    top = (top + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    add_vma(p, top, top, true, true, "heap");      /* empty until sbrk */
    p->brk = top;
    add_vma(p, USTACK_TOP - USTACK_PAGES * PAGE_SIZE, USTACK_TOP, true, true, "stack");
    proc_replace_as(p, &as);
    memset(&p->regs, 0, sizeof(p->regs));
    p->regs.rip = eh.e_entry;
    p->regs.cs = FLAT_USER_CS;          /* RPL 3: iret goes to user mode */
    p->regs.rflags = 0x202;             /* IF */
    p->regs.rsp = USTACK_TOP;
    p->regs.ss = FLAT_USER_SS;
    memcpy(p->name, name, strnlen(name, sizeof(p->name) - 1));
    p->name[strnlen(name, sizeof(p->name) - 1)] = 0;
    return 0;
}
