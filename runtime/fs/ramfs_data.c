/*
 * A RAM file's contents (ramfs.h): one heap buffer per file, grown by
 * doubling (so appending n bytes costs O(n) copies in all), shrunk when a
 * truncation leaves less than a quarter of it in use.  Offsets come from
 * the application: every sum is checked before it is used.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ramfs.h"

/* Makes room for @size bytes; -ENOSPC when the heap has no more. */
static int reserve(struct ramfs *fs, struct ramfs_node *node, size_t size)
{
    size_t capacity = node->capacity ? node->capacity : 64;
    unsigned char *data;

    if (size <= node->capacity)
        return 0;
    while (capacity < size)
        capacity = capacity > SIZE_MAX / 2 ? size : capacity * 2;
    data = realloc(node->data, capacity);
    if (!data && capacity > size) {
        capacity = size; /* doubling asked too much: try exactly what is needed */
        data = realloc(node->data, capacity);
    }
    if (!data)
        return -ENOSPC;
    fs->bytes += capacity - node->capacity;
    node->data = data;
    node->capacity = capacity;
    return 0;
}

ssize_t ramfs_read(struct ramfs_node *node, void *buf, size_t n, off_t offset)
{
    if (node->type == RAMFS_DIR)
        return -EISDIR;
    if (offset < 0)
        return -EINVAL;
    if ((size_t)offset >= node->size)
        return 0;
    if (n > node->size - (size_t)offset)
        n = node->size - (size_t)offset;
    memcpy(buf, node->data + offset, n);
    return (ssize_t)n;
}

ssize_t ramfs_write(struct ramfs *fs, struct ramfs_node *node, const void *buf, size_t n,
                    off_t offset)
{
    size_t end;
    int ret;

    if (node->type == RAMFS_DIR)
        return -EISDIR;
    if (offset < 0)
        return -EINVAL;
    if (n == 0)
        return 0;
    if (offset >= RAMFS_FILE_MAX)
        return -EFBIG;
    if (n > (size_t)(RAMFS_FILE_MAX - offset))
        n = (size_t)(RAMFS_FILE_MAX - offset); /* a short write up to the limit */
    end = (size_t)offset + n;
    ret = reserve(fs, node, end);
    if (ret)
        return ret;
    if ((size_t)offset > node->size)
        memset(node->data + node->size, 0, (size_t)offset - node->size); /* the hole */
    memcpy(node->data + offset, buf, n);
    if (end > node->size)
        node->size = end;
    node->mtime_ns = node->ctime_ns = fs->now();
    return (ssize_t)n;
}

int ramfs_truncate(struct ramfs *fs, struct ramfs_node *node, off_t length)
{
    size_t size;
    int ret;

    if (node->type == RAMFS_DIR)
        return -EISDIR;
    if (length < 0)
        return -EINVAL;
    if (length > RAMFS_FILE_MAX)
        return -EFBIG;
    size = (size_t)length;
    if (size > node->size) {
        ret = reserve(fs, node, size);
        if (ret)
            return ret;
        memset(node->data + node->size, 0, size - node->size);
    } else if (size < node->capacity / 4) {
        unsigned char *data = size ? realloc(node->data, size) : NULL;

        if (!size || data) {
            if (!size)
                free(node->data);
            fs->bytes -= node->capacity - size;
            node->data = data;
            node->capacity = size;
        }
    }
    node->size = size;
    node->mtime_ns = node->ctime_ns = fs->now();
    return 0;
}
