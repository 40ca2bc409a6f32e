/*
 * An HTTP/1.1 server: a static page, a JSON status with the kernel's
 * counters, and /seq/N (the numbers 1..N, a line each: every request its
 * own checkable body).  One thread per connection, on any vCPU; persistent
 * connections unless the client says "Connection: close".  Runs until the
 * toolstack shuts the domain down (`xl shutdown`).
 *
 *   make run-domu APP=apps/httpd NET=1 [ARGS="NET_IP=10.0.0.2/24 [PORT]"]
 *
 * then, from dom0: wget -O - http://10.0.0.2/  (docs/networking.md)
 */
#define _GNU_SOURCE /* strcasestr */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <minios/hypercall.h>
#include <minios/mm.h>
#include <minios/net.h>
#include <minios/smp.h>
#include <minios/thread.h>
#include <minios/time.h>
#include <minios/version.h>

#define REQUEST_MAX 4096   /* a request head longer than this: 431 */
#define SEQ_MAX     100000 /* /seq/N up to this */
#define CONN_MAX    64     /* connections served at once; more wait in the backlog */

static const char page[] = "<!DOCTYPE html>\n"
                           "<html><head><title>minios</title></head>\n"
                           "<body><h1>Hello from minios</h1>\n"
                           "<p>This page comes from a Xen PV unikernel: lwIP over netfront.</p>\n"
                           "<p><a href=\"/status\">/status</a> has its counters.</p>\n"
                           "</body></html>\n";

static unsigned long requests, connections; /* atomic */
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slots_free = PTHREAD_COND_INITIALIZER;
static int busy;

/* A growing text buffer for a response body. */
struct text {
    char *buf;
    size_t len, cap;
};

static void text_add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        size_t room = t->cap - t->len;

        va_start(ap, fmt);
        n = vsnprintf(t->buf ? t->buf + t->len : NULL, t->buf ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if (t->buf && (size_t)n < room) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap ? t->cap * 2 : 1024;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *b = realloc(t->buf, cap);
        if (!b)
            return;
        t->buf = b;
        t->cap = cap;
    }
}

static int write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);

        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

static int respond(int fd, int code, const char *reason, const char *type, const char *body,
                   size_t len, int keep)
{
    char head[256];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 %d %s\r\nServer: minios/%s\r\nContent-Type: %s\r\n"
                     "Content-Length: %zu\r\nConnection: %s\r\n\r\n",
                     code, reason, MINIOS_VERSION, type, len, keep ? "keep-alive" : "close");

    if (write_all(fd, head, (size_t)n) != 0)
        return -1;
    return body && len ? write_all(fd, body, len) : 0;
}

static void status_json(struct text *t)
{
    struct page_stats ps;
    struct net_if_info ni;
    char a[INET_ADDRSTRLEN];

    page_alloc_stats(&ps);
    text_add(t, "{\"minios\": \"%s\", \"uptime_ms\": %llu, \"vcpus\": %u, \"threads\": %u, ",
             MINIOS_VERSION, (unsigned long long)(monotonic_ns() / 1000000), smp_cpu_count(),
             thread_count());
    text_add(t, "\"context_switches\": %lu, \"pages_total\": %lu, \"pages_free\": %lu, ",
             sched_switch_count(), ps.total, ps.free);
    text_add(t, "\"requests\": %lu, \"connections\": %lu, \"interfaces\": [",
             __atomic_load_n(&requests, __ATOMIC_RELAXED),
             __atomic_load_n(&connections, __ATOMIC_RELAXED));
    for (unsigned int i = 0; net_if_info(i, &ni) == 0; i++) {
        inet_ntop(AF_INET, &ni.addr, a, sizeof(a));
        text_add(t,
                 "%s{\"name\": \"%s\", \"mac\": \"%02x:%02x:%02x:%02x:%02x:%02x\", "
                 "\"up\": %s, \"address\": \"%s\", \"dhcp\": %s, \"rx_frames\": %lu, "
                 "\"tx_frames\": %lu, \"rx_bytes\": %lu, \"tx_bytes\": %lu}",
                 i ? ", " : "", ni.name, ni.mac[0], ni.mac[1], ni.mac[2], ni.mac[3], ni.mac[4],
                 ni.mac[5], ni.up ? "true" : "false", a, ni.dhcp ? "true" : "false", ni.rx_frames,
                 ni.tx_frames, ni.rx_bytes, ni.tx_bytes);
    }
    text_add(t, "]}\n");
}

