/*
 * drivers/xenstore/xs_wire.c's payload helpers against a daemon that lies: reply
 * matching, error strings, directory lists with and without their final
 * NUL, watch events and numbers.  Payloads are malloc'ed at their exact
 * size, without any terminator we did not mean, so AddressSanitizer catches
 * a helper that reads past one.  (The parser and requests: test_xs_wire.c.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xs_wire.h"
#include "unit.h"

static void matching(void)
{
    struct xsd_sockmsg m = {.type = XS_READ, .req_id = 5};

    CHECK(xs_reply_matches(&m, 5, XS_READ) == 0, "reply");
    CHECK(xs_reply_matches(&m, 6, XS_READ) == -XEN_ESRCH, "other id");
    CHECK(xs_reply_matches(&m, 5, XS_WRITE) == -XEN_EBADMSG, "wrong type");
    m.type = XS_ERROR;
    CHECK(xs_reply_matches(&m, 5, XS_WRITE) == 0, "error reply");
    CHECK(xs_reply_matches(&m, 4, XS_WRITE) == -XEN_ESRCH, "error for another id");
    m.type = XS_WATCH_EVENT;
    m.req_id = 0;
    CHECK(xs_reply_matches(&m, 0, XS_WATCH) == -XEN_EBADMSG, "watch event is no reply");
    CHECK(xs_reply_matches(&m, 0, XS_WATCH_EVENT) == -XEN_EBADMSG, "even if asked for");
}

static void error_strings(void)
{
    static const struct {
        const char *s;
        size_t len;
        int rc;
    } cases[] = {
        {"ENOENT", 7, -XEN_ENOENT},
        {"ENOENT", 6, -XEN_ENOENT},
        {"EACCES", 7, -XEN_EACCES},
        {"EAGAIN", 7, -XEN_EAGAIN},
        {"EINVAL", 7, -XEN_EINVAL},
        {"EEXIST", 7, -XEN_EEXIST},
        {"EISDIR", 7, -XEN_EISDIR},
        {"ENOMEM", 7, -XEN_ENOMEM},
        {"ENOSPC", 7, -XEN_ENOSPC},
        {"EIO", 4, -XEN_EIO},
        {"ENOTEMPTY", 10, -XEN_ENOTEMPTY},
        {"ENOSYS", 7, -XEN_ENOSYS},
        {"EROFS", 6, -XEN_EROFS},
        {"EBUSY", 6, -XEN_EBUSY},
        {"EISCONN", 8, -XEN_EISCONN},
        {"E2BIG", 6, -XEN_E2BIG},
        {"EPERM", 6, -XEN_EPERM},
        {"EPERM", 5, -XEN_EPERM},
        /* Not error names: unknown, prefixes, extensions, junk after the NUL. */
        {"EFOO", 5, -XEN_EIO},
        {"", 0, -XEN_EIO},
        {"", 1, -XEN_EIO},
        {"ENOEN", 6, -XEN_EIO},
        {"ENOENTX", 8, -XEN_EIO},
        {"ENOENT\0x", 8, -XEN_EIO},
        {"ENOENT\0", 8, -XEN_EIO},
        {"enoent", 7, -XEN_EIO},
        {"\0ENOENT", 8, -XEN_EIO},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *s = unit_exact(cases[i].s, cases[i].len);
        int rc = xs_error_from_string(s, cases[i].len);

        CHECK(rc == cases[i].rc, "\"%s\"/%zu: %d, want %d", cases[i].s, cases[i].len, rc,
              cases[i].rc);
        free(s);
    }

    struct xsd_sockmsg m = {.type = XS_READ, .len = 7};

    CHECK(xs_reply_errno(&m, "ENOENT") == 0, "not an error reply");
    m.type = XS_ERROR;
    CHECK(xs_reply_errno(&m, "ENOENT") == -XEN_ENOENT, "error reply");
    m.len = 0;
    CHECK(xs_reply_errno(&m, "ENOENT") == -XEN_EIO, "empty error reply is still an error");
    CHECK(xs_error_from_string(NULL, 0) == -XEN_EIO, "NULL, 0");
}

