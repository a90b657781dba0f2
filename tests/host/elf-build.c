/*
 * elf-build.c - lay out an ELF64 image from a struct elf_spec.
 *
 * Layout: file header, program headers (PT_NOTE first when there are
 * segment notes, then the PT_LOADs), the segment notes, the section notes,
 * the PT_LOAD file bytes, and finally two section headers (null + SHT_NOTE)
 * when there are section notes.  Offsets are kept 8-byte aligned.
 */
#include "lib.h"
#include "runner.h"
#include "elf-build.h"

static uint64_t align8(uint64_t v)
{
    return (v + 7) & ~7ULL;
}

static uint64_t notes_size(const struct test_note *n, unsigned int nr)
{
    uint64_t sz = 0;

    for ( unsigned int i = 0; i < nr; i++ )
        sz += 12 + ((strlen(n[i].name) + 1 + 3) & ~3ULL) + ((n[i].descsz + 3) & ~3ULL);
    return sz;
}

static void put_notes(uint8_t *p, const struct test_note *n, unsigned int nr)
{
    for ( unsigned int i = 0; i < nr; i++ )
    {
        struct elf64_nhdr nh = {
            .n_namesz = (uint32_t)strlen(n[i].name) + 1,
            .n_descsz = n[i].descsz,
            .n_type = n[i].type,
        };

        memcpy(p, &nh, sizeof(nh));
        p += sizeof(nh);
        memcpy(p, n[i].name, nh.n_namesz);
        p += (nh.n_namesz + 3) & ~3u;
        memcpy(p, n[i].desc, nh.n_descsz);
        p += (nh.n_descsz + 3) & ~3u;
    }
}

uint8_t *elf_build(const struct elf_spec *spec, struct elf_layout *lay)
{
    struct elf64_ehdr eh = { 0 };
    uint64_t off, nsz = notes_size(spec->notes, spec->nr_notes);
    uint64_t ssz = notes_size(spec->sec_notes, spec->nr_sec_notes);
    unsigned int ph = 0;
    uint8_t *img;

    memset(lay, 0, sizeof(*lay));
    lay->phnum = spec->nr_segs + (spec->nr_notes ? 1 : 0);
    lay->phoff = sizeof(eh);
    off = lay->phoff + lay->phnum * sizeof(struct elf64_phdr);
    lay->note_off = off = align8(off);
    lay->sec_note_off = off = align8(off + nsz);
    off = align8(off + ssz);
    for ( unsigned int i = 0; i < spec->nr_segs; i++ )
    {
        lay->seg_off[i] = off;
        off = align8(off + spec->segs[i].filesz);
    }
    lay->shoff = spec->nr_sec_notes ? off : 0;
    if ( spec->nr_sec_notes )
        off += 2 * sizeof(struct elf64_shdr);
    lay->size = off;
    img = test_alloc(off);

    memcpy(eh.e_ident, "\177ELF", 4);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = spec->entry;
    eh.e_phoff = lay->phoff;
    eh.e_shoff = lay->shoff;
    eh.e_ehsize = sizeof(eh);
    eh.e_phentsize = sizeof(struct elf64_phdr);
    eh.e_phnum = (uint16_t)lay->phnum;
    eh.e_shentsize = sizeof(struct elf64_shdr);
    eh.e_shnum = spec->nr_sec_notes ? 2 : 0;
    memcpy(img, &eh, sizeof(eh));

    if ( spec->nr_notes )
    {
        struct elf64_phdr p = {
            .p_type = PT_NOTE, .p_flags = 4, .p_offset = lay->note_off,
            .p_filesz = nsz, .p_memsz = nsz, .p_align = 4,
        };

        lay->note_phdr = ph;
        memcpy(img + lay->phoff + ph++ * sizeof(p), &p, sizeof(p));
        put_notes(img + lay->note_off, spec->notes, spec->nr_notes);
    }
    lay->load_phdr0 = ph;
    for ( unsigned int i = 0; i < spec->nr_segs; i++ )
    {
        struct elf64_phdr p = {
            .p_type = PT_LOAD, .p_flags = 7, .p_offset = lay->seg_off[i],
            .p_vaddr = spec->segs[i].paddr, .p_paddr = spec->segs[i].paddr,
            .p_filesz = spec->segs[i].filesz, .p_memsz = spec->segs[i].memsz,
            .p_align = 0x1000,
        };

        memcpy(img + lay->phoff + ph++ * sizeof(p), &p, sizeof(p));
        for ( uint64_t j = 0; j < spec->segs[i].filesz; j++ )
            img[lay->seg_off[i] + j] = seg_byte(i, j);
    }
    if ( spec->nr_sec_notes )
    {
        struct elf64_shdr sh = {
            .sh_type = SHT_NOTE, .sh_offset = lay->sec_note_off,
            .sh_size = ssz, .sh_addralign = 4,
        };

        put_notes(img + lay->sec_note_off, spec->sec_notes, spec->nr_sec_notes);
        memcpy(img + lay->shoff + sizeof(sh), &sh, sizeof(sh));
    }
    return img;
}

void spec_set_note(struct elf_spec *spec, struct test_note note)
{
    for ( unsigned int i = 0; i < spec->nr_notes; i++ )
        if ( spec->notes[i].type == note.type )
        {
            spec->notes[i] = note;
            return;
        }
    if ( spec->nr_notes < SPEC_MAX_NOTES )
        spec->notes[spec->nr_notes++] = note;
}

void spec_drop_note(struct elf_spec *spec, uint32_t type)
{
    for ( unsigned int i = 0; i < spec->nr_notes; i++ )
        if ( spec->notes[i].type == type )
        {
            spec->notes[i] = spec->notes[--spec->nr_notes];
            return;
        }
}

void spec_linux_like(struct elf_spec *spec)
{
    static const uint64_t virt_base = LINUX_VIRT_BASE, paddr_offset = 0;
    static const uint64_t entry = LINUX_VIRT_BASE + LINUX_PADDR + 0x10;
    static const uint64_t hypercall = LINUX_VIRT_BASE + LINUX_PADDR + 0x1000;

    memset(spec, 0, sizeof(*spec));
    spec->entry = LINUX_VIRT_BASE + LINUX_PADDR;
    spec->nr_segs = 1;
    spec->segs[0] = (struct test_seg){ LINUX_PADDR, 0x3000, 0x5000 };
    spec_set_note(spec, NOTE_STR(XEN_ELFNOTE_GUEST_OS, "xen-like-test"));
    spec_set_note(spec, NOTE_STR(XEN_ELFNOTE_GUEST_VERSION, "0.1"));
    spec_set_note(spec, NOTE_STR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"));
    spec_set_note(spec, NOTE_STR(XEN_ELFNOTE_LOADER, "generic"));
    spec_set_note(spec, (struct test_note){ "Xen", XEN_ELFNOTE_VIRT_BASE, &virt_base, 8 });
    spec_set_note(spec, (struct test_note){ "Xen", XEN_ELFNOTE_PADDR_OFFSET, &paddr_offset, 8 });
    spec_set_note(spec, (struct test_note){ "Xen", XEN_ELFNOTE_ENTRY, &entry, 8 });
    spec_set_note(spec, (struct test_note){ "Xen", XEN_ELFNOTE_HYPERCALL_PAGE, &hypercall, 8 });
    spec_set_note(spec, NOTE_STR(XEN_ELFNOTE_FEATURES, "!writable_page_tables"));
}
