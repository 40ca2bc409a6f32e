/*
 * console/cons_out.c against simulated console backends: an honest peer that
 * reads a little at each wait, one that reads only when signalled, a stuck
 * one, one that lies about its index, and one that recovers.  Time is
 * simulated, so "stuck for 5 s" costs nothing and can be measured exactly.
 * The console page is malloc'ed at its exact size (AddressSanitizer).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cons_out.h"
#include "unit.h"

#define STALL 5000000000ull
#define OUT   sizeof(((struct xencons_interface *)0)->out)

static unsigned long long seed = 5;

enum peer { HONEST, ON_SIGNAL, STUCK, TRICKLE, LATE };

struct sim {
    struct xencons_interface *intf;
    enum peer peer;
    size_t per_wait;   /* bytes an honest peer reads per wake-up */
    uint64_t bound_at; /* LATE: signals before this time are lost */
    uint64_t now;
    bool signalled;            /* the peer signalled us since the last arm */
    bool race_in_arm;          /* the peer reads just after we arm */
    unsigned long lie_at_wait; /* at this wait the peer claims 5000 bytes read */
    unsigned long notifies, waits, arms, long_waits;
    char *seen; /* what the peer has read */
    size_t seen_n, seen_cap;
};

static struct sim sim;
static struct cons_out out;

/* The peer reads up to @n bytes and signals, as xenconsoled does. */
static void peer_read(size_t n)
{
    struct xencons_interface *intf = sim.intf;
    uint32_t used = intf->out_prod - intf->out_cons;

    if (used > OUT)
        return;
    if (n > used)
        n = used;
    for (size_t i = 0; i < n; i++) {
        if (sim.seen_n == sim.seen_cap) {
            sim.seen_cap = sim.seen_cap ? 2 * sim.seen_cap : 4096;
            sim.seen = realloc(sim.seen, sim.seen_cap);
        }
        sim.seen[sim.seen_n++] = intf->out[MASK_XENCONS_IDX(intf->out_cons + i, intf->out)];
    }
    intf->out_cons += (uint32_t)n;
    if (n)
        sim.signalled = true;
}

static uint64_t env_now(void *ctx)
{
    (void)ctx;
    return sim.now;
}

static void env_notify(void *ctx)
{
    (void)ctx;
    sim.notifies++;
    if (sim.peer == ON_SIGNAL || (sim.peer == LATE && sim.now >= sim.bound_at))
        peer_read(sim.per_wait);
}

static void env_arm(void *ctx)
{
    (void)ctx;
    sim.arms++;
    sim.signalled = false;
    if (sim.race_in_arm)
        peer_read(sim.per_wait);
}

static void env_wait(void *ctx, uint64_t deadline)
{
    (void)ctx;
    sim.waits++;
    if (sim.waits == sim.lie_at_wait) {
        sim.intf->out_cons = sim.intf->out_prod + 5000;
        sim.signalled = true;
    }
    if (sim.signalled) {
        sim.now += 1000;
        return;
    }
    if (sim.peer == HONEST) {
        sim.now += 1000;
        peer_read(sim.per_wait);
        return;
    }
    if (sim.peer == TRICKLE) {
        /* A byte every 4.9 s: progress, but too little to count. */
        sim.now += 4900000000ull;
        if (sim.now > deadline)
            sim.now = deadline;
        else
            peer_read(1);
        return;
    }
    /* Nothing will come: the wait runs to its deadline. */
    sim.long_waits++;
    if (deadline > sim.now)
        sim.now = deadline;
}

static const struct cons_out_env env = {
    .now = env_now,
    .notify = env_notify,
    .arm = env_arm,
    .wait = env_wait,
};

static void reset(enum peer peer, size_t per_wait)
{
    free(sim.seen);
    free(sim.intf);
    memset(&sim, 0, sizeof(sim));
    sim.intf = malloc(sizeof(*sim.intf));
    memset(sim.intf, 0, sizeof(*sim.intf));
    sim.intf->out_cons = sim.intf->out_prod = 0xfffff000u; /* wraps on the way */
    sim.peer = peer;
    sim.per_wait = per_wait;
    sim.now = 1000000;
    cons_out_init(&out, sim.intf, &env, STALL);
}

/* Everything left in the ring, as a peer catching up would read it. */
static void peer_catch_up(void)
{
    peer_read(OUT);
}

static char *text(size_t n)
{
    char *t = malloc(n);

    for (size_t i = 0; i < n; i++)
        t[i] = (i % 61 == 60) ? '\n' : (char)('a' + i % 26);
    return t;
}

static size_t expand_all(const char *s, size_t n, char *dst)
{
    size_t m = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            dst[m++] = '\r';
        dst[m++] = s[i];
    }
    return m;
}

