/*
 * runtime/fs/ramfs*.c, the RAM file system's tree: a table of POSIX's
 * rules (names, links, rename, rmdir, holes, truncation), then 200,000
 * random operations on a small namespace, with the tree's invariants
 * checked after each (every node's link count is the number of entries
 * naming it, each directory's count its entries, the byte total the sum
 * of the buffers) and AddressSanitizer watching every free.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ramfs.h"
#include "unit.h"

static struct ramfs fs;
static int64_t fake_time;

static int64_t fake_now(void)
{
    return ++fake_time;
}

static struct ramfs_node *lookup(const char *path)
{
    struct ramfs_node *n = NULL;

    return ramfs_lookup(&fs, path, &n) == 0 ? n : NULL;
}

/* Creates @path (its parent must exist); returns the errno-style result. */
static int make(const char *path, enum ramfs_type type)
{
    struct ramfs_node *dir;
    const char *name;
    size_t len;
    bool slash;
    int ret = ramfs_lookup_parent(&fs, path, &dir, &name, &len, &slash);

    return ret ? ret : ramfs_create(&fs, dir, name, len, type, 0644, NULL);
}

static int op(const char *path,
              int (*fn)(struct ramfs *, struct ramfs_node *, const char *, size_t))
{
    struct ramfs_node *dir;
    const char *name;
    size_t len;
    bool slash;
    int ret = ramfs_lookup_parent(&fs, path, &dir, &name, &len, &slash);

    return ret ? ret : fn(&fs, dir, name, len);
}

static int ren(const char *from, const char *to)
{
    struct ramfs_node *d1, *d2;
    const char *n1, *n2;
    size_t l1, l2;
    bool s;
    int ret = ramfs_lookup_parent(&fs, from, &d1, &n1, &l1, &s);

    if (!ret)
        ret = ramfs_lookup_parent(&fs, to, &d2, &n2, &l2, &s);
    return ret ? ret : ramfs_rename(&fs, d1, n1, l1, d2, n2, l2);
}

static void table(void)
{
    struct ramfs_node *f, *root = fs.root;
    char buf[32];

    CHECK(lookup("/") == root && lookup("") == NULL && lookup("//./..") == root, "root");
    CHECK(make("/a", RAMFS_DIR) == 0 && make("/a/f", RAMFS_FILE) == 0, "make");
    CHECK(make("/a/f", RAMFS_FILE) == -EEXIST, "EEXIST");
    CHECK(make("/nope/f", RAMFS_FILE) == -ENOENT, "ENOENT parent");
    CHECK(make("/a/f/x", RAMFS_FILE) == -ENOTDIR, "ENOTDIR parent");
    CHECK(make("/", RAMFS_DIR) == -EEXIST && make("/a/..", RAMFS_DIR) == -EINVAL, "root, ..");
    CHECK(lookup("/a/f/") == NULL && lookup("/a/") != NULL, "trailing slash");
    f = lookup("/a/./f");
    CHECK(f && f->type == RAMFS_FILE && f->links == 1, "lookup");
    CHECK(ramfs_write(&fs, f, "xyz", 3, 5) == 3 && f->size == 8, "write past the end");
    CHECK(ramfs_read(f, buf, sizeof(buf), 0) == 8 && memcmp(buf, "\0\0\0\0\0xyz", 8) == 0, "hole");
    CHECK(ramfs_read(f, buf, 4, 100) == 0, "read past the end");
    CHECK(ramfs_write(&fs, f, "x", 1, RAMFS_FILE_MAX) == -EFBIG, "EFBIG");
    CHECK(ramfs_write(&fs, f, "x", 1, -1) == -EINVAL, "negative offset");
    CHECK(ramfs_truncate(&fs, f, 2) == 0 && f->size == 2, "truncate down");
    CHECK(ramfs_truncate(&fs, f, 6) == 0 && ramfs_read(f, buf, 6, 0) == 6 &&
              memcmp(buf + 2, "\0\0\0\0", 4) == 0,
          "truncate up zero-fills");
    /* Open and unlinked: the node stays until released. */
    ramfs_hold(f);
    CHECK(op("/a/f", ramfs_unlink) == 0 && lookup("/a/f") == NULL && f->links == 0, "unlink");
    CHECK(ramfs_read(f, buf, 2, 0) == 2, "read after unlink");
    ramfs_release(&fs, f);
    CHECK(op("/a/f", ramfs_unlink) == -ENOENT, "unlink twice");
    CHECK(op("/a", ramfs_unlink) == -EISDIR, "unlink a directory");
    CHECK(make("/a/b", RAMFS_DIR) == 0 && op("/a", ramfs_rmdir) == -ENOTEMPTY, "ENOTEMPTY");
    CHECK(ren("/a", "/a/b/c") == -EINVAL, "into its own subtree");
    CHECK(make("/g", RAMFS_FILE) == 0 && ren("/a", "/g") == -ENOTDIR, "dir over file");
    CHECK(ren("/g", "/a") == -EISDIR, "file over dir");
    CHECK(make("/e", RAMFS_DIR) == 0 && ren("/e", "/a") == -ENOTEMPTY, "over a full dir");
    CHECK(ren("/a/b", "/e") == 0 && lookup("/e") && lookup("/a/b") == NULL, "over an empty dir");
    CHECK(lookup("/e/..") == root, "the moved directory's parent");
    f = lookup("/g");
    CHECK(ramfs_link(&fs, f, lookup("/e"), "g2", 2) == 0 && f->links == 2, "link");
    CHECK(ramfs_link(&fs, lookup("/e"), root, "x", 1) == -EPERM, "link a directory");
    /* POSIX: two names of one file: rename does nothing, both stay. */
    CHECK(ren("/g", "/e/g2") == 0 && f->links == 2 && lookup("/g") == f, "rename onto a link");
    CHECK(op("/g", ramfs_unlink) == 0 && f->links == 1, "unlink one name");
    CHECK(op("/e/g2", ramfs_unlink) == 0 && op("/e", ramfs_rmdir) == 0, "clean");
    CHECK(op("/a", ramfs_rmdir) == 0 && fs.root->count == 0, "empty again");
    memset(buf, 'n', sizeof(buf));
    char longname[300];
    memset(longname, 'n', 299);
    longname[0] = '/';
    longname[299] = '\0';
    CHECK(make(longname, RAMFS_FILE) == -ENAMETOOLONG, "ENAMETOOLONG");
}

