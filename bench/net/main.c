/*
 * Network figures for make bench (bench/baseline.sh boots this as a domU
 * with one vif on dom0's bridge; bench/net/dom0-hook.sh plays dom0): dom0
 * pings us (the small round trip), sends BYTES to port 5001 (we read them
 * and close), then connects to port 5002 and we send BYTES.  dom0 does the
 * timing, the same way for the Linux domU of bench/linux/, so the two are
 * comparable.  Each port serves one connection; "bench: listening on N"
 * tells dom0 it may connect.
 *
 *   net NET_IP=10.0.0.2/24 BYTES
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <minios/hypercall.h>
#include <minios/net.h>

#define SINK_PORT   5001
#define SOURCE_PORT 5002

static char buf[65536];

/* One connection accepted on @port: the descriptor, or -1. */
static int accept_one(int port)
{
    struct sockaddr_in a = {.sin_len = sizeof(a),
                            .sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr = {htonl(INADDR_ANY)}};
    int ls = socket(AF_INET, SOCK_STREAM, 0), fd;

    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(ls, 1) != 0) {
        printf("net bench: port %d: %s\n", port, strerror(errno));
        return -1;
    }
    printf("bench: listening on %d\n", port);
    fflush(stdout);
    fd = accept(ls, NULL, NULL);
    if (fd < 0)
        printf("net bench: accept on %d: %s\n", port, strerror(errno));
    close(ls);
    return fd;
}

/* Reads @want bytes (or to EOF), then closes: dom0's nc ends at our close. */
static int sink(long want)
{
    int fd = accept_one(SINK_PORT);
    long got = 0;
    ssize_t n;

    if (fd < 0)
        return 1;
    while (got < want && (n = read(fd, buf, sizeof(buf))) > 0)
        got += n;
    close(fd);
    printf("net bench: received %ld of %ld bytes\n", got, want);
    return got == want ? 0 : 1;
}

/*
 * Sends @want bytes, half-closes, and waits for dom0's nc to close in turn:
 * a plain close() could leave data unsent when the domain ends right after.
 */
static int source(long want)
{
    int fd = accept_one(SOURCE_PORT);
    long sent = 0;

    if (fd < 0)
        return 1;
    memset(buf, 'x', sizeof(buf));
    while (sent < want) {
        size_t part = want - sent < (long)sizeof(buf) ? (size_t)(want - sent) : sizeof(buf);
        ssize_t n = write(fd, buf, part);

        if (n <= 0) {
            printf("net bench: write after %ld bytes: %s\n", sent, strerror(errno));
            close(fd);
            return 1;
        }
        sent += n;
    }
    shutdown(fd, SHUT_WR);
    while (read(fd, buf, sizeof(buf)) > 0)
        ;
    close(fd);
    printf("net bench: sent %ld bytes\n", sent);
    return 0;
}

int main(int argc, char **argv)
{
    long want = argc == 2 ? strtol(argv[1], NULL, 10) : 0;
    int rc;

    if (want <= 0) {
        printf("usage: net NET_IP=A.B.C.D/N BYTES\n");
        return 1;
    }
    if ((rc = net_start(NULL)) != 0) {
        printf("net bench: net_start: %s\n", xen_strerror(rc));
        return 1;
    }
    return sink(want) || source(want);
}
