/* crt0.S - user program entry: rsp = top of the stack (16-byte aligned). */
#include "sys.h"
    .section .text.start, "ax"
    .globl _start
_start:
    xorl    %ebp, %ebp
    call    main
    movl    %eax, %edi
    movl    $SYS_exit, %eax
    syscall
    ud2
    .section .note.GNU-stack, "", @progbits
