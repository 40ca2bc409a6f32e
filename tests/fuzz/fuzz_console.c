/*
 * libFuzzer target for the console's own use of a shared ring: input
 * through console/ldisc.c (ldisc_pull_ring, then reads) and output through
 * console/cons_out.c (flow control, stuck and lying peers), on a console page
 * malloc'ed at its exact size.  The input is a script of two-byte
 * operations; the peer is honest, slow, stuck, or sets an index to four
 * bytes of the input, in the middle of a write if it likes.
 *
 * Checked against naive models: while the input peer is honest, reads
 * return exactly its bytes cooked (CR and CR LF as LF, split at ^D); a lie
 * is refused with RING_ERR_INDEX and touches nothing.  On output, delivered
 * plus dropped is always what was written, no write waits longer than one
 * stall per CONS_OUT_PROGRESS bytes of progress (plus one), and while the output peer has never
 * lied nor stalled it reads exactly what was written, LF as CR LF.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cons_out.h"
#include "ldisc.h"
#include <kernel/ring.h>
#include "fuzz_input.h"

#define STALL      1000000000ull
#define IN_SIZE    sizeof(((struct xencons_interface *)0)->in)
#define OUT_SIZE   sizeof(((struct xencons_interface *)0)->out)
#define MAX_STREAM 65536

static struct xencons_interface *intf;

/* --- input: the peer produces, we pull and read --- */

static struct ldisc q;
static bool in_honest;
static uint8_t raw[MAX_STREAM]; /* what the honest peer produced */
static size_t raw_n;
static uint8_t got[MAX_STREAM]; /* what reads returned; ^D for an end of file */
static size_t got_n;

static void peer_produce(struct input *in, size_t n)
{
    uint32_t used = intf->in_prod - intf->in_cons;

    if (!in_honest || used > IN_SIZE)
        return;
    if (n > IN_SIZE - used)
        n = IN_SIZE - used;
    if (n > MAX_STREAM - raw_n)
        n = MAX_STREAM - raw_n;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = next_byte(in);

        /* Mostly the bytes the rules are about. */
        c = (c & 0x80) ? "ab\r\n\004"[c % 5] : c;
        intf->in[MASK_XENCONS_IDX(intf->in_prod + i, intf->in)] = (char)c;
        raw[raw_n++] = c;
    }
    intf->in_prod += (uint32_t)n;
}

static void our_pull(void)
{
    uint32_t c0 = intf->in_cons, p0 = intf->in_prod;
    size_t space = ldisc_space(&q);
    long n = ldisc_pull_ring(&q, intf);

    ASSERT(intf->in_prod == p0);
    if (space == 0) {
        /* A full queue does not even look at the ring. */
        ASSERT(n == 0 && intf->in_cons == c0);
    } else if ((uint32_t)(p0 - c0) > IN_SIZE) {
        ASSERT(n == RING_ERR_INDEX);
        ASSERT(intf->in_cons == c0);
        ASSERT(ldisc_space(&q) == space);
    } else {
        uint32_t avail = p0 - c0;

        /* All of it, or until the queue is full (an LF after a CR takes no room). */
        ASSERT(n >= (long)(avail < space ? avail : space) && n <= (long)avail);
        ASSERT(n == (long)avail || ldisc_space(&q) == 0);
        ASSERT(intf->in_cons == c0 + (uint32_t)n);
    }
}

static void our_read(size_t max)
{
    uint8_t buf[300];
    uint32_t head = q.head;
    long n = ldisc_get(&q, buf, max);

    if (max == 0) {
        ASSERT(n == 0);
        return;
    }
    if (n == LDISC_EMPTY)
        return;
    ASSERT(n >= 0 && (size_t)n <= max);
    if (got_n + (size_t)n + 1 > MAX_STREAM) {
        in_honest = false; /* a lying peer can feed us forever: stop comparing */
        got_n = 0;
    }
    if (n == 0) {
        /* A ^D taken, or closed and empty (which takes nothing). */
        if (q.head != head)
            got[got_n++] = 4;
        else
            ASSERT(q.closed);
        return;
    }
    for (long i = 0; i < n; i++)
        ASSERT(buf[i] != 4);
    memcpy(got + got_n, buf, (size_t)n);
    got_n += (size_t)n;
}

/* While honest, what was read must be a prefix of the model's cooked stream. */
static void check_input(void)
{
    static uint8_t cooked[MAX_STREAM];
    size_t m = 0;
    bool cr = false;

    if (!in_honest)
        return;
    for (size_t i = 0; i < raw_n; i++) {
        if (raw[i] == '\n' && cr) {
            cr = false;
            continue;
        }
        cr = raw[i] == '\r';
        cooked[m++] = raw[i] == '\r' ? '\n' : raw[i];
    }
    ASSERT(got_n <= m);
    ASSERT(memcmp(got, cooked, got_n) == 0);
}

/* --- output: we write, the peer reads --- */

enum peer { HONEST, STUCK, ON_SIGNAL };