static void expand(void)
{
    char dst[8];
    size_t used;

    CHECK(cons_out_expand("a\nb", 3, dst, 8, &used) == 4 && used == 3 &&
              memcmp(dst, "a\r\nb", 4) == 0,
          "LF becomes CR LF");
    CHECK(cons_out_expand("a\nb", 3, dst, 3, &used) == 3 && used == 2, "fits exactly");
    CHECK(cons_out_expand("a\nb", 3, dst, 2, &used) == 1 && used == 1, "CR LF never split");
    CHECK(cons_out_expand("\n\n", 2, dst, 3, &used) == 2 && used == 1, "one pair of two");
    CHECK(cons_out_expand("", 0, dst, 2, &used) == 0 && used == 0, "empty");
}

static void honest_slow_peer(void)
{
    reset(HONEST, 100);
    size_t n = 20000;
    char *t = text(n), *want = malloc(2 * n);
    size_t want_n = expand_all(t, n, want);

    CHECK(cons_out_write(&out, t, n) == n, "all delivered to a slow but honest peer");
    CHECK(out.dropped_total == 0 && out.state == CONS_OUT_FLOWING, "nothing dropped");
    CHECK(cons_out_drain(&out), "drained");
    CHECK(sim.seen_n == want_n && memcmp(sim.seen, want, want_n) == 0,
          "the peer read exactly the text, LF as CR LF (%zu of %zu bytes)", sim.seen_n, want_n);
    CHECK(sim.long_waits == 0, "no wait ran to its deadline");
    free(t);
    free(want);
}

/* A peer that reads only when signalled: no signal may be missed, no wait slept through. */
static void peer_reading_on_signal(void)
{
    for (int race = 0; race < 2; race++) {
        reset(ON_SIGNAL, 300);
        sim.race_in_arm = race;
        size_t n = 10000;
        char *t = text(n);

        CHECK(cons_out_write(&out, t, n) == n, "race %d: all delivered", race);
        CHECK(sim.long_waits == 0, "race %d: %lu waits slept to the deadline", race,
              sim.long_waits);
        CHECK(cons_out_drain(&out), "race %d: drained", race);
        free(t);
    }
}

static void stuck_peer(void)
{
    reset(STUCK, 0);
    size_t n = 5000;
    char *t = text(n);
    uint64_t start = sim.now;
    size_t put = cons_out_write(&out, t, n);

    CHECK(put > 0 && put < n, "part went in before the ring filled (%zu)", put);
    CHECK(out.state == CONS_OUT_STUCK && out.stalls == 1, "the peer is stuck");
    CHECK(sim.now - start == STALL, "waited exactly the stall time (%llu ns)",
          (unsigned long long)(sim.now - start));
    CHECK(out.dropped == n - put, "the rest counted as dropped (%lu)", out.dropped);
    CHECK(sim.notifies > 0, "the peer was signalled before we waited");

    /* Later writes: dropped at once, no more waiting. */
    uint64_t then = sim.now;
    unsigned long waits = sim.waits;

    unsigned long notifies = sim.notifies;

    CHECK(cons_out_write(&out, t, 100) == 0, "nothing goes in while stuck");
    CHECK(sim.now == then && sim.waits == waits, "and no time is spent");
    CHECK(sim.notifies == notifies + 1, "but the peer is signalled, in case it missed one");
    CHECK(out.dropped == n - put + 100, "counted");
    CHECK(!cons_out_drain(&out), "a stuck peer does not drain");
    CHECK(sim.now == then, "drain does not wait on a stuck peer");

    /* Recovery: the peer reads everything; the next write starts with the note. */
    unsigned long lost = out.dropped;

    peer_catch_up();
    size_t before = sim.seen_n;

    sim.peer = HONEST;
    sim.per_wait = 4096;
    CHECK(cons_out_write(&out, "back\n", 5) == 5, "writes go in again");
    peer_catch_up();

    char want[200];
    int w = snprintf(want, sizeof(want),
                     "\r\nconsole: %lu bytes of output dropped: the console backend made no room "
                     "for 5000 ms\r\nback\r\n",
                     lost);

    CHECK(sim.seen_n - before == (size_t)w && memcmp(sim.seen + before, want, (size_t)w) == 0,
          "the note then the text: '%.*s'", (int)(sim.seen_n - before), sim.seen + before);
    CHECK(out.state == CONS_OUT_FLOWING && out.dropped == 0, "flowing, count reset");
    CHECK(out.dropped_total == lost, "the total keeps it");
    free(t);
}

/*
 * A peer that binds its end of the channel late (xenconsoled restarted):
 * signals sent before are lost, so the writer must signal again as it waits.
 */
static void late_peer(void)
{
    reset(LATE, 4096);
    sim.bound_at = sim.now + STALL / 3;
    size_t n = 5000;
    char *t = text(n);
    uint64_t start = sim.now;

    CHECK(cons_out_write(&out, t, n) == n, "all delivered once the peer is there");
    CHECK(out.state == CONS_OUT_FLOWING, "never stuck");
    CHECK(sim.now - start < STALL / 2, "the wait ended soon after the peer came (%llu ns)",
          (unsigned long long)(sim.now - start));
    free(t);
}

