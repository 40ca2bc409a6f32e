/*
 * The domU half of tests/domu.sh's xenstore test; dom0-hook.sh next to it
 * is the dom0 half, run by dom0's /init alongside `xl create`.
 *
 * We say who xenstore says we are, tell dom0 which ending we want
 * (data/want: "poweroff", or "reboot" when that is our argument), greet it
 * in data/hello, and answer its data/ping with the same value in
 * data/pong, woken by a watch.  Then we wait for dom0 to end us with `xl
 * shutdown` or `xl reboot`: minios_on_shutdown() below must run first.
 * Every step has a deadline, so a missing peer ends the run with a status
 * instead of a hang.
 */
#include <stdio.h>
#include <string.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/thread.h>
#include <minios/time.h>
#include <minios/xenstore.h>

/* Runs in the xenstore watch thread when dom0 asks us to stop. */
void minios_on_shutdown(const char *reason)
{
    printf("xenstore-app: shutdown hook: %s\n", reason);
    fflush(stdout);
}

static int fail(const char *what, long rc)
{
    printf("xenstore-app: %s failed: %ld (%s)\n", what, rc, xen_strerror(rc));
    return 1;
}

/* Waits for dom0's data/ping and answers it in data/pong. */
static int answer_ping(void)
{
    static struct xs_watch watch;
    char ping[64];
    uint64_t deadline = monotonic_ns() + 60 * NSEC_PER_SEC;
    long rc = xs_watch_start(&watch, "data/ping", NULL, NULL);

    if (rc)
        return fail("watching data/ping", rc);
    for (;;) {
        if (xs_watch_wait(&watch, deadline) == 0) {
            printf("xenstore-app: no data/ping within 60 s\n");
            return 1;
        }
        rc = xs_read(XS_TX_NONE, "data/ping", ping, sizeof(ping));
        if (rc == -XEN_ENOENT)
            continue; /* the first firing, before dom0 wrote it */
        if (rc < 0)
            return fail("reading data/ping", rc);
        break;
    }
    rc = xs_write(XS_TX_NONE, "data/pong", ping);
    if (rc)
        return fail("writing data/pong", rc);
    printf("xenstore-app: ping \"%s\" answered\n", ping);
    rc = xs_watch_stop(&watch);
    return rc ? fail("stopping the watch", rc) : 0;
}

int main(int argc, char **argv)
{
    const char *want = argc > 1 && strcmp(argv[1], "reboot") == 0 ? "reboot" : "poweroff";
    char name[64], hello[64];
    uint32_t domid;
    long rc;

    if (!xs_available()) {
        printf("xenstore-app: no xenstore: run this as a domU\n");
        return 1;
    }
    rc = xs_read_u32(XS_TX_NONE, "domid", &domid);
    if (rc)
        return fail("reading domid", rc);
    rc = xs_read(XS_TX_NONE, "name", name, sizeof(name));
    if (rc < 0)
        return fail("reading name", rc);
    printf("xenstore-app: domid %u (Xen says %u), name \"%s\"\n", domid, xen_self_domid(), name);

    rc = xs_write(XS_TX_NONE, "data/want", want);
    if (rc)
        return fail("writing data/want", rc);
    snprintf(hello, sizeof(hello), "hello from domU %u", domid);
    rc = xs_write(XS_TX_NONE, "data/hello", hello);
    if (rc)
        return fail("writing data/hello", rc);
    if (answer_ping())
        return 1;

    printf("xenstore-app: waiting for dom0 to %s us\n", want);
    fflush(stdout);
    thread_sleep_ns(120 * NSEC_PER_SEC);
    printf("xenstore-app: no %s within 120 s\n", want);
    return 2;
}
