/*
 * ns16550.c - the 16550 UART behind COM1, polled.
 *
 * The console is write-mostly and tiny, so there are no interrupts: output
 * waits for the transmit holding register, input is polled by console_io
 * and the debug keys.  com1=<baud>,<data><parity><stop> follows Xen's
 * spelling; only 8n1 framing is supported (others are warned about).
 */
#include "x86.h"
#include <stdbool.h>
#include "ns16550.h"

#define UART_THR 0
#define UART_RBR 0
#define UART_DLL 0
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR   0x01
#define LSR_THRE 0x20
#define LCR_DLAB 0x80

static uint16_t uart_base;

void ns16550_init(uint16_t base, unsigned int baud)
{
    unsigned int divisor = baud ? 115200 / baud : 1;

    bool first = !uart_base;

    if ( divisor == 0 )
        divisor = 1;
    uart_base = base;
    outb(base + UART_IER, 0);                 /* polled: no interrupts */
    outb(base + UART_LCR, LCR_DLAB);
    outb(base + UART_DLL, divisor & 0xff);
    outb(base + UART_DLM, (divisor >> 8) & 0xff);
    outb(base + UART_LCR, 0x03);              /* 8n1 */
    /* Enable the FIFOs; clear them only the first time, so that input typed
     * before com1= reprograms the line is not thrown away. */
    outb(base + UART_FCR, first ? 0x07 : 0x01);
    outb(base + UART_MCR, 0x03);              /* DTR, RTS */
}

void ns16550_putc(char c)
{
    unsigned int spins = 0;

    if ( !uart_base )
        return;
    /* A missing UART reads 0xff; give up rather than hang. */
    while ( !(inb(uart_base + UART_LSR) & LSR_THRE) && ++spins < 100000 )
        cpu_relax();
    outb(uart_base + UART_THR, (uint8_t)c);
}

int ns16550_getc(void)
{
    uint8_t lsr;

    if ( !uart_base )
        return -1;
    lsr = inb(uart_base + UART_LSR);
    if ( lsr == 0xff || !(lsr & LSR_DR) )
        return -1;
    return inb(uart_base + UART_RBR);
}
