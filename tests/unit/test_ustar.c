/*
 * runtime/fs/ustar.c, the reader of the initial files' archive: headers
 * made here field by field (names, prefixes, "./", "..", absolute names,
 * links, bad checksums and sizes), then 100,000 archives with random
 * bytes flipped, which must be read or refused without a read outside the
 * archive (AddressSanitizer: each is a buffer of exactly its size).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "ustar.h"

static void header(unsigned char *h, const char *prefix, const char *name, char type, size_t size)
{
    unsigned int sum = 0;

    memset(h, 0, USTAR_BLOCK);
    memcpy(h, name, strnlen(name, 100));
    memcpy(h + 345, prefix, strnlen(prefix, 155));
    snprintf((char *)h + 100, 8, "%07o", 0644);
    snprintf((char *)h + 124, 12, "%011zo", size);
    h[156] = (unsigned char)type;
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    memset(h + 148, ' ', 8);
    for (int i = 0; i < USTAR_BLOCK; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
}

/* An archive of one entry + its data + two zero blocks, in a buffer of exactly its size. */
static unsigned char *one(const char *prefix, const char *name, char type, const char *data,
                          size_t *len)
{
    size_t n = strlen(data), blocks = (n + 511) / 512;
    unsigned char *ar;

    *len = USTAR_BLOCK * (3 + blocks);
    ar = calloc(1, *len);
    header(ar, prefix, name, type, n);
    memcpy(ar + USTAR_BLOCK, data, n);
    return ar;
}

static char last_data[16]; /* the entry's first bytes, kept past the archive's free */

static int read_one(const char *prefix, const char *name, char type, const char *data,
                    struct ustar_entry *e, const char **why)
{
    size_t len, off = 0;
    unsigned char *ar = one(prefix, name, type, data, &len);
    int ret = ustar_next(ar, len, &off, e, why);

    memset(last_data, 0, sizeof(last_data));
    if (ret == 1)
        memcpy(last_data, e->data, e->size < sizeof(last_data) ? e->size : sizeof(last_data));
    if (ret == 1)
        CHECK(ustar_next(ar, len, &off, e, why) == 0, "%s: the end after one entry", name);
    free(ar);
    return ret;
}

static void table(void)
{
    struct ustar_entry e;
    const char *why = "";

    CHECK(read_one("", "./a/b.txt", '0', "hello", &e, &why) == 1 &&
              strcmp(e.path, "a/b.txt") == 0 && e.size == 5 && memcmp(last_data, "hello", 5) == 0 &&
              e.mode == 0644,
          "a file: %s", e.path);
    CHECK(read_one("", "./", '5', "", &e, &why) == 1 && e.path[0] == '\0' && e.type == '5', "./");
    CHECK(read_one("./deep/er", "x//y/./z", '\0', "", &e, &why) == 1 &&
              strcmp(e.path, "deep/er/x/y/z") == 0,
          "prefix and name: %s", e.path);
    CHECK(read_one("", "./a/../../etc/passwd", '0', "x", &e, &why) == -1 && strstr(why, ".."),
          "..");
    CHECK(read_one("", "/etc/passwd", '0', "x", &e, &why) == -1 && strstr(why, "absolute"),
          "absolute");
    CHECK(read_one("", "./l", '2', "", &e, &why) == -1, "a symbolic link");
    CHECK(read_one("", "./h", '1', "", &e, &why) == -1, "a hard link");
    CHECK(read_one("", "./", '0', "x", &e, &why) == -1, "a file without a name");
    {
        size_t len, off = 0;
        unsigned char *ar = one("", "./f", '0', "data", &len);

        ar[0] ^= 1; /* the checksum no longer matches */
        CHECK(ustar_next(ar, len, &off, &e, &why) == -1 && strstr(why, "checksum"), "checksum");
        free(ar);
        ar = one("", "./f", '0', "data", &len);
        off = 0;
        CHECK(ustar_next(ar, USTAR_BLOCK + 3, &off, &e, &why) == -1, "data cut short");
        free(ar);
        ar = one("", "./f", '0', "", &len);
        header(ar, "", "./f", '0', 1ull << 39); /* far past the end */
        off = 0;
        CHECK(ustar_next(ar, len, &off, &e, &why) == -1, "a size past the end");
        free(ar);
        off = 0;
        CHECK(ustar_next(NULL, 0, &off, &e, &why) == 0, "an empty archive");
    }
}

static void flips(void)
{
    unsigned long long seed = 99;

    for (int i = 0; i < 100000; i++) {
        size_t len, off = 0;
        unsigned char *ar = one("pre", "./dir/file", '0', "some bytes of data", &len);
        struct ustar_entry e;
        const char *why;
        int n = 1 + (int)(unit_rand(&seed) % 4), ret, entries = 0;

        for (int k = 0; k < n; k++)
            ar[unit_rand(&seed) % len] = (unsigned char)unit_rand(&seed);
        if (i % 3 == 0)
            len -= unit_rand(&seed) % len; /* and cut it anywhere */
        while ((ret = ustar_next(ar, len, &off, &e, &why)) > 0 && entries < 10) {
            entries++;
            CHECK(e.data >= ar && e.data + e.size <= ar + len,
                  "an entry's data outside the archive");
            CHECK(e.path[0] != '/' && !strstr(e.path, ".."), "a bad path accepted: %s", e.path);
        }
        free(ar);
    }
}

int main(void)
{
    table();
    flips();
    return unit_result("ustar");
}