static struct cons_out out;
static enum peer peer;
static size_t per_wake;
static uint64_t now;
static bool signalled, out_clean;
static uint32_t lie_at_wait, waits, lie_value;
static uint8_t seen[4 * MAX_STREAM], sent[4 * MAX_STREAM];
static size_t seen_n, sent_n;

static void peer_read(size_t n)
{
    uint32_t used = intf->out_prod - intf->out_cons;

    if (used > OUT_SIZE)
        return;
    if (n > used)
        n = used;
    for (size_t i = 0; i < n && seen_n < sizeof(seen); i++)
        seen[seen_n++] = (uint8_t)intf->out[MASK_XENCONS_IDX(intf->out_cons + i, intf->out)];
    intf->out_cons += (uint32_t)n;
    if (n)
        signalled = true;
}

static uint64_t env_now(void *ctx)
{
    (void)ctx;
    return now;
}

static void env_notify(void *ctx)
{
    (void)ctx;
    if (peer == ON_SIGNAL)
        peer_read(per_wake);
}

static void env_arm(void *ctx)
{
    (void)ctx;
    signalled = false;
}

static void env_wait(void *ctx, uint64_t deadline)
{
    (void)ctx;
    if (++waits == lie_at_wait) {
        intf->out_cons = lie_value;
        out_clean = false;
    }
    if (signalled || (peer == HONEST && per_wake)) {
        now += 1000;
        if (!signalled)
            peer_read(per_wake);
        return;
    }
    if (deadline > now)
        now = deadline;
}

static const struct cons_out_env env = {
    .now = env_now,
    .notify = env_notify,
    .arm = env_arm,
    .wait = env_wait,
};

static void our_write(struct input *in, size_t n)
{
    char buf[600];
    uint64_t start = now;

    for (size_t i = 0; i < n; i++) {
        uint8_t c = next_byte(in);

        buf[i] = (char)((c & 0x80) ? '\n' : c);
    }
    unsigned long dropped0 = out.dropped_total;
    size_t put = cons_out_write(&out, buf, n);

    ASSERT(put <= n);
    ASSERT(out.dropped_total - dropped0 == n - put);
    /*
     * One stall, one more per CONS_OUT_PROGRESS bytes that went in once the
     * ring was full (the note and the text, expanded), 1 us per wake-up.
     */
    ASSERT(now - start <= STALL * (2 + (2 * n + 600) / CONS_OUT_PROGRESS) +
                              1000ull * (2 * n + 2 * OUT_SIZE + 600));
    if (out.dropped_total || out.state != CONS_OUT_FLOWING)
        out_clean = false;
    if (sent_n + 2 * put > sizeof(sent))
        out_clean = false;
    for (size_t i = 0; i < put && sent_n + 2 <= sizeof(sent); i++) {
        if (buf[i] == '\n')
            sent[sent_n++] = '\r';
        sent[sent_n++] = (uint8_t)buf[i];
    }
}

static void check_output(void)
{
    if (!out_clean)
        return;
    ASSERT(seen_n <= sent_n);
    ASSERT(memcmp(seen, sent, seen_n) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct input in = {data, len, 0};

    intf = malloc(sizeof(*intf));
    memset(intf, 0, sizeof(*intf));
    intf->in_cons = intf->in_prod = next_u32(&in);
    intf->out_cons = intf->out_prod = next_u32(&in);
    ldisc_init(&q);
    in_honest = true;
    raw_n = got_n = 0;
    cons_out_init(&out, intf, &env, STALL);
    peer = HONEST;
    per_wake = 64;
    now = 1;
    signalled = false;
    out_clean = true;
    lie_at_wait = waits = 0;
    seen_n = sent_n = 0;

    while (in.at < in.len) {
        uint8_t op = next_byte(&in);
        size_t arg = next_byte(&in);

        switch (op % 12) {
        case 0:
            peer_produce(&in, arg * 5);
            break;
        case 1:
            our_pull();
            break;
        case 2:
            our_read(arg);
            break;
        case 3:
            intf->in_prod = next_u32(&in);
            in_honest = false;
            break;
        case 4:
            /* The peer scribbles on our own index too: it is in the shared page. */
            intf->in_cons = next_u32(&in);
            in_honest = false;
            break;
        case 5:
            our_write(&in, arg * 2);
            break;
        case 6:
            peer = (enum peer)(arg % 3);
            per_wake = (size_t)(op >> 4) * 40;
            break;
        case 7:
            peer_read(arg * 10);
            break;
        case 8:
            lie_at_wait = waits + 1 + arg % 8;
            lie_value = next_u32(&in);
            break;
        case 9:
            intf->out_cons = next_u32(&in);
            out_clean = false;
            break;
        case 10: {
            uint64_t start = now;

            if (cons_out_drain(&out))
                ASSERT(intf->out_prod == intf->out_cons);
            ASSERT(now - start <= 2 * STALL);
            break;
        }
        default:
            if (arg & 1)
                ldisc_close(&q);
            check_input();
            check_output();
            break;
        }
    }
    check_input();
    check_output();
    free(intf);
    return 0;
}
