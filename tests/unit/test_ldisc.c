/*
 * console/ldisc.c: the console's input rules (CR and CR LF as LF, ^D as end
 * of file), the queue's limits, and pulling from a console ring whose peer
 * lies.  A long random run compares everything with a naive model that
 * cooks the whole stream at once and splits it at each ^D.  The console
 * page is malloc'ed at its exact size, so AddressSanitizer stops any access
 * outside it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ldisc.h"
#include <kernel/ring.h>
#include "unit.h"

static unsigned long long seed = 7;
static struct ldisc q;

static void put_str(const char *s)
{
    size_t n = strlen(s);

    CHECK(ldisc_put(&q, s, n) == n, "put of %zu bytes took fewer", n);
}

/* Reads once with room for @max and checks the result is @want (NULL: end of file). */
static void expect_get(size_t max, const char *want, const char *what)
{
    char buf[64];
    long n = ldisc_get(&q, buf, max);

    if (!want) {
        CHECK(n == 0, "%s: got %ld, wanted end of file", what, n);
        return;
    }
    CHECK(n == (long)strlen(want) && memcmp(buf, want, strlen(want)) == 0,
          "%s: got %ld bytes '%.*s', wanted '%s'", what, n, n > 0 ? (int)n : 0, buf, want);
}

static void expect_empty(const char *what)
{
    char c;

    CHECK(ldisc_get(&q, &c, 1) == LDISC_EMPTY, "%s: not empty", what);
    CHECK(!ldisc_readable(&q), "%s: readable", what);
}

static void basics(void)
{
    ldisc_init(&q);
    CHECK(ldisc_space(&q) == LDISC_SIZE, "space of an empty queue");
    expect_empty("new queue");
    put_str("abc");
    CHECK(ldisc_readable(&q), "readable with bytes");
    CHECK(ldisc_get(&q, NULL, 0) == 0, "a read of 0 bytes");
    expect_get(2, "ab", "partial read");
    expect_get(64, "c", "the rest");
    expect_empty("after reading all");
}

static void line_ends(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"a\nb", "a\nb"},       {"a\rb", "a\nb"},   {"a\r\nb", "a\nb"},
        {"a\n\rb", "a\n\nb"},   {"\r\r\n", "\n\n"}, {"\r\n\n", "\n\n"},
        {"\n\r\n\r", "\n\n\n"}, {"x\r\r", "x\n\n"}, {"\t\001\033[A", "\t\001\033[A"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ldisc_init(&q);
        put_str(cases[i].in);
        expect_get(64, cases[i].out, cases[i].in);
        expect_empty(cases[i].in);
    }

    /* CR at the end of one piece, LF at the start of the next: still one line end. */
    ldisc_init(&q);
    put_str("one\r");
    expect_get(64, "one\n", "CR alone so far");
    put_str("\ntwo\n");
    expect_get(64, "two\n", "the LF of a split CR LF");
}

static void end_of_file(void)
{
    ldisc_init(&q);
    put_str("abc\004def");
    expect_get(64, "abc", "bytes before ^D");
    expect_get(64, NULL, "the ^D");
    expect_get(64, "def", "bytes after ^D");
    expect_empty("after");

    put_str("\004\004x");
    expect_get(64, NULL, "first ^D");
    expect_get(64, NULL, "second ^D");
    expect_get(64, "x", "after two");

    put_str("ab\004");
    expect_get(1, "a", "a small read stops before");
    expect_get(64, "b", "the rest before ^D");
    expect_get(64, NULL, "^D");
    expect_empty("all taken");

    /* Closed: what is queued, then end of file for good. */
    put_str("zz");
    ldisc_close(&q);
    CHECK(ldisc_readable(&q), "closed is readable");
    expect_get(64, "zz", "queued before close");
    expect_get(64, NULL, "closed and empty");
    expect_get(64, NULL, "closed and empty, again");
}

static void full_queue(void)
{
    char *big = malloc(LDISC_SIZE + 10);

    memset(big, 'x', LDISC_SIZE + 10);
    ldisc_init(&q);
    CHECK(ldisc_put(&q, big, LDISC_SIZE + 10) == LDISC_SIZE, "a full queue takes no more");
    CHECK(ldisc_space(&q) == 0, "no space");
    CHECK(ldisc_put(&q, "y", 1) == 0, "nothing more fits");

    /* The LF of a CR LF needs no room, so it is taken even now. */
    ldisc_init(&q);
    CHECK(ldisc_put(&q, big, LDISC_SIZE - 1) == LDISC_SIZE - 1, "fill but one");
    CHECK(ldisc_put(&q, "\r\nq", 3) == 2, "CR fills it, its LF is dropped, q waits");
    CHECK(ldisc_space(&q) == 0, "full again");
    free(big);
}

/* The model: the whole stream cooked at once, then split at each ^D. */
static size_t model_cook(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t m = 0;
    int cr = 0;

    for (size_t i = 0; i < n; i++) {
        if (in[i] == '\n' && cr) {
            cr = 0;
            continue;
        }
        cr = in[i] == '\r';
        out[m++] = in[i] == '\r' ? '\n' : in[i];
    }
    return m;
}

