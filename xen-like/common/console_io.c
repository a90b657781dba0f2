/*
 * console_io.c - the guest's console: HYPERVISOR_console_io(cmd, count, buf).
 *
 * CONSOLEIO_write prints the guest's bytes on the serial line (dom0's raw,
 * as Xen does; other domains' with a "(dN) " prefix).  CONSOLEIO_read
 * returns characters typed on the serial line.  Real Xen release builds
 * refuse console_io to unprivileged domains (-EPERM); xen-like allows it,
 * so that test domUs can report without a console backend (a documented
 * divergence).
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"

long do_console_io(unsigned long cmd, unsigned long count, unsigned long buffer)
{
    struct domain *d = current->domain;
    char chunk[128];
    unsigned int n = (unsigned int)count;     /* the ABI's count is 32-bit */

    switch ( cmd )
    {
    case CONSOLEIO_write:
        for ( unsigned int done = 0; done < n; )
        {
            unsigned int len = n - done > sizeof(chunk) ? sizeof(chunk) : n - done;

            if ( copy_from_guest(chunk, buffer + done, len) )
                return -XEN_EFAULT;
            guest_console_write(d, chunk, len);
            done += len;
        }
        return 0;
    case CONSOLEIO_read:
    {
        unsigned int got = 0;
        int c;

        while ( got < n && got < sizeof(chunk) && (c = console_getc()) >= 0 )
            chunk[got++] = (char)c;
        if ( got && copy_to_guest(buffer, chunk, got) )
            return -XEN_EFAULT;
        return got;
    }
    default:
        return -XEN_ENOSYS;
    }
}