/* Answers one request head; returns whether the connection stays open. */
static int handle(int fd, char *head)
{
    char method[8], path[256], version[16];
    struct text body = {0};
    int keep, rc;

    if (sscanf(head, "%7s %255s %15s", method, path, version) != 3 ||
        strncmp(version, "HTTP/1.", 7) != 0) {
        respond(fd, 400, "Bad Request", "text/plain", "bad request\n", 12, 0);
        return 0;
    }
    __atomic_add_fetch(&requests, 1, __ATOMIC_RELAXED);
    /* HTTP/1.1 keeps the connection unless told otherwise; 1.0 closes it unless told. */
    keep = strcmp(version, "HTTP/1.1") == 0 ? !strcasestr(head, "\nConnection: close")
                                            : strcasestr(head, "\nConnection: keep-alive") != NULL;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        respond(fd, 405, "Method Not Allowed", "text/plain", "GET or HEAD\n", 12, keep);
        return keep;
    }
    int head_only = strcmp(method, "HEAD") == 0;
    if (strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0) {
        rc = respond(fd, 200, "OK", "text/html", head_only ? NULL : page, sizeof(page) - 1, keep);
    } else if (strcmp(path, "/status") == 0) {
        status_json(&body);
        rc =
            respond(fd, 200, "OK", "application/json", head_only ? NULL : body.buf, body.len, keep);
    } else if (strncmp(path, "/seq/", 5) == 0 && path[5] >= '1' && path[5] <= '9' &&
               strtoul(path + 5, NULL, 10) <= SEQ_MAX &&
               strspn(path + 5, "0123456789") == strlen(path + 5)) {
        unsigned long n = strtoul(path + 5, NULL, 10);
        for (unsigned long i = 1; i <= n; i++)
            text_add(&body, "%lu\n", i);
        rc = respond(fd, 200, "OK", "text/plain", head_only ? NULL : body.buf, body.len, keep);
    } else {
        rc = respond(fd, 404, "Not Found", "text/plain", "not found\n", 10, keep);
    }
    free(body.buf);
    return rc == 0 && keep;
}

static void *serve(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char buf[REQUEST_MAX + 1];
    size_t have = 0;

    for (;;) {
        char *end = NULL;

        buf[have] = '\0';
        while (!(end = strstr(buf, "\r\n\r\n"))) {
            if (have == REQUEST_MAX) {
                respond(fd, 431, "Request Header Fields Too Large", "text/plain", "too long\n", 9,
                        0);
                goto out;
            }
            ssize_t r = read(fd, buf + have, REQUEST_MAX - have);
            if (r <= 0)
                goto out;
            have += (size_t)r;
            buf[have] = '\0';
        }
        end += 4;
        char saved = *end;
        *end = '\0';
        int keep = handle(fd, buf);
        *end = saved;
        /* A request body is not expected (GET/HEAD): what follows is the next request. */
        have -= (size_t)(end - buf);
        memmove(buf, end, have);
        if (!keep)
            break;
    }
out:
    close(fd);
    pthread_mutex_lock(&slots_lock);
    busy--;
    pthread_cond_signal(&slots_free);
    pthread_mutex_unlock(&slots_lock);
    return NULL;
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 80;
    struct sockaddr_in addr = {.sin_len = sizeof(addr),
                               .sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port),
                               .sin_addr = {htonl(INADDR_ANY)}};
    pthread_attr_t attr;
    int one = 1, ls, rc;

    if (port <= 0 || port > 65535) {
        printf("httpd: usage: httpd [PORT]\n");
        return 2;
    }
    rc = net_start(NULL);
    if (rc != 0) {
        printf("httpd: net_start: %s\n", xen_strerror(rc));
        return 1;
    }
    ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(ls, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(ls, 128) != 0) {
        printf("httpd: cannot listen on port %d: %s\n", port, strerror(errno));
        return 1;
    }
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    printf("httpd: serving on port %d\n", port);
    for (;;) {
        pthread_mutex_lock(&slots_lock);
        while (busy == CONN_MAX)
            pthread_cond_wait(&slots_free, &slots_lock);
        busy++;
        pthread_mutex_unlock(&slots_lock);
        int fd = accept(ls, NULL, NULL);
        pthread_t t;

        if (fd < 0) {
            printf("httpd: accept: %s\n", strerror(errno));
            return 1;
        }
        __atomic_add_fetch(&connections, 1, __ATOMIC_RELAXED);
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (pthread_create(&t, &attr, serve, (void *)(intptr_t)fd) != 0) {
            printf("httpd: no thread for a connection: closed\n");
            close(fd);
            pthread_mutex_lock(&slots_lock);
            busy--;
            pthread_mutex_unlock(&slots_lock);
        }
    }
}