static void random_against_model(void)
{
    enum { STREAM = 200000 };
    unsigned char *in = malloc(STREAM), *cooked = malloc(STREAM), *got = malloc(STREAM);
    static const unsigned char alphabet[] = {'a', 'b', '\r', '\n', 4, 0, 0xff};
    size_t fed = 0, got_n = 0, eofs_model = 0, eofs_got = 0;

    for (size_t i = 0; i < STREAM; i++)
        in[i] = alphabet[unit_rand(&seed) % sizeof(alphabet)];
    size_t cooked_n = model_cook(in, STREAM, cooked);

    ldisc_init(&q);
    while (fed < STREAM || ldisc_readable(&q)) {
        if (fed < STREAM && unit_rand(&seed) % 2) {
            size_t want = unit_rand(&seed) % 300;
            size_t space = ldisc_space(&q);

            if (want > STREAM - fed)
                want = STREAM - fed;
            size_t took = ldisc_put(&q, in + fed, want);

            CHECK(took <= want, "took more than offered");
            if (want <= space)
                CHECK(took == want, "within the space, everything is taken");
            fed += took;
        } else {
            unsigned char buf[512];
            size_t max = 1 + unit_rand(&seed) % sizeof(buf);
            long n = ldisc_get(&q, buf, max);

            if (n == LDISC_EMPTY) {
                if (fed == STREAM)
                    break;
                continue;
            }
            CHECK(n >= 0 && (size_t)n <= max, "read of %zu gave %ld", max, n);
            if (n == 0) {
                eofs_got++;
                got[got_n++] = 4;
                continue;
            }
            for (long i = 0; i < n; i++)
                CHECK(buf[i] != 4, "a ^D was returned");
            memcpy(got + got_n, buf, (size_t)n);
            got_n += (size_t)n;
        }
    }
    for (size_t i = 0; i < cooked_n; i++)
        eofs_model += cooked[i] == 4;
    CHECK(got_n == cooked_n, "%zu bytes out, the model has %zu", got_n, cooked_n);
    CHECK(eofs_got == eofs_model, "%zu ends of file, the model has %zu", eofs_got, eofs_model);
    CHECK(memcmp(got, cooked, got_n < cooked_n ? got_n : cooked_n) == 0, "stream differs");
    free(in);
    free(cooked);
    free(got);
}

/* The peer (xenconsoled) produces into `in`. */
static void peer_put(struct xencons_interface *intf, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        intf->in[MASK_XENCONS_IDX(intf->in_prod + i, intf->in)] = s[i];
    intf->in_prod += (uint32_t)n;
}

static void pull_from_ring(void)
{
    struct xencons_interface *intf = malloc(sizeof(*intf));
    char buf[64];

    memset(intf, 0, sizeof(*intf));
    ldisc_init(&q);
    CHECK(ldisc_pull_ring(&q, intf) == 0, "empty ring");

    intf->in_cons = intf->in_prod = 0xfffffffcu; /* about to wrap */
    peer_put(intf, "hi\r\nthere", 9);
    CHECK(ldisc_pull_ring(&q, intf) == 9, "all 9 bytes");
    CHECK(intf->in_cons == intf->in_prod, "in_cons advanced to in_prod");
    expect_get(64, "hi\nthere", "pulled and cooked");

    /* A whole ring's worth, and the queue nearly full: only what fits moves. */
    char *big = malloc(LDISC_SIZE);

    memset(big, 'x', LDISC_SIZE);
    ldisc_put(&q, big, LDISC_SIZE - 100);
    peer_put(intf, big, sizeof(intf->in));
    CHECK(ldisc_pull_ring(&q, intf) == 100, "only the queue's space");
    CHECK(intf->in_prod - intf->in_cons == sizeof(intf->in) - 100, "the rest waits in the ring");
    free(big);

    /* Lies: more unread than the ring holds, either way round. */
    ldisc_init(&q);
    uint32_t cons = intf->in_cons;
    const uint32_t lies[] = {sizeof(intf->in) + 1, 0x80000000u, 0xffffffffu};

    for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
        intf->in_prod = cons + lies[i];
        CHECK(ldisc_pull_ring(&q, intf) == RING_ERR_INDEX, "lie %zu refused", i);
        CHECK(intf->in_cons == cons, "lie %zu: in_cons untouched", i);
        CHECK(ldisc_get(&q, buf, sizeof(buf)) == LDISC_EMPTY, "lie %zu: nothing queued", i);
    }
    free(intf);
}

/* The modes termios sets: each rule off on its own, both off, back on; a flush. */
static void modes(void)
{
    ldisc_init(&q);
    CHECK(q.mode == (LDISC_CRNL | LDISC_EOF), "both rules on at first");
    ldisc_set_mode(&q, LDISC_EOF);
    put_str("a\rb\r\nc");
    expect_get(64, "a\rb\r\nc", "CR and CR LF as sent without LDISC_CRNL");
    put_str("d\004e");
    expect_get(64, "d", "^D still ends a read");
    expect_get(64, NULL, "and is end of file");
    ldisc_set_mode(&q, LDISC_CRNL);
    put_str("f\r\n\004g");
    expect_get(64, "ef\n\004g", "^D as data without LDISC_EOF, CR LF as LF");
    ldisc_set_mode(&q, 0);
    put_str("\r\n\004\r");
    expect_get(64, "\r\n\004\r", "raw: every byte as sent");
    ldisc_set_mode(&q, LDISC_CRNL | LDISC_EOF | 0x80);
    CHECK(q.mode == (LDISC_CRNL | LDISC_EOF), "unknown mode bits ignored");
    put_str("\nh\r\ni");
    expect_get(64, "\nh\ni", "cooked again: the LF after a raw CR is a line of its own");
    put_str("queued\004");
    ldisc_flush(&q);
    expect_empty("after a flush");
    put_str("j");
    expect_get(64, "j", "input after a flush");
}

int main(void)
{
    basics();
    line_ends();
    end_of_file();
    full_queue();
    random_against_model();
    pull_from_ring();
    modes();
    return unit_result("ldisc");
}
