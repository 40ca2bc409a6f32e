/*
 * Multicalls: several hypercalls for the price of one guest/Xen transition.
 *
 *     multicall_begin();
 *     multicall_add(__HYPERVISOR_update_va_mapping, va1, pte1, 0);
 *     multicall_add(__HYPERVISOR_update_va_mapping, va2, pte2, UVMF_INVLPG);
 *     rc = multicall_flush(&err);
 *
 * The batch lives in a per-vCPU buffer and events stay masked from begin to
 * flush, so an event handler cannot interleave its own batch.  Xen runs the
 * entries in order and records each one's result; multicall_flush() returns
 * 0 if all succeeded, else the first failure's error, with @err naming the
 * entry (its index in the batch and its hypercall).  Entries after a failed
 * one still run: Xen does not stop a batch.  A batch larger than the buffer
 * is flushed in parts; the indices still count from the first entry.
 */
#ifndef MINIOS_MULTICALL_H
#define MINIOS_MULTICALL_H

#include <minios/xen.h>

#pragma GCC visibility push(default)

#define MULTICALL_MAX 32

struct multicall_error {
    unsigned int index; /* entry number since multicall_begin() */
    unsigned int op;    /* its hypercall number */
    long rc;            /* its result */
};

void multicall_begin(void);

#define multicall_add(op, ...) multicall_add_args((op), (unsigned long[6]){__VA_ARGS__})
void multicall_add_args(unsigned int op, const unsigned long args[6]);

/* Issues the batch; 0, or the first failing entry's error (see @err). */
long multicall_flush(struct multicall_error *err);

/* The name of hypercall @nr ("update_va_mapping"), for messages. */
const char *hypercall_name(unsigned int nr);

#pragma GCC visibility pop

#endif /* MINIOS_MULTICALL_H */
