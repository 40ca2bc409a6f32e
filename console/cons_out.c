/*
 * Console output into a shared ring with flow control (include/kernel/
 * cons_out.h says what happens to a stuck or lying peer).
 *
 * Lost wake-ups: the peer signals when it has read, and a signal that
 * arrives between "the ring is full" and "sleep" must not be slept through.
 * So on a full ring we arm (forget older signals), look at the ring once
 * more, and only then wait: a signal after the arm ends the wait at once.
 */
#include "cons_out.h"
#include <kernel/format.h>
#include <kernel/ring.h>

#define OUT_SIZE sizeof(((struct xencons_interface *)0)->out)

/*
 * A waiting writer signals the peer again this many times per stall_ns: a
 * signal can be lost (Xen drops one sent before the peer has bound its end
 * of the channel), and a peer that never heard of the full ring would never
 * empty it.
 */
#define RESIGNALS 20

void cons_out_init(struct cons_out *o, struct xencons_interface *intf,
                   const struct cons_out_env *env, uint64_t stall_ns)
{
    *o = (struct cons_out){.intf = intf, .env = env, .stall_ns = stall_ns};
}

size_t cons_out_expand(const char *src, size_t len, char *dst, size_t cap, size_t *used)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++) {
        if (src[i] == '\n') {
            if (cap - n < 2)
                break;
            dst[n++] = '\r';
        } else if (n == cap) {
            break;
        }
        dst[n++] = src[i];
    }
    *used = i;
    return n;
}

/* How many of @src's first @len bytes are whole in the first @out expanded bytes. */
static size_t covered(const char *src, size_t len, size_t out)
{
    size_t i, cost = 0;

    for (i = 0; i < len; i++) {
        cost += src[i] == '\n' ? 2 : 1;
        if (cost > out)
            break;
    }
    return i;
}

static void signal_peer(struct cons_out *o)
{
    if (o->unsignalled) {
        o->unsignalled = false;
        o->env->notify(o->env->ctx);
    }
}

static long ring_used_out(struct cons_out *o)
{
    return ring_used(OUT_SIZE, &o->intf->out_cons, &o->intf->out_prod);
}

static uint64_t wake_time(const struct cons_out *o, uint64_t now, uint64_t deadline)
{
    uint64_t slice = o->stall_ns / RESIGNALS;

    return slice && now + slice < deadline ? now + slice : deadline;
}

static void lied(struct cons_out *o)
{
    /* For the note only: whatever they are now, they are never used. */
    o->lie_prod = *(volatile uint32_t *)&o->intf->out_prod;
    o->lie_cons = *(volatile uint32_t *)&o->intf->out_cons;
    o->state = CONS_OUT_LIED;
    o->lies++;
}

/*
 * Puts raw bytes into the ring while the peer makes progress; returns how
 * many.  Progress is a quarter of the ring freed: a peer trickling a byte
 * now and then would otherwise keep us waiting almost forever.
 */
static size_t push(struct cons_out *o, const char *p, size_t len)
{
    const struct cons_out_env *env = o->env;
    size_t done = 0, made = 0;
    bool timing = false;
    uint64_t deadline = 0;

    while (done < len && o->state == CONS_OUT_FLOWING) {
        long n = xencons_write_out(o->intf, p + done, len - done);

        if (n == 0) {
            env->arm(env->ctx);
            n = xencons_write_out(o->intf, p + done, len - done);
        }
        if (n < 0) {
            lied(o);
            break;
        }
        if (n > 0) {
            done += (size_t)n;
            made += (size_t)n;
            o->unsignalled = true;
            if (made >= CONS_OUT_PROGRESS)
                timing = false;
            continue;
        }
        uint64_t now = env->now(env->ctx);

        if (!timing) {
            timing = true;
            made = 0;
            deadline = now + o->stall_ns;
        } else if (now >= deadline) {
            o->state = CONS_OUT_STUCK;
            o->stalls++;
            break;
        }
        /* The peer may be waiting for a signal before it reads at all. */
        o->unsignalled = true;
        signal_peer(o);
        env->wait(env->ctx, wake_time(o, now, deadline));
    }
    return done;
}

/* Expands and pushes @len bytes of @buf; returns how many of them went in whole. */
static size_t emit(struct cons_out *o, const char *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        char chunk[256];
        size_t used, n = cons_out_expand(buf + done, len - done, chunk, sizeof(chunk), &used);
        size_t put = push(o, chunk, n);

        if (put < n)
            return done + covered(buf + done, used, put);
        done += used;
    }
    return done;
}

/* A stuck or lying peer has room again: say what was lost, then carry on. */
static bool recover(struct cons_out *o)
{
    long used = ring_used_out(o);

    if (used < 0 || (size_t)used >= OUT_SIZE) {
        /* Still no room: make sure the peer knows there is something to read. */
        o->unsignalled = true;
        signal_peer(o);
        return false;
    }

    enum cons_out_state was = o->state;
    unsigned long lost = o->dropped;
    char note[192];
    int n;

    o->state = CONS_OUT_FLOWING;
    o->dropped = 0;
    if (lost == 0)
        return true;
    if (was == CONS_OUT_LIED)
        n = ksnprintf(note, sizeof(note),
                      "\nconsole: %lu bytes of output dropped: the console backend's ring "
                      "indices were impossible (out_prod %u, out_cons %u)\n",
                      lost, o->lie_prod, o->lie_cons);
    else
        n = ksnprintf(note, sizeof(note),
                      "\nconsole: %lu bytes of output dropped: the console backend made no "
                      "room for %lu ms\n",
                      lost, (unsigned long)(o->stall_ns / 1000000));
    if (n > (int)sizeof(note) - 1)
        n = (int)sizeof(note) - 1;
    emit(o, note, (size_t)n);
    signal_peer(o);
    return o->state == CONS_OUT_FLOWING;
}

static void drop(struct cons_out *o, size_t n)
{
    o->dropped += n;
    o->dropped_total += n;
}

size_t cons_out_write(struct cons_out *o, const char *buf, size_t len)
{
    size_t done = 0;

    if (len == 0)
        return 0;
    if (o->state == CONS_OUT_FLOWING || recover(o))
        done = emit(o, buf, len);
    drop(o, len - done);
    signal_peer(o);
    return done;
}

bool cons_out_drain(struct cons_out *o)
{
    const struct cons_out_env *env = o->env;

    if (o->state != CONS_OUT_FLOWING && !recover(o))
        return false;

    uint64_t deadline = env->now(env->ctx) + o->stall_ns;

    for (;;) {
        long used = ring_used_out(o);

        if (used > 0) {
            env->arm(env->ctx);
            used = ring_used_out(o);
        }
        if (used == 0)
            return true;
        if (used < 0) {
            lied(o);
            return false;
        }
        uint64_t now = env->now(env->ctx);

        if (now >= deadline)
            return false;
        o->unsignalled = true;
        signal_peer(o);
        env->wait(env->ctx, wake_time(o, now, deadline));
    }
}