/* Invariants over the whole tree; returns the number of nodes seen. */
static size_t links_seen[4096];
static struct ramfs_node *nodes_seen[4096];
static size_t n_seen;
static size_t bytes_seen;

static void walk(struct ramfs_node *dir)
{
    size_t count = 0;

    for (struct ramfs_dirent *e = dir->entries; e; e = e->next) {
        size_t i;

        count++;
        for (i = 0; i < n_seen && nodes_seen[i] != e->node; i++)
            ;
        if (i == n_seen && n_seen < 4096) {
            nodes_seen[n_seen] = e->node;
            links_seen[n_seen++] = 0;
            bytes_seen += e->node->capacity;
            if (e->node->type == RAMFS_DIR) {
                CHECK(e->node->parent == dir, "a directory's parent");
                walk(e->node);
            }
        }
        if (i < 4096)
            links_seen[i]++;
    }
    CHECK(count == dir->count, "count %zu, %zu entries", dir->count, count);
}

static void check_tree(void)
{
    n_seen = 0;
    bytes_seen = 0;
    walk(fs.root);
    for (size_t i = 0; i < n_seen; i++)
        CHECK(nodes_seen[i]->links == links_seen[i], "links %u, named %zu times",
              nodes_seen[i]->links, links_seen[i]);
    CHECK(bytes_seen == fs.bytes, "bytes %zu, buffers %zu", fs.bytes, bytes_seen);
}

static void random_ops(void)
{
    static const char *const paths[] = {"/a", "/b", "/d", "/d/a", "/d/b", "/d/e", "/d/e/a", "/e"};
    unsigned long long seed = 12345;
    char data[300];

    memset(data, 'r', sizeof(data));
    for (int i = 0; i < 200000; i++) {
        unsigned long long r = unit_rand(&seed);
        const char *p = paths[r % 8], *q = paths[(r >> 8) % 8];
        struct ramfs_node *n;

        switch ((r >> 16) % 7) {
        case 0:
            make(p, RAMFS_FILE);
            break;
        case 1:
            make(p, RAMFS_DIR);
            break;
        case 2:
            op(p, ramfs_unlink);
            break;
        case 3:
            op(p, ramfs_rmdir);
            break;
        case 4:
            ren(p, q);
            break;
        case 5:
            n = lookup(p);
            if (n && n->type == RAMFS_FILE)
                ramfs_write(&fs, n, data, (r >> 24) % 300, (off_t)((r >> 32) % 500));
            break;
        case 6: {
            struct ramfs_node *dir;
            const char *name;
            size_t len;
            bool slash;

            n = lookup(p);
            if (n && n->type == RAMFS_FILE &&
                ramfs_lookup_parent(&fs, q, &dir, &name, &len, &slash) == 0)
                ramfs_link(&fs, n, dir, name, len);
            break;
        }
        }
        if (i % 16 == 0)
            check_tree();
    }
}

int main(void)
{
    if (ramfs_init(&fs, fake_now)) {
        fprintf(stderr, "ramfs_init failed\n");
        return 1;
    }
    table();
    check_tree();
    random_ops();
    check_tree();
    return unit_result("ramfs");
}
