/*
 * Intrusive doubly-linked circular lists: embed a struct list_node in your
 * object and find the object again with container_of()/list_entry().
 * An empty list is a head pointing at itself.
 */
#ifndef MINIOS_LIST_H
#define MINIOS_LIST_H

#include <stdbool.h>
#include <minios/compiler.h>

#pragma GCC visibility push(default)

struct list_node {
    struct list_node *next, *prev;
};

/* clang-format off */
#define LIST_HEAD_INIT(name) { &(name), &(name) }
/* clang-format on */

static inline void list_init(struct list_node *head)
{
    head->next = head->prev = head;
}

static inline bool list_empty(const struct list_node *head)
{
    return head->next == head;
}

/* Inserts @node between @prev and @next. */
static inline void list_insert_between(struct list_node *node, struct list_node *prev,
                                       struct list_node *next)
{
    node->prev = prev;
    node->next = next;
    prev->next = node;
    next->prev = node;
}

static inline void list_add_head(struct list_node *head, struct list_node *node)
{
    list_insert_between(node, head, head->next);
}

static inline void list_add_tail(struct list_node *head, struct list_node *node)
{
    list_insert_between(node, head->prev, head);
}

/* Inserts @node just before @pos (which may be the head: then at the tail). */
static inline void list_add_before(struct list_node *pos, struct list_node *node)
{
    list_insert_between(node, pos->prev, pos);
}

/* Unlinks @node and leaves it pointing at itself (so list_empty(node) holds). */
static inline void list_del(struct list_node *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    node->next = node->prev = node;
}

#define list_entry(node, type, member)       container_of(node, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)

#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)

/* Safe against removal of the current node. */
#define list_for_each_safe(pos, tmp, head)                                                         \
    for (pos = (head)->next, tmp = pos->next; pos != (head); pos = tmp, tmp = pos->next)

#pragma GCC visibility pop

#endif /* MINIOS_LIST_H */
