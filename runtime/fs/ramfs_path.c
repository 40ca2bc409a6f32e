/*
 * Path resolution for the RAM file system (ramfs.h): names separated by
 * slashes, walked from the root.  The path is application input: its
 * length is bounded (RAMFS_PATH_MAX), each name too (RAMFS_NAME_MAX), and
 * nothing is copied or written.
 */
#include <errno.h>
#include <string.h>

#include "ramfs.h"

/* The next name of @p (skipping slashes): its start, and its length in *@len. */
static const char *next_name(const char *p, size_t *len)
{
    while (*p == '/')
        p++;
    *len = strcspn(p, "/");
    return p;
}

static bool is_dot(const char *name, size_t len)
{
    return len == 1 && name[0] == '.';
}

static bool is_dotdot(const char *name, size_t len)
{
    return len == 2 && name[0] == '.' && name[1] == '.';
}

/* Steps from directory @dir by one name; -ENOTDIR if @dir is not one. */
static int step(struct ramfs_node *dir, const char *name, size_t len, struct ramfs_node **out)
{
    if (dir->type != RAMFS_DIR)
        return -ENOTDIR;
    if (len > RAMFS_NAME_MAX)
        return -ENAMETOOLONG;
    if (is_dot(name, len)) {
        *out = dir;
        return 0;
    }
    if (is_dotdot(name, len)) {
        *out = dir->parent;
        return 0;
    }
    *out = ramfs_find(dir, name, len);
    return *out ? 0 : -ENOENT;
}

static int check_length(const char *path)
{
    if (!path)
        return -EFAULT;
    if (!*path)
        return -ENOENT; /* POSIX: the empty path names nothing */
    if (strnlen(path, RAMFS_PATH_MAX) == RAMFS_PATH_MAX)
        return -ENAMETOOLONG;
    return 0;
}

int ramfs_lookup(struct ramfs *fs, const char *path, struct ramfs_node **out)
{
    struct ramfs_node *node = fs->root;
    const char *p;
    size_t len;
    int ret = check_length(path);

    if (ret)
        return ret;
    for (p = next_name(path, &len); len; p = next_name(p + len, &len)) {
        ret = step(node, p, len, &node);
        if (ret)
            return ret;
    }
    if (path[strlen(path) - 1] == '/' && node->type != RAMFS_DIR)
        return -ENOTDIR;
    *out = node;
    return 0;
}

int ramfs_lookup_parent(struct ramfs *fs, const char *path, struct ramfs_node **dir,
                        const char **name, size_t *len, bool *dir_only)
{
    struct ramfs_node *node = fs->root;
    const char *p, *last = NULL;
    size_t n, last_len = 0;
    int ret = check_length(path);

    if (ret)
        return ret;
    for (p = next_name(path, &n); n; p = next_name(p + n, &n)) {
        if (last) {
            ret = step(node, last, last_len, &node);
            if (ret)
                return ret;
        }
        last = p;
        last_len = n;
    }
    if (!last)
        return -EEXIST; /* "/": the root, which has no name to make or remove */
    if (node->type != RAMFS_DIR)
        return -ENOTDIR;
    if (last_len > RAMFS_NAME_MAX)
        return -ENAMETOOLONG;
    if (is_dot(last, last_len) || is_dotdot(last, last_len))
        return -EINVAL;
    *dir = node;
    *name = last;
    *len = last_len;
    *dir_only = last[last_len] == '/';
    return 0;
}
