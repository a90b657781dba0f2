/*
 * elf64.c - the ELF64 checks that do not depend on what the file is for.
 *
 * Any code reading an ELF image straight from a boot module must first be
 * sure that the file header is one it understands and that the program
 * and section header tables lie inside the bytes it was given; after that,
 * individual headers can be copied out by index without further checks.
 * These are those steps.  The Xen-specific reading of a PV kernel (its
 * notes and placement rules) is built on them in common/libelf.c.
 *
 * Headers are copied out with memcpy, never dereferenced in place: an
 * image can sit at any alignment, and a misaligned load is undefined
 * behaviour in C even where x86 would tolerate it.
 */
#include "lib.h"
#include "libelf.h"

static int fail(const char **why, const char *msg)
{
    if ( why )
        *why = msg;
    return -XEN_EINVAL;
}

bool elf_in_image(size_t size, uint64_t off, uint64_t len)
{
    /* Written so that no sum can overflow, whatever off and len are. */
    return off <= size && len <= size - off;
}

void elf_read_phdr(const void *image, const struct elf64_ehdr *eh,
                   unsigned int i, struct elf64_phdr *ph)
{
    memcpy(ph, (const uint8_t *)image + eh->e_phoff + (uint64_t)i * sizeof(*ph),
           sizeof(*ph));
}

void elf_read_shdr(const void *image, const struct elf64_ehdr *eh,
                   unsigned int i, struct elf64_shdr *sh)
{
    memcpy(sh, (const uint8_t *)image + eh->e_shoff + (uint64_t)i * sizeof(*sh),
           sizeof(*sh));
}

int elf_check_header(const void *image, size_t size, const char **why)
{
    struct elf64_ehdr eh;

    if ( !image || size < sizeof(eh) )
        return fail(why, "image is smaller than an ELF header");
    memcpy(&eh, image, sizeof(eh));

    if ( memcmp(eh.e_ident, "\177ELF", 4) )
        return fail(why, "not an ELF image (bad magic)");
    if ( eh.e_ident[EI_CLASS] != ELFCLASS64 )
        return fail(why, "not a 64-bit ELF image (ELFCLASS64 expected)");
    if ( eh.e_ident[EI_DATA] != ELFDATA2LSB )
        return fail(why, "not a little-endian ELF image");
    if ( eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT )
        return fail(why, "unknown ELF version");
    if ( eh.e_machine != EM_X86_64 )
        return fail(why, "not an x86-64 ELF image (EM_X86_64 expected)");
    if ( eh.e_type != ET_EXEC )
        return fail(why, "not an executable ELF image (ET_EXEC expected)");

    if ( eh.e_phentsize != sizeof(struct elf64_phdr) )
        return fail(why, "e_phentsize is not the size of an ELF64 program header");
    if ( eh.e_phnum == 0 )
        return fail(why, "image has no program headers");
    if ( eh.e_phnum > ELF_MAX_PHNUM )
        return fail(why, "image has too many program headers");
    if ( !elf_in_image(size, eh.e_phoff, (uint64_t)eh.e_phnum * eh.e_phentsize) )
        return fail(why, "program header table lies outside the image");

    /* Sections are optional, but if there is a table it must be sound. */
    if ( eh.e_shnum )
    {
        if ( eh.e_shentsize != sizeof(struct elf64_shdr) )
            return fail(why, "e_shentsize is not the size of an ELF64 section header");
        if ( !elf_in_image(size, eh.e_shoff, (uint64_t)eh.e_shnum * eh.e_shentsize) )
            return fail(why, "section header table lies outside the image");
    }

    return 0;
}