static void directories(void)
{
    const char *names[4];

    /* A well-formed list. */
    char *s = unit_exact("a\0bb\0c-_@9\0", 11);
    CHECK(xs_parse_directory(s, 11, names, 4) == 3, "three names");
    CHECK(strcmp(names[0], "a") == 0 && strcmp(names[1], "bb") == 0 &&
              strcmp(names[2], "c-_@9") == 0,
          "names");
    /* Fewer slots than names: the count is right, only the slots are written. */
    CHECK(xs_parse_directory(s, 11, names, 1) == 3 && strcmp(names[0], "a") == 0, "max 1");
    CHECK(xs_parse_directory(s, 11, NULL, 0) == 3, "count only");
    free(s);

    /* Empty directory. */
    CHECK(xs_parse_directory("", 0, names, 4) == 0, "empty");

    /* The last name without its NUL: an error, and no partial list. */
    s = unit_exact("a\0b", 3);
    names[0] = names[1] = "sentinel";
    CHECK(xs_parse_directory(s, 3, names, 4) == -XEN_EBADMSG, "no final NUL");
    CHECK(xs_split_strings(s, 3, names, 4) == -XEN_EBADMSG, "split: no final NUL");
    CHECK(strcmp(names[0], "sentinel") == 0, "partial list stored");
    free(s);
    s = unit_exact("abc", 3);
    CHECK(xs_split_strings(s, 3, names, 4) == -XEN_EBADMSG, "single name, no NUL");
    free(s);

    /* Names a directory cannot have. */
    const struct {
        const char *s;
        size_t len;
    } bad[] = {{"\0", 1},   {"a\0\0", 3}, {"a/b\0", 4},
               {"..\0", 3}, {"a b\0", 4}, {"ok\0x\xff\0", 6}};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        s = unit_exact(bad[i].s, bad[i].len);
        CHECK(xs_parse_directory(s, bad[i].len, names, 4) == -XEN_EBADMSG, "bad list %zu", i);
        free(s);
    }
    /* ...though as plain strings they split fine. */
    s = unit_exact("a\0\0", 3);
    CHECK(xs_split_strings(s, 3, names, 4) == 2 && names[1][0] == '\0', "empty string kept");
    free(s);

    /* The iterator on its own: ends, and reports a missing NUL once. */
    s = unit_exact("x\0yz", 4);
    size_t pos = 0;
    const char *str;
    CHECK(xs_next_string(s, 4, &pos, &str) == 1 && str == s && pos == 2, "first string");
    CHECK(xs_next_string(s, 4, &pos, &str) == -XEN_EBADMSG && pos == 2, "unterminated");
    pos = 4;
    CHECK(xs_next_string(s, 4, &pos, &str) == 0, "at end");
    pos = 99;
    CHECK(xs_next_string(s, 4, &pos, &str) == 0, "past end");
    free(s);
}

static void watch_events(void)
{
    const struct {
        const char *s;
        size_t len;
        int rc;
    } cases[] = {
        {"/a/b\0tok\0", 9, 0},           {"/a\0\0", 4, 0},
        {"/a\0tok", 6, -XEN_EBADMSG},    {"/a\0", 3, -XEN_EBADMSG},
        {"/a", 2, -XEN_EBADMSG},         {"\0tok\0", 5, -XEN_EBADMSG},
        {"/a\0t\0x\0", 7, -XEN_EBADMSG}, {"/a\0t\0x", 6, -XEN_EBADMSG},
        {"", 0, -XEN_EBADMSG},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *s = unit_exact(cases[i].s, cases[i].len);
        const char *path = "unset", *token = "unset";
        int rc = xs_parse_watch_event(s, cases[i].len, &path, &token);

        CHECK(rc == cases[i].rc, "watch case %zu: %d", i, rc);
        if (rc == 0) {
            CHECK(path == s && token > path && token < s + cases[i].len, "case %zu pointers", i);
        } else {
            CHECK(strcmp(path, "unset") == 0 && strcmp(token, "unset") == 0,
                  "case %zu: outputs set on error", i);
        }
        free(s);
    }
}

static void numbers(void)
{
    const struct {
        const char *s;
        size_t len;
        int rc;
        uint32_t v;
    } cases[] = {
        {"0", 1, 0, 0},
        {"42\0", 3, 0, 42},
        {"007", 3, 0, 7},
        {"4294967295", 10, 0, UINT32_MAX},
        {"4294967296", 10, -XEN_ERANGE, 0},
        {"99999999999999999999", 20, -XEN_ERANGE, 0},
        {"", 0, -XEN_EBADMSG, 0},
        {"\0", 1, -XEN_EBADMSG, 0},
        {"-1", 2, -XEN_EBADMSG, 0},
        {"+1", 2, -XEN_EBADMSG, 0},
        {" 1", 2, -XEN_EBADMSG, 0},
        {"1 ", 2, -XEN_EBADMSG, 0},
        {"1\0\0", 3, -XEN_EBADMSG, 0},
        {"1\0"
         "2",
         3, -XEN_EBADMSG, 0},
        {"1a", 2, -XEN_EBADMSG, 0},
        {"99999999999x", 12, -XEN_EBADMSG, 0},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *s = unit_exact(cases[i].s, cases[i].len);
        uint32_t v = 12345;
        int rc = xs_parse_u32(s, cases[i].len, &v);

        CHECK(rc == cases[i].rc, "number case %zu: %d", i, rc);
        CHECK(v == (rc == 0 ? cases[i].v : 12345u), "number case %zu: value %u", i, v);
        free(s);
    }
}

int main(void)
{
    matching();
    error_strings();
    directories();
    watch_events();
    numbers();
    return unit_result("xs_payload");
}