/* A byte now and then does not keep a write waiting. */
static void trickling_peer(void)
{
    reset(TRICKLE, 0);
    size_t n = 5000;
    char *t = text(n);
    uint64_t start = sim.now;
    size_t put = cons_out_write(&out, t, n);

    CHECK(out.state == CONS_OUT_STUCK, "a trickle counts as stuck");
    CHECK(sim.now - start == STALL, "after one stall time (%llu ns)",
          (unsigned long long)(sim.now - start));
    /* The ring's worth (less a CR for each LF) and the byte or so trickled. */
    CHECK(put > OUT - OUT / 60 - 2 && put < OUT, "the ring's worth (%zu)", put);
    free(t);
}

static void lying_peer(void)
{
    reset(HONEST, 64);
    struct xencons_interface *intf = sim.intf;

    CHECK(cons_out_write(&out, "ok\n", 3) == 3, "before the lie");
    peer_catch_up();

    /* Claims to have read 3000 bytes we never wrote. */
    uint32_t prod = intf->out_prod;

    intf->out_cons = prod + 3000;
    uint64_t then = sim.now;

    CHECK(cons_out_write(&out, "lost\n", 5) == 0, "nothing written past a lie");
    CHECK(out.state == CONS_OUT_LIED && out.lies == 1, "the lie is noticed");
    CHECK(intf->out_prod == prod, "our index untouched");
    CHECK(sim.now == then, "no waiting on a liar");
    CHECK(!cons_out_drain(&out), "a liar does not drain");

    /* Behind instead: prod - cons more than the ring. */
    intf->out_cons = prod - (uint32_t)OUT - 1;
    CHECK(cons_out_write(&out, "lost2\n", 6) == 0, "still nothing");

    /* The peer puts its index back: the note names the first lie. */
    intf->out_cons = prod;
    size_t before = sim.seen_n;

    CHECK(cons_out_write(&out, "x", 1) == 1, "writes resume");
    peer_catch_up();

    char want[200];
    int w = snprintf(want, sizeof(want),
                     "\r\nconsole: 11 bytes of output dropped: the console backend's ring "
                     "indices were impossible (out_prod %u, out_cons %u)\r\nx",
                     prod, prod + 3000);

    CHECK(sim.seen_n - before == (size_t)w && memcmp(sim.seen + before, want, (size_t)w) == 0,
          "the note: '%.*s'", (int)(sim.seen_n - before), sim.seen + before);
}

/* A wild index out of nowhere, and a lie in the middle of a long write. */
static void lie_mid_write(void)
{
    reset(HONEST, 50);
    size_t n = 6000;
    char *t = text(n);

    CHECK(cons_out_write(&out, t, 100) == 100, "ordinary write");
    sim.intf->out_cons = 0x12345678u;
    CHECK(cons_out_write(&out, t, n) == 0 && out.state == CONS_OUT_LIED, "wild index: refused");
    CHECK(out.dropped == n, "all counted");

    reset(HONEST, 50);
    sim.lie_at_wait = 10;
    size_t put = cons_out_write(&out, t, n);

    CHECK(put > OUT && put < n, "part went in before the lie (%zu)", put);
    CHECK(out.state == CONS_OUT_LIED && out.dropped == n - put, "the rest dropped");
    CHECK(sim.waits == 10, "no wait after the lie (%lu)", sim.waits);
    free(t);
}

/* Random peers: whatever they do, delivered + dropped adds up and no write hangs. */
static void random_peers(void)
{
    for (int round = 0; round < 300; round++) {
        reset((enum peer)(unit_rand(&seed) % 4), unit_rand(&seed) % 700);
        size_t total = 0, delivered = 0;

        for (int i = 0; i < 20; i++) {
            size_t n = unit_rand(&seed) % 3000;
            char *t = text(n ? n : 1);
            uint64_t start = sim.now;
            unsigned long long r = unit_rand(&seed) % 10;

            if (r == 0)
                sim.intf->out_cons = (uint32_t)unit_rand(&seed);
            else if (r == 1)
                peer_catch_up();
            else if (r == 2)
                sim.peer = (enum peer)(unit_rand(&seed) % 4);

            size_t put = cons_out_write(&out, t, n);

            CHECK(put <= n, "delivered more than given");
            total += n;
            delivered += put;
            /* One stall, one more per CONS_OUT_PROGRESS bytes put, 1 us per wake-up. */
            CHECK(sim.now - start <= STALL * (2 + (2 * n + 400) / CONS_OUT_PROGRESS) +
                                         1000ull * (2 * n + OUT + 400),
                  "round %d: a write took %llu ns", round, (unsigned long long)(sim.now - start));
            free(t);
        }
        CHECK(delivered + out.dropped_total == total, "round %d: %zu + %lu != %zu", round,
              delivered, out.dropped_total, total);
    }
}

int main(void)
{
    expand();
    honest_slow_peer();
    peer_reading_on_signal();
    stuck_peer();
    trickling_peer();
    late_peer();
    lying_peer();
    lie_mid_write();
    random_peers();
    free(sim.seen);
    free(sim.intf);
    return unit_result("cons_out");
}
