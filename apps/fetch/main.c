/*
 * An HTTP client: fetches one URL with HTTP/1.0 and prints the status
 * line, the headers' size and the body to the console; exits 0 for a 200.
 * The host is a numeric address or a name (getaddrinfo(): DNS through the
 * server DHCP or NET_DNS named).
 *
 *   make run-domu APP=apps/fetch NET=1 ARGS="http://10.0.0.1:8080/index.html"
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netdb.h>
#include <sys/socket.h>
#include <minios/hypercall.h>
#include <minios/net.h>

/* "http://HOST[:PORT][/PATH]" into its parts; 0, or -1 if it is not one. */
static int parse_url(const char *url, char *host, size_t hsize, char *port, size_t psize,
                     const char **path)
{
    const char *h = url, *end;
    size_t n;

    if (strncmp(h, "http://", 7) != 0)
        return -1;
    h += 7;
    end = h + strcspn(h, ":/");
    n = (size_t)(end - h);
    if (n == 0 || n >= hsize)
        return -1;
    memcpy(host, h, n);
    host[n] = '\0';
    snprintf(port, psize, "80");
    if (*end == ':') {
        const char *p = end + 1;

        n = strspn(p, "0123456789");
        if (n == 0 || n >= psize)
            return -1;
        memcpy(port, p, n);
        port[n] = '\0';
        end = p + n;
    }
    if (*end != '\0' && *end != '/')
        return -1;
    *path = *end ? end : "/";
    return 0;
}

int main(int argc, char **argv)
{
    char host[256], port[8], req[512], buf[4096];
    const char *path;
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai;
    long total = 0, body = -1;
    int fd, rc, status = 0;

    if (argc != 2 || parse_url(argv[1], host, sizeof(host), port, sizeof(port), &path) != 0) {
        printf("fetch: usage: fetch http://HOST[:PORT][/PATH]\n");
        return 2;
    }
    rc = net_start(NULL);
    if (rc != 0) {
        printf("fetch: net_start: %s\n", xen_strerror(rc));
        return 1;
    }
    rc = getaddrinfo(host, port, &hints, &ai);
    if (rc != 0) {
        printf("fetch: %s: %s\n", host, gai_strerror(rc));
        return 1;
    }
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        printf("fetch: cannot connect to %s:%s: %s\n", host, port, strerror(errno));
        return 1;
    }
    freeaddrinfo(ai);
    int n = snprintf(req, sizeof(req),
                     "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: minios-fetch\r\n\r\n", path, host);
    if (n < 0 || (size_t)n >= sizeof(req) || write(fd, req, (size_t)n) != n) {
        printf("fetch: cannot send the request: %s\n", strerror(errno));
        return 1;
    }
    /* The head, then the body as it comes, until the server closes. */
    char head[4096];
    size_t have = 0;
    ssize_t r;

    while ((r = read(fd, buf, sizeof(buf))) > 0) {
        total += r;
        if (body >= 0) {
            fwrite(buf, 1, (size_t)r, stdout);
            body += r;
            continue;
        }
        size_t take = (size_t)r < sizeof(head) - 1 - have ? (size_t)r : sizeof(head) - 1 - have;
        memcpy(head + have, buf, take);
        have += take;
        head[have] = '\0';
        char *end = strstr(head, "\r\n\r\n");
        if (!end) {
            if (have == sizeof(head) - 1) {
                printf("fetch: the response head is over %zu bytes\n", sizeof(head) - 1);
                return 1;
            }
            continue;
        }
        size_t hlen = (size_t)(end + 4 - head);
        if (sscanf(head, "HTTP/%*d.%*d %d", &status) != 1) {
            printf("fetch: not an HTTP response\n");
            return 1;
        }
        *strstr(head, "\r\n") = '\0';
        printf("fetch: %s (%zu bytes of head)\n", head, hlen);
        /* What of this read is body: the bytes after the head. */
        size_t before = have - take; /* head bytes from earlier reads */
        body = (long)(before + (size_t)r - hlen);
        fwrite(buf + (hlen - before), 1, (size_t)body, stdout);
    }
    if (r < 0) {
        printf("fetch: read: %s\n", strerror(errno));
        return 1;
    }
    close(fd);
    fflush(stdout);
    printf("fetch: %ld bytes of body, %ld in all\n", body < 0 ? 0 : body, total);
    return status == 200 ? 0 : 1;
}
