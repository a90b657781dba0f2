#ifndef XL_NS16550_H
#define XL_NS16550_H
#include <stdint.h>
#define COM1_BASE 0x3f8
void ns16550_init(uint16_t base, unsigned int baud);
void ns16550_putc(char c);
int ns16550_getc(void);
#endif
